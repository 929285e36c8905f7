import 'server-only';
import type { Report } from '../../lib/report/types';
import { historyConfig, redactUrl, type HistoryConfig } from './config';
import type { HistoryStore } from './store';

/**
 * Writes published states to the history without ever standing in the engine's way: `recordPublished` only notes
 * the newest report and returns; a timer writes it at most once per `minIntervalMs` (a burst of live re-scores is
 * one write, of the last state); a failed write is logged and retried with backoff, never thrown to the caller.
 */
export interface HistoryRecorder {
  recordPublished(report: Report): void;
  /** The open store for readers, or null when history is off or cannot be opened (the reason is logged). */
  store(): Promise<HistoryStore | null>;
  /** Writes what is pending now (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface RecorderDeps {
  config: HistoryConfig;
  open: (config: HistoryConfig) => Promise<HistoryStore>;
  log: { info: (o: object, msg: string) => void; warn: (o: object, msg: string) => void; error: (o: object, msg: string) => void };
  now?: () => number;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export function createHistoryRecorder(deps: RecorderDeps): HistoryRecorder {
  const { config, log } = deps;
  const now = deps.now ?? Date.now;
  let opening: Promise<HistoryStore> | null = null;
  let pending: Report | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> | null = null;
  let lastWriteAt = -Infinity;
  let failures = 0;
  let closed = false;
  for (const w of config.warnings) log.warn({ component: 'history' }, w);

  const where = config.engine === 'postgres' && config.databaseUrl ? redactUrl(config.databaseUrl) : (config.dataDir ?? 'memory');

  function openStore(): Promise<HistoryStore> {
    opening ??= deps.open(config).then(
      (s) => {
        log.info({ component: 'history', engine: s.engine, where, cluster: config.cluster, retentionDays: config.retentionDays }, 'history store open');
        return s;
      },
      (e: unknown) => {
        // Not cached: the next write or read tries again (a database that was down may be back).
        opening = null;
        throw e;
      },
    );
    return opening;
  }

  function schedule(): void {
    if (closed || timer || writing || !pending) return;
    const backoff = failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, config.minIntervalMs * 2 ** failures);
    const delay = Math.max(0, lastWriteAt + config.minIntervalMs - now(), backoff);
    timer = setTimeout(() => {
      timer = null;
      void write();
    }, delay);
    // A pending write must not keep a CLI or a test process alive.
    timer.unref?.();
  }

  function write(): Promise<void> {
    if (writing) return writing;
    const report = pending;
    if (!report) return Promise.resolve();
    pending = null;
    writing = (async () => {
      const t0 = now();
      try {
        const store = await openStore();
        const r = await store.record(report, new Date(now()));
        failures = 0;
        if (r.scores || r.transitions) log.info({ component: 'history', ...r, ms: Math.round(now() - t0) }, 'history recorded');
      } catch (e) {
        failures++;
        // The newest state wins: a report published during the failed write replaces the one that failed.
        pending ??= report;
        log.error({ component: 'history', where, failures, err: e instanceof Error ? e.message : String(e) }, 'history write failed; retrying');
      } finally {
        lastWriteAt = now();
        writing = null;
        schedule();
      }
    })();
    return writing;
  }

  return {
    recordPublished(report) {
      if (closed) return;
      pending = report;
      schedule();
    },
    async store() {
      try {
        return await openStore();
      } catch (e) {
        log.warn({ component: 'history', where, err: e instanceof Error ? e.message : String(e) }, 'history store unavailable');
        return null;
      }
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      if (writing) await writing;
      if (pending) await write();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (writing) await writing;
      const s = opening;
      opening = null;
      if (s) await (await s.catch(() => null))?.close();
    },
  };
}

// Route handlers, pages and instrumentation are separate module graphs in Next: one recorder per process.
const g = globalThis as typeof globalThis & { __tektonPostureHistory?: HistoryRecorder | null };

async function defaultRecorder(): Promise<HistoryRecorder | null> {
  if (g.__tektonPostureHistory !== undefined) return g.__tektonPostureHistory;
  const config = historyConfig();
  if (!config.enabled) return (g.__tektonPostureHistory = null);
  const [{ openHistoryStore }, { log }] = await Promise.all([import('./open'), import('../log')]);
  g.__tektonPostureHistory ??= createHistoryRecorder({ config, open: openHistoryStore, log });
  return g.__tektonPostureHistory;
}

/** server/state.ts calls this after every publish; it returns at once and never throws. */
export function recordPublished(report: Report): void {
  try {
    const r = g.__tektonPostureHistory;
    if (r !== undefined) {
      r?.recordPublished(report);
      return;
    }
    defaultRecorder().then(
      (rec) => rec?.recordPublished(report),
      (e: unknown) => console.error(JSON.stringify({ level: 'error', msg: 'history recorder failed to start', error: e instanceof Error ? e.message : String(e) })),
    );
  } catch {
    // History is a side channel: nothing it does may break a publish.
  }
}

/** The history store for pages and route handlers; null when off or unavailable. */
export async function historyStore(): Promise<HistoryStore | null> {
  try {
    return (await (await defaultRecorder())?.store()) ?? null;
  } catch {
    return null;
  }
}

/** Sets the process's recorder (tests); `null` turns history off. */
export function setHistoryRecorder(recorder: HistoryRecorder | null | undefined): void {
  g.__tektonPostureHistory = recorder;
}

/** `p`'s value, or null when it rejects or takes longer than `ms` (a page never waits long for history). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    t = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([p.catch(() => null), timeout]);
  } finally {
    clearTimeout(t);
  }
}
