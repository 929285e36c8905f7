import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, CoverageBar, Empty, GradeBadge, PageHeader, ScoreValue, SeverityBadge } from '../../../components/ui';
import { CATEGORY_LABELS, type Category } from '../../../lib/checks/types';
import { rollUp } from '../../../lib/score/score';
import { plural, scoreText } from '../../../lib/view/format';
import { categoryCard, rankFixes } from '../../../lib/view/insights';
import { checkHref, pipelineHref, pipelineHrefFromId } from '../../../lib/view/links';
import { routeParam } from '../../../lib/view/params';
import { scorecardSearch } from '../../../lib/view/scorecard';
import { getState } from '../../../server/state';
import { notFoundTitle } from '../../../lib/view/not-found';

export const dynamic = 'force-dynamic';

type Params = Promise<{ team: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const raw = (await params).team;
  const { report } = await getState();
  if (!report.pipelines.some((p) => p.team === routeParam(raw))) return { title: notFoundTitle(`/teams/${raw}`) };
  return { title: `Team ${routeParam(raw)}` };
}

const PIPELINE_CATEGORIES = (Object.keys(CATEGORY_LABELS) as Category[]).filter((c) => c !== 'platform');

const CELL_TONE = (score: number | null) =>
  score === null
    ? 'bg-zinc-50 text-zinc-600 dark:text-zinc-400 dark:bg-zinc-800/50'
    : score >= 90
      ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200'
      : score >= 70
        ? 'bg-amber-50 text-amber-900 dark:bg-amber-950/50 dark:text-amber-200'
        : 'bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200';

export default async function TeamPage({ params }: { params: Params }) {
  const team = routeParam((await params).team);
  const { report } = await getState();
  const pipelines = report.pipelines.filter((p) => p.team === team);
  if (pipelines.length === 0) notFound();
  const roll = rollUp(pipelines);
  const fixes = rankFixes(pipelines).slice(0, 15);

  return (
    <>
      <PageHeader
        kicker="Team"
        title={team}
        actions={
          <Link href={`/pipelines${scorecardSearch({ team })}`} prefetch={false} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium dark:border-zinc-700 dark:bg-zinc-900">
            Open in scorecard
          </Link>
        }
      >
        <span className="inline-flex items-center gap-2">
          <GradeBadge grade={roll.grade} incomplete={roll.incomplete} size="sm" />
          <ScoreValue score={roll.score} coverage={roll.coverage} incomplete={roll.incomplete} /> · {plural(pipelines.length, 'pipeline')}
          {roll.worst ? (
            <span data-testid="team-worst">
              {' '}
              · worst{' '}
              <Link href={pipelineHref(roll.worst.namespace, roll.worst.name)} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
                {roll.worst.name}
              </Link>{' '}
              ({roll.worst.grade ?? '—'}, {scoreText(roll.worst.score)})
            </span>
          ) : null}
          {roll.cap ? <span className="text-orange-700 dark:text-orange-300"> · {roll.cap}</span> : null}
        </span>
      </PageHeader>

      <Card flush title="Pipelines × categories">
        <div>
          <table className="data-table" data-testid="team-grid">
            <caption className="sr-only">Per category: the category&apos;s own score and the number of failed checks</caption>
            <thead>
              <tr>
                <th scope="col">Pipeline</th>
                <th scope="col">Grade</th>
                <th scope="col" className="text-right">
                  Score
                </th>
                <th scope="col">Coverage</th>
                {PIPELINE_CATEGORIES.map((c) => (
                  <th key={c} scope="col" className="!whitespace-normal text-center">
                    {CATEGORY_LABELS[c]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {pipelines.map((p) => (
                <tr key={p.id}>
                  <th scope="row" className="min-w-44">
                    <Link href={pipelineHrefFromId(p.id)} prefetch={false} className="font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                      {p.name}
                    </Link>
                    <div className="text-xs text-zinc-600 dark:text-zinc-400">{p.namespace}</div>
                  </th>
                  <td>
                    <GradeBadge grade={p.grade} incomplete={p.incomplete} />
                  </td>
                  <td className="text-right">
                    <ScoreValue score={p.score} coverage={p.coverage} incomplete={p.incomplete} />
                  </td>
                  <td>
                    <CoverageBar coverage={p.coverage} compact />
                  </td>
                  {PIPELINE_CATEGORIES.map((c) => {
                    const card = categoryCard(p, c);
                    const fails = card.outcomes.fail;
                    return (
                      <td key={c} className="text-center">
                        {card.total === 0 ? (
                          <span className="text-xs text-zinc-500 dark:text-zinc-400">—</span>
                        ) : (
                          <span className={`inline-block min-w-16 rounded px-1.5 py-1 text-xs ${CELL_TONE(card.score)}`}>
                            <span className="block font-semibold tabular-nums">{card.score === null ? 'n/a' : scoreText(card.score)}</span>
                            <span className="block">{fails === 0 ? '✓ 0 fail' : `✕ ${fails} fail`}</span>
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card flush title="Fix these first" className="mt-4">
        <p className="px-4 pt-3 pb-2 text-xs text-zinc-600 dark:text-zinc-400">
          Failed checks ranked by severity (a critical always before any medium), then by how many pipelines the fix lifts, then by grades raised and the score gained if the check passed (scored with the same formula, one check flipped from fail to pass).
        </p>
        {fixes.length === 0 ? (
          <div className="px-4 pb-4"><Empty>Nothing fails. Well done.</Empty></div>
        ) : (
          <div>
            <table className="data-table" data-testid="fixes">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Severity</th>
                  <th scope="col" className="text-right">
                    Score gained (sum)
                  </th>
                  <th scope="col" className="text-right">
                    Grades raised
                  </th>
                  <th scope="col">Pipelines</th>
                </tr>
              </thead>
              <tbody>
                {fixes.map((f) => (
                  <tr key={f.checkId}>
                    <td>
                      <Link href={checkHref(f.checkId)} prefetch={false} className="hover:underline">
                        <span className="mr-2 font-mono text-xs text-zinc-600 dark:text-zinc-400">{f.checkId}</span>
                        {f.title}
                      </Link>
                    </td>
                    <td>
                      <SeverityBadge severity={f.severity} />
                    </td>
                    <td className="text-right font-semibold text-emerald-700 tabular-nums dark:text-emerald-300">+{f.totalGain.toFixed(1)}</td>
                    <td className="text-right tabular-nums">{f.gradeUps}</td>
                    <td className="text-xs">
                      <ul className="space-y-0.5">
                        {f.pipelines.map((g) => {
                          const [ns, ...rest] = g.pipelineId.split('/');
                          return (
                            <li key={g.pipelineId}>
                              <Link href={`${pipelineHref(ns, rest.join('/'))}#finding-${f.checkId}`} prefetch={false} className="[overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                                {rest.join('/')}
                              </Link>{' '}
                              <span className="text-zinc-600 dark:text-zinc-400 tabular-nums">
                                {scoreText(g.before)} → {scoreText(g.after)}
                                {g.gradeAfter !== g.gradeBefore ? ` (${g.gradeBefore ?? '—'} → ${g.gradeAfter ?? '—'})` : ''}
                              </span>
                            </li>
                          );
                        })}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
