/**
 * Readiness verdict for `/readyz` (pure). Ready = the first sync is done and the data is not stale. A stale state
 * (the live source cannot reach the API server) is not ready: the data shown could be arbitrarily old.
 */
export interface ReadinessInput {
  /** peekState(): null before the first publish. */
  state: { ready: boolean; version: number; updatedAt: string; stale: { since: string; reason: string } | null } | null;
  /** The last error of the start-up (e.g. the cluster could not be read), when there was one. */
  startError?: string | null;
  /** The operator's configuration was rejected (e.g. the policy does not parse): never ready until it is fixed. */
  configError?: string | null;
}

export type Readiness =
  | { ready: true; body: { status: 'ready'; version: number; updatedAt: string } }
  | { ready: false; body: { status: 'starting' | 'stale' | 'error'; reason: string; since?: string } };

export function readiness({ state, startError, configError }: ReadinessInput): Readiness {
  if (configError) return { ready: false, body: { status: 'error', reason: configError } };
  if (!state || !state.ready) {
    if (startError) return { ready: false, body: { status: 'error', reason: `first sync failed: ${startError}` } };
    return { ready: false, body: { status: 'starting', reason: 'the first sync of the data source is not done yet' } };
  }
  if (state.stale) return { ready: false, body: { status: 'stale', reason: state.stale.reason, since: state.stale.since } };
  return { ready: true, body: { status: 'ready', version: state.version, updatedAt: state.updatedAt } };
}
