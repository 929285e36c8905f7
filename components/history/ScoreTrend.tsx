import { scoreText } from '../../lib/view/format';
import { sparklinePath } from '../../lib/view/sparkline';
import { recentScores } from '../../server/history/views';

const WIDTH = 120;
const HEIGHT = 24;
const DAYS = 30;

/** The subject's score over the last 30 days as an inline SVG (server-rendered, no client JS); nothing without history. */
export async function ScoreTrend({ pipelineId }: { pipelineId: string }) {
  const recent = await recentScores(pipelineId, DAYS);
  const scored = (recent?.points ?? []).filter((p) => p.present);
  if (!recent || scored.length === 0) return null;
  const first = scored.find((p) => p.score !== null)?.score ?? null;
  const last = scored[scored.length - 1].score;
  const label = `Score trend, last ${DAYS} days: ${scoreText(first)} to ${scoreText(last)}, ${scored.length} change${scored.length === 1 ? '' : 's'} recorded`;
  return (
    <figure className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="score-trend">
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="overflow-visible">
        <title>{label}</title>
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="stroke-zinc-200 dark:stroke-zinc-700" strokeWidth="1" />
        <path d={sparklinePath(scored, recent.now, WIDTH, HEIGHT)} fill="none" className="stroke-sky-600 dark:stroke-sky-400" strokeWidth="1.5" />
      </svg>
      <figcaption>{DAYS} days</figcaption>
    </figure>
  );
}
