import 'server-only';
import { readFileSync } from 'node:fs';
import { CHECKS } from '../lib/checks/registry';
import { scan, type ScanResult } from '../lib/engine/scan';
import { defaultPolicy } from '../lib/policy/defaults';
import { parsePolicy } from '../lib/policy/parse';
import type { Policy } from '../lib/policy/types';
import { demoPolicyText, loadDemo } from './sources/demo';
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
}

// Route handlers and instrumentation are separate module graphs in Next: the store lives on globalThis.
const g = globalThis as typeof globalThis & { __tektonPosture?: Store };

/** The operator's policy (POSTURE_POLICY); the demo cluster, when shown, is scored with its own. */
export function loadPolicyFromEnv(kind: 'demo' | 'files' | 'live'): Policy {
  const file = process.env.POSTURE_POLICY;
  if (!file) {
    const demo = kind === 'demo' ? demoPolicyText() : null;
    return demo ? parsePolicy(demo, 'lib/demo/policy.yaml') : defaultPolicy();
  }
  try {
    return parsePolicy(readFileSync(file, 'utf8'), file);
  } catch (e) {
    // A broken policy must be visible, not silently replaced by defaults in a way nobody notices.
    console.error(JSON.stringify({ level: 'error', msg: 'policy config rejected, using defaults', error: (e as Error).message }));
    return defaultPolicy();
  }
}

function store(): Store {
  g.__tektonPosture ??= { current: null, listeners: new Set(), starting: null, policy: null };
  return g.__tektonPosture;
}

export function configuredSource(): 'demo' | 'files' | 'live' | 'auto' {
  const s = process.env.POSTURE_SOURCE;
  if (s === 'live' || s === 'files' || s === 'demo') return s;
  return 'auto';
}

/** Publishes a new state (the live source calls this after every re-score). */
export function publish(result: ScanResult, extra: { stale?: EngineState['stale'] } = {}): EngineState {
  const st = store();
  const next: EngineState = {
    ...result,
    version: (st.current?.version ?? 0) + 1,
    ready: true,
    updatedAt: new Date().toISOString(),
    stale: extra.stale ?? null,
  };
  st.current = next;
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
  const paths = (process.env.POSTURE_FILES ?? '').split(',').filter(Boolean);
  const loaded = kind === 'demo' ? loadDemo() : loadFromPaths(paths);
  return scan({
    objects: loaded.objects,
    loadIssues: loaded.issues,
    policy,
    source: kind === 'demo' ? { kind: 'demo', detail: 'built-in demo cluster' } : { kind: 'files', detail: paths.join(', ') },
  });
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
    const policy = loadPolicyFromEnv(kind);
    st.policy = policy;
    if (kind === 'live') {
      const { startLiveSource } = await import('./live/source');
      await startLiveSource(policy);
    } else {
      publish(scanStatic(kind, policy));
    }
  })();
  await st.starting;
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

export function currentPolicy(): Policy {
  return store().policy ?? defaultPolicy();
}

export { CHECKS };
