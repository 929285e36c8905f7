import 'server-only';
import type { KindInfo } from '../../lib/kinds';
import { slimObject } from '../../lib/model/projection';
import { capDepth, MAX_OBJECT_DEPTH } from './depth';
import { collectionPath, KubeError, type KubeReader } from './kube-client';

export type ReflectorEvent = { type: 'upsert'; object: Record<string, unknown> } | { type: 'delete'; object: Record<string, unknown> };

/** Hooks receive slim projections (lib/model/projection.ts), never the objects as the API server sent them. */
export interface ReflectorHooks {
  /** One page of a (re)list, as it arrives. */
  onListPage(kind: KindInfo, namespace: string | null, items: Record<string, unknown>[]): void;
  /** The (re)list is complete; `seen` holds the `namespace/name` of every object it contained (the rest is gone). */
  onListEnd(kind: KindInfo, namespace: string | null, seen: Set<string>): void;
  onEvent(kind: KindInfo, namespace: string | null, event: ReflectorEvent): void;
  /**
   * The kind could not be read (403, CRD missing, API down, throttled); null when a LIST succeeded again.
   * `listedBefore`: this collection has completed a successful LIST before (its objects were known once).
   */
  onGap(kind: KindInfo, namespace: string | null, error: KubeError | null, listedBefore: boolean): void;
  onWatchRestart(kind: KindInfo): void;
  /** An object that could not be taken in as sent (too deeply nested, or projecting it threw); null clears it. */
  onObjectIssue?(kind: KindInfo, key: string, message: string | null): void;
}

export interface ReflectorTiming {
  /** First retry after a connection failure; doubles up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How often a forbidden or missing kind is tried again (permissions and CRDs can appear later). */
  gapRetryMs: number;
  /**
   * `timeoutSeconds` of each WATCH: the server ends it normally after this long and it is re-opened from the last
   * version seen, so even a kind nobody touches is heard from (an event, a bookmark or that close) this often.
   */
  watchTimeoutSeconds: number;
  /**
   * A watch that has not been heard from (event, bookmark, close) for this long is presumed dead — a frozen
   * apiserver, a silently dropped connection — and is abandoned for a relist. Also the freshness bound the source
   * uses for "stale" (server/live/source.ts).
   */
  silenceMs: number;
}

export const DEFAULT_TIMING: ReflectorTiming = { backoffMs: 500, maxBackoffMs: 30_000, gapRetryMs: 30_000, watchTimeoutSeconds: 60, silenceMs: 120_000 };

function keyOf(o: Record<string, unknown>): string {
  const m = (o.metadata ?? {}) as { namespace?: string; name?: string };
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

function asKubeError(e: unknown, fallback: KubeError['reason']): KubeError {
  return e instanceof KubeError ? e : new KubeError(String((e as Error)?.message ?? e), null, fallback);
}

type WatchOutcome = { err: KubeError | null; relist: boolean; rv: string };

/**
 * List, then watch, one collection (a kind, cluster-wide or in one namespace), for as long as it runs: paged LIST;
 * WATCH from its resourceVersion; a normal server close re-watches from the last version seen; 410 Gone relists;
 * any other failure retries with capped exponential backoff (a 429 no sooner than its Retry-After) and a relist.
 * A watch silent beyond `silenceMs` is abandoned. A stopped reflector stays stopped.
 */
export class Reflector {
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Ends the watch in progress (or the wait before the next LIST) and relists. */
  private interrupt: ((why: KubeError | null) => void) | null = null;
  private settledOnce!: () => void;
  /** Resolves once the first LIST has an outcome: success, or a recorded gap (the kind then keeps being retried). */
  readonly firstList: Promise<void>;
  /** Whether a LIST of this collection has ever succeeded. */
  listedOnce = false;
  /** When the apiserver last answered for this collection (LIST, watch event, bookmark, normal close); ms epoch. */
  lastHeardAt = 0;
  /** Whether a LIST or WATCH is currently established or in flight (not sleeping after a failure). */
  private watching = false;

  constructor(
    private readonly client: KubeReader,
    readonly kind: KindInfo,
    readonly namespace: string | null,
    private readonly hooks: ReflectorHooks,
    private readonly timing: ReflectorTiming,
  ) {
    this.firstList = new Promise((resolve) => (this.settledOnce = resolve));
  }

  stop(): void {
    this.stopped = true;
    this.interrupt?.(null);
    this.wake?.();
  }

  /** Drops the current watch and relists now (the periodic access re-check saw this kind answer differently). */
  relist(): void {
    if (this.interrupt) this.interrupt(null);
    else this.wake?.();
  }

  /** Milliseconds since the apiserver was last heard from while watching; 0 while not watching (see `lastHeardAt`). */
  silentForMs(now: number): number {
    return this.watching ? now - this.lastHeardAt : 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      t.unref?.();
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  /**
   * Slims an object as it arrives, with its type filled in (LIST items carry none): a relist of 60,000 TaskRuns
   * then never holds the full objects (managedFields, step states) all at once. Hostile depth is cut first, so no
   * later recursive walk (projection, model, checks) can overflow the stack. Null: the object cannot be taken in.
   */
  private slim(item: Record<string, unknown>): Record<string, unknown> | null {
    const key = keyOf(item);
    try {
      const { value, truncated } = capDepth(item, MAX_OBJECT_DEPTH);
      const capped = value as Record<string, unknown>;
      const typed = { ...capped, apiVersion: capped.apiVersion ?? `${this.kind.group ? `${this.kind.group}/` : ''}${this.kind.version}`, kind: capped.kind ?? this.kind.kind };
      const out = slimObject(typed);
      this.hooks.onObjectIssue?.(this.kind, key, truncated ? `nested deeper than ${MAX_OBJECT_DEPTH} levels: the deeper fields were not read` : null);
      return out;
    } catch (e) {
      this.hooks.onObjectIssue?.(this.kind, key, `could not be read: ${(e as Error)?.message ?? String(e)}`);
      return null;
    }
  }

  /** One paged LIST of the collection; returns its resourceVersion. */
  async listOnce(): Promise<string> {
    const path = collectionPath(this.kind, this.namespace);
    const seen = new Set<string>();
    const rv = await this.client.listAll(path, (page) => {
      const items: Record<string, unknown>[] = [];
      for (const raw of page) {
        seen.add(keyOf(raw)); // an object we cannot take in is still there: its absence would read as a deletion
        const item = this.slim(raw);
        if (item) items.push(item);
      }
      this.hooks.onListPage(this.kind, this.namespace, items);
    });
    this.hooks.onListEnd(this.kind, this.namespace, seen);
    return rv;
  }

  async run(): Promise<void> {
    let backoff = this.timing.backoffMs;
    const path = collectionPath(this.kind, this.namespace);
    while (!this.stopped) {
      let rv: string;
      this.watching = true;
      this.lastHeardAt = Date.now();
      try {
        rv = await this.listOnce();
      } catch (e) {
        this.watching = false;
        if (this.stopped) return;
        const err = asKubeError(e, 'error');
        this.hooks.onGap(this.kind, this.namespace, err, this.listedOnce);
        this.settledOnce();
        if (err.reason === 'forbidden' || err.reason === 'not-installed') {
          await this.sleep(this.timing.gapRetryMs);
        } else {
          // A throttled server said when to come back: never sooner, and the backoff still grows.
          await this.sleep(Math.max(backoff, err.retryAfterMs ?? 0));
          backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
        }
        continue;
      }
      this.listedOnce = true;
      this.lastHeardAt = Date.now();
      this.hooks.onGap(this.kind, this.namespace, null, true);
      backoff = this.timing.backoffMs;
      this.settledOnce();
      // Watch until something calls for a relist.
      for (;;) {
        if (this.stopped) return;
        const lastRv = rv;
        const out = await this.watchOnce(path, rv);
        rv = out.rv;
        if (this.stopped) return;
        this.hooks.onWatchRestart(this.kind);
        if (out.err && out.err.reason !== 'gone') {
          this.watching = false;
          this.hooks.onGap(this.kind, this.namespace, out.err, true);
          await this.sleep(Math.max(backoff, out.err.retryAfterMs ?? 0));
          backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
          break; // relist
        }
        if (out.err || out.relist) break;
        // A normal server-side close: re-watch from the last version seen.
        if (rv === lastRv) await this.sleep(50);
      }
    }
  }

  /** One WATCH from `fromRv`, until the server closes it, it fails, it falls silent, or someone interrupts it. */
  private watchOnce(path: string, fromRv: string): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      let rv = fromRv;
      let relist = false;
      let finished = false;
      let handle: { abort(): void } | null = null;
      const finish = (err: KubeError | null) => {
        if (finished) return;
        finished = true;
        clearInterval(watchdog);
        this.interrupt = null;
        try {
          handle?.abort();
        } catch {
          // already closed
        }
        resolve({ err, relist, rv });
      };
      this.interrupt = (why) => {
        relist = true;
        finish(why);
      };
      const watchdog = setInterval(() => {
        const silent = Date.now() - this.lastHeardAt;
        if (silent > this.timing.silenceMs) finish(new KubeError(`watch ${path}: nothing heard from the API server for ${(silent / 1000).toFixed(1)} s`, null, 'unreachable'));
      }, Math.max(100, Math.min(1000, this.timing.silenceMs / 4)));
      watchdog.unref?.();
      this.client
        .watch(
          path,
          fromRv,
          (event) => {
            if (finished) return;
            this.lastHeardAt = Date.now();
            const meta = (event.object?.metadata ?? {}) as { resourceVersion?: string };
            if (event.type === 'ERROR') {
              const code = (event.object as { code?: number } | null)?.code;
              if (code === 410) relist = true;
              return;
            }
            if (typeof meta.resourceVersion === 'string' && meta.resourceVersion) rv = meta.resourceVersion;
            if (event.type === 'BOOKMARK') return;
            // One bad object must not end the watch for the others, nor escape into the HTTP client's stream.
            const object = this.slim(event.object ?? {});
            if (!object) return;
            try {
              this.hooks.onEvent(this.kind, this.namespace, { type: event.type === 'DELETED' ? 'delete' : 'upsert', object });
            } catch (e) {
              this.hooks.onObjectIssue?.(this.kind, keyOf(object), `could not be applied: ${(e as Error)?.message ?? String(e)}`);
            }
          },
          (err) => {
            if (!finished && !err) this.lastHeardAt = Date.now(); // a normal close at timeoutSeconds is the server talking
            finish(err);
          },
          { timeoutSeconds: this.timing.watchTimeoutSeconds },
        )
        .then(
          (w) => {
            handle = w;
            if (finished) w.abort();
          },
          (e: unknown) => finish(asKubeError(e, 'unreachable')),
        );
    });
  }
}

export { keyOf };
