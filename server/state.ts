import 'server-only';
import { readFileSync } from 'node:fs';
import { CHECKS } from '../lib/checks/registry';
import { scan, type ScanResult } from '../lib/engine/scan';
import { defaultPolicy } from '../lib/policy/defaults';
import { parsePolicy } from '../lib/policy/parse';
import type { Policy } from '../lib/policy/types';
import { recordPublished } from './history/recorder';
import { log } from './log';
import { observeScanSeconds } from './metrics';
import { demoPolicyText, scanDemo } from './sources/demo';
import { loadFromPaths } from './sources/files';

/**
 * The engine's current state as every page, route handler and metric reads it. `version` increases whenever
 * the data changes, so clients can tell whether what they hold is stale; `subscribe` pushes each change (SSE).
 *
 * Where the data comes from is chosen once from the environment:
 *   POSTURE_SOURCE=demo (default when no cluster is configured) | files (POSTURE_FILES=path[,path]) | live
 * The live source (server/live) replaces `current` on every re-score.
 */
export interface EngineState extends ScanResult {
  version: number;
  ready: boolean;
  updatedAt: string;
  /** Set while the live source cannot reach the API server: the data shown is stale. */
  stale: { since: string; reason: string } | null;
}

type Listener = (s: EngineState) => void;

interface Store {
  current: EngineState | null;
  listeners: Set<Listener>;
  starting: Promise<void> | null;
  policy: Policy | null;
  /** Why the operator's policy config was rejected: the app then reports not ready and every page says so. */
  policyError: string | null;
}

// Route handlers and instrumentation are separate module graphs in Next: the store lives on globalThis.
const g = globalThis as typeof globalThis & { __tektonPosture?: Store };

/**
 * The operator's policy (POSTURE_POLICY); the demo cluster, when shown, is scored with its own. A policy that does
 * not parse is not replaced by defaults silently: the error is kept (readiness fails, every page shows it) and the
 * data is scored with the defaults meanwhile, so the operator still sees something while fixing it.
 */
export function loadPolicyFromEnv(kind: 'demo' | 'files' | 'live'): { policy: Policy; error: string | null } {
  const file = process.env.POSTURE_POLICY;
  if (!file) {
    const demo = kind === 'demo' ? demoPolicyText() : null;
    return { policy: demo ? parsePolicy(demo, 'lib/demo/policy.yaml') : defaultPolicy(), error: null };
  }
  try {
    return { policy: parsePolicy(readFileSync(file, 'utf8'), file), error: null };
  } catch (e) {
    const error = `policy config ${file} rejected: ${(e as Error).message}`;
    log.error({ file, err: (e as Error).message }, 'policy config rejected; scoring with the default policy until it is fixed');
    return { policy: defaultPolicy(), error };
  }
}

function store(): Store {
  g.__tektonPosture ??= { current: null, listeners: new Set(), starting: null, policy: null, policyError: null };
  return g.__tektonPosture;
}

export function configuredSource(): 'demo' | 'files' | 'live' | 'auto' {
  const s = process.env.POSTURE_SOURCE;
  if (s === 'live' || s === 'files' || s === 'demo') return s;
  return 'auto';
}

/** Publishes a new state (the live source calls this after every re-score). */
export function publish(result: ScanResult, extra: { stale?: EngineState['stale']; scanMs?: number } = {}): EngineState {
  const st = store();
  if (extra.scanMs !== undefined) observeScanSeconds(extra.scanMs / 1000);
  const next: EngineState = {
    ...result,
    version: (st.current?.version ?? 0) + 1,
    ready: true,
    updatedAt: new Date().toISOString(),
    stale: extra.stale ?? null,
  };
  st.current = next;
  // Returns at once: the history writes the newest state later, at most once per interval, and never throws here.
  recordPublished(next.report);
  for (const l of st.listeners) {
    try {
      l(next);
    } catch {
      // a broken subscriber must not stop the others
    }
  }
  return next;
}

export function markStale(stale: EngineState['stale']): void {
  const st = store();
  if (!st.current) return;
  st.current = { ...st.current, stale, version: st.current.version + 1 };
  for (const l of st.listeners) {
    try {
      l(st.current);
    } catch {
      // a broken subscriber must not stop the others, nor the source that marks the data stale
    }
  }
}

export function subscribe(listener: Listener): () => void {
  const st = store();
  st.listeners.add(listener);
  return () => st.listeners.delete(listener);
}

function scanStatic(kind: 'demo' | 'files', policy: Policy): ScanResult {
  if (kind === 'demo') return scanDemo(policy);
  const paths = (process.env.POSTURE_FILES ?? '').split(',').filter(Boolean);
  const loaded = loadFromPaths(paths);
  return scan({ objects: loaded.objects, loadIssues: loaded.issues, policy, source: { kind: 'files', detail: paths.join(', ') } });
}

/** Starts the configured source once (idempotent); resolves when the first state is published. */
export async function ensureStarted(): Promise<void> {
  const st = store();
  if (st.current) return;
  st.starting ??= (async () => {
    let kind = configuredSource();
    if (kind === 'auto') {
      const { clusterReachable } = await import('./live/probe');
      kind = (await clusterReachable()) ? 'live' : 'demo';
    }
    const { policy, error } = loadPolicyFromEnv(kind);
    st.policy = policy;
    st.policyError = error;
    if (kind === 'live') {
      const { startLiveSource } = await import('./live/source');
      await startLiveSource(policy);
    } else {
      const t0 = performance.now();
      const result = scanStatic(kind, policy);
      publish(result, { scanMs: performance.now() - t0 });
    }
  })();
  try {
    await st.starting;
  } catch (e) {
    // A failed start-up is retried by the next request instead of being cached for good.
    st.starting = null;
    log.error({ err: e instanceof Error ? e.message : String(e) }, 'data source failed to start');
    throw e;
  }
}

export async function getState(): Promise<EngineState> {
  await ensureStarted();
  const s = store().current;
  if (!s) throw new Error('the engine has no data yet');
  return s;
}

/** Non-blocking peek for health endpoints. */
export function peekState(): EngineState | null {
  return store().current;
}

/** Why the operator's policy was rejected, or null. */
export function policyError(): string | null {
  return store().policyError;
}

export function currentPolicy(): Policy {
  return store().policy ?? defaultPolicy();
}

export { CHECKS };
