import 'server-only';
import type { KindInfo } from '../../lib/kinds';
import { slimObject } from '../../lib/model/projection';
import { collectionPath, KubeError, type ReadOnlyKubeClient } from './kube-client';

export type ReflectorEvent = { type: 'upsert'; object: Record<string, unknown> } | { type: 'delete'; object: Record<string, unknown> };

/** Hooks receive slim projections (lib/model/projection.ts), never the objects as the API server sent them. */
export interface ReflectorHooks {
  /** One page of a (re)list, as it arrives. */
  onListPage(kind: KindInfo, namespace: string | null, items: Record<string, unknown>[]): void;
  /** The (re)list is complete; `seen` holds the `namespace/name` of every object it contained (the rest is gone). */
  onListEnd(kind: KindInfo, namespace: string | null, seen: Set<string>): void;
  onEvent(kind: KindInfo, namespace: string | null, event: ReflectorEvent): void;
  /** The kind could not be read (403, CRD missing, API down); null when it reads again. */
  onGap(kind: KindInfo, namespace: string | null, error: KubeError | null): void;
  onWatchRestart(kind: KindInfo): void;
}

export interface ReflectorTiming {
  /** First retry after a connection failure; doubles up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How often a forbidden or missing kind is tried again (permissions and CRDs can appear later). */
  gapRetryMs: number;
}

function keyOf(o: Record<string, unknown>): string {
  const m = (o.metadata ?? {}) as { namespace?: string; name?: string };
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

/**
 * List, then watch, one collection (a kind, cluster-wide or in one namespace), for as long as it runs: paged LIST;
 * WATCH from its resourceVersion; a normal server close re-watches from the last version seen; 410 Gone relists;
 * any other failure retries with capped exponential backoff and a relist. A stopped reflector stays stopped.
 */
export class Reflector {
  private stopped = false;
  private current: { abort(): void } | null = null;
  private wake: (() => void) | null = null;
  private firstListDone!: () => void;
  readonly firstList: Promise<void>;

  constructor(
    private readonly client: ReadOnlyKubeClient,
    readonly kind: KindInfo,
    readonly namespace: string | null,
    private readonly hooks: ReflectorHooks,
    private readonly timing: ReflectorTiming,
  ) {
    this.firstList = new Promise((resolve) => (this.firstListDone = resolve));
  }

  stop(): void {
    this.stopped = true;
    this.current?.abort();
    this.wake?.();
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
   * then never holds the full objects (managedFields, step states) all at once.
   */
  private slim(item: Record<string, unknown>): Record<string, unknown> {
    return slimObject({ ...item, apiVersion: item.apiVersion ?? `${this.kind.group ? `${this.kind.group}/` : ''}${this.kind.version}`, kind: item.kind ?? this.kind.kind });
  }

  /** One paged LIST of the collection; returns its resourceVersion. */
  async listOnce(): Promise<string> {
    const path = collectionPath(this.kind, this.namespace);
    const seen = new Set<string>();
    const rv = await this.client.listAll(path, (page) => {
      const items = page.map((item) => this.slim(item));
      for (const item of items) seen.add(keyOf(item));
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
      try {
        rv = await this.listOnce();
        this.hooks.onGap(this.kind, this.namespace, null);
        backoff = this.timing.backoffMs;
      } catch (e) {
        const err = e instanceof KubeError ? e : new KubeError(String((e as Error)?.message ?? e), null, 'error');
        this.hooks.onGap(this.kind, this.namespace, err);
        this.firstListDone();
        if (err.reason === 'forbidden' || err.reason === 'not-installed') {
          await this.sleep(this.timing.gapRetryMs);
        } else {
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
        }
        continue;
      }
      this.firstListDone();
      // Watch until something calls for a relist.
      for (;;) {
        if (this.stopped) return;
        let relist = false;
        const lastRv = rv;
        const ended = await new Promise<KubeError | null>((resolve) => {
          this.client
            .watch(
              path,
              lastRv,
              (event) => {
                const meta = (event.object?.metadata ?? {}) as { resourceVersion?: string };
                if (event.type === 'ERROR') {
                  const code = (event.object as { code?: number }).code;
                  if (code === 410) relist = true;
                  return;
                }
                if (meta.resourceVersion) rv = meta.resourceVersion;
                if (event.type === 'BOOKMARK') return;
                this.hooks.onEvent(this.kind, this.namespace, { type: event.type === 'DELETED' ? 'delete' : 'upsert', object: this.slim(event.object) });
              },
              resolve,
            )
            .then((w) => {
              this.current = w;
              if (this.stopped) w.abort();
            }, (e: unknown) => resolve(e instanceof KubeError ? e : new KubeError(String(e), null, 'unreachable')));
        });
        this.current = null;
        if (this.stopped) return;
        this.hooks.onWatchRestart(this.kind);
        if (ended && ended.reason === 'gone') relist = true;
        if (ended || relist) {
          if (ended && ended.reason !== 'gone') {
            this.hooks.onGap(this.kind, this.namespace, ended);
            await this.sleep(backoff);
            backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
          }
          break; // relist
        }
        // A normal server-side close: re-watch from the last version seen.
        if (rv === lastRv) await this.sleep(50);
      }
    }
  }
}

export { keyOf };
