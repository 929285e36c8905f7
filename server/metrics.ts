import 'server-only';
import { processMetrics, type HttpObservation, type ProcessMetrics } from '../lib/ops/metrics';

/**
 * The process's metrics registry (one per server process, shared across Next's module graphs like the engine state),
 * and the hand-off from server/http-hardening.cjs: it queues one observation per HTTP response on globalThis, and
 * every scrape drains the queue into the request-duration histogram.
 */
const g = globalThis as typeof globalThis & { __tektonPostureMetrics?: ProcessMetrics; __tektonPostureHttp?: HttpObservation[] };

export function serverMetrics(): ProcessMetrics {
  const m = (g.__tektonPostureMetrics ??= processMetrics());
  const queue = g.__tektonPostureHttp;
  if (queue && queue.length > 0) for (const o of queue.splice(0, queue.length)) m.observeHttp(o);
  return m;
}

/** Records how long a full or incremental scoring took (server/state.ts calls it on every publish that knows). */
export function observeScanSeconds(seconds: number): void {
  (g.__tektonPostureMetrics ??= processMetrics()).observeScan(seconds);
}
