/**
 * Readiness: 200 when the first sync is done and the data is not stale; 503 with a JSON reason otherwise.
 * Never waits for the engine: it only kicks the (idempotent) start-up off, so the first probe starts the source.
 */
import { ensureStarted, peekState, policyError } from '../../server/state';
import { readiness } from '../../lib/ops/readiness';

export const dynamic = 'force-dynamic';

const g = globalThis as typeof globalThis & { __tektonPostureStartError?: string | null };

export function GET(): Response {
  const state = peekState();
  if (!state) {
    ensureStarted().then(
      () => (g.__tektonPostureStartError = null),
      (e: unknown) => (g.__tektonPostureStartError = e instanceof Error ? e.message : String(e)),
    );
  }
  const r = readiness({ state, startError: g.__tektonPostureStartError ?? null, configError: policyError() });
  return Response.json(r.body, { status: r.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
