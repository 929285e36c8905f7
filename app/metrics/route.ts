/** Prometheus metrics (text exposition format), rendered by lib/ops/metrics.ts from the current engine state. */
import { METRICS_CONTENT_TYPE, countByKind, renderMetrics, type LiveStatsLike } from '../../lib/ops/metrics';
import { serverMetrics } from '../../server/metrics';
import { peekState } from '../../server/state';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const state = peekState();
  let live: LiveStatsLike | null = null;
  if (state?.report.source.kind === 'live') {
    // Loaded only for the live source (it pulls in the Kubernetes client).
    const { liveSource } = await import('../../server/live/source');
    live = liveSource()?.stats ?? null;
  }
  const input = {
    report: state?.report ?? null,
    ready: state?.ready ?? false,
    stale: Boolean(state?.stale),
    objectsByKind: live ? live.objectsByKind : state ? countByKind(state.model.objects) : {},
    live,
    now: Date.now(),
  };
  const text = await renderMetrics(input, serverMetrics());
  return new Response(text, { status: 200, headers: { 'Content-Type': METRICS_CONTENT_TYPE, 'Cache-Control': 'no-store' } });
}
