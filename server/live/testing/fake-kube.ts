/**
 * An in-memory apiserver for unit tests of the live source: collections by path, with per-collection faults
 * (a KubeError thrown by LIST, or `hang`: no answer at all) and watches that tests can feed, end or freeze.
 */
import type { KindInfo } from '../../../lib/kinds';
import { KINDS } from '../../../lib/kinds';
import { collectionPath, KubeError, type KubeReader, type ListPage, type WatchEvent, type WatchOptions } from '../kube-client';

type Raw = Record<string, unknown>;
type Fault = KubeError | 'hang';

interface FakeWatch {
  path: string;
  onEvent: (e: WatchEvent) => void;
  done: (err: KubeError | null) => void;
  closed: boolean;
}

export const forbidden = (what = 'forbidden') => new KubeError(`list: HTTP 403 ${what}`, 403, 'forbidden');
export const unreachable = () => new KubeError('cannot reach the API server: connect ECONNREFUSED', null, 'unreachable');
export const throttled = (ms = 10) => new KubeError('list: HTTP 429 Too Many Requests', 429, 'throttled', ms);

function kindOfRaw(o: Raw): KindInfo | undefined {
  const apiVersion = String(o.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return KINDS.find((k) => k.kind === o.kind && k.group === group);
}

export class FakeKube implements KubeReader {
  readonly server = 'https://fake.invalid';
  private readonly collections = new Map<string, Map<string, Raw>>();
  private readonly faults = new Map<string, Fault>();
  private readonly watches = new Set<FakeWatch>();
  private rv = 1;
  lists = 0;
  readonly listsByPath = new Map<string, number>();
  /** When each collection was listed (ms epoch), in order. */
  readonly listTimes = new Map<string, number[]>();
  /** While frozen nothing answers: LISTs wait, watches deliver nothing (a SIGSTOPped apiserver). */
  private frozen = false;
  private thawed: (() => void)[] = [];

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const go of this.thawed.splice(0)) go();
  }

  /** Stores objects under the collections the live source reads (cluster-wide and, for ConfigMaps, per namespace). */
  add(objects: Raw[]): void {
    for (const o of objects) this.upsert(o, false);
  }

  private pathsOf(o: Raw): string[] {
    const kind = kindOfRaw(o);
    if (!kind) return [];
    const ns = String(((o.metadata ?? {}) as Raw).namespace ?? '');
    if (kind.onlyNamespaces) return kind.onlyNamespaces.includes(ns) ? [collectionPath(kind, ns)] : [];
    return [collectionPath(kind, null)];
  }

  upsert(o: Raw, notify = true): void {
    const meta: Raw = { ...((o.metadata ?? {}) as Raw), resourceVersion: String(++this.rv) };
    const obj = { ...o, metadata: meta };
    const key = `${meta.namespace ?? ''}/${meta.name}`;
    for (const path of this.pathsOf(o)) {
      const c = this.collections.get(path) ?? new Map<string, Raw>();
      const existed = c.has(key);
      c.set(key, obj);
      this.collections.set(path, c);
      if (notify) this.emit(path, { type: existed ? 'MODIFIED' : 'ADDED', object: obj });
    }
  }

  /** Faults by kind (every collection of it) or exact path; null clears. */
  setFault(kind: string, fault: Fault | null): void {
    for (const k of KINDS.filter((x) => x.kind === kind)) {
      const paths = k.onlyNamespaces ? k.onlyNamespaces.map((ns) => collectionPath(k, ns)) : [collectionPath(k, null)];
      for (const p of paths) if (fault) this.faults.set(p, fault); else this.faults.delete(p);
    }
  }

  listsOf(kind: string): number {
    const k = KINDS.find((x) => x.kind === kind)!;
    return this.listsByPath.get(collectionPath(k, null)) ?? 0;
  }

  listTimesOf(kind: string): number[] {
    const k = KINDS.find((x) => x.kind === kind)!;
    return this.listTimes.get(collectionPath(k, null)) ?? [];
  }

  /** Ends every open watch as a dropped connection would. */
  dropWatches(err: KubeError | null = unreachable()): void {
    for (const w of [...this.watches]) {
      w.closed = true;
      this.watches.delete(w);
      w.done(err);
    }
  }

  private emit(path: string, e: WatchEvent): void {
    if (this.frozen) return;
    for (const w of this.watches) if (w.path === path && !w.closed) w.onEvent(e);
  }

  /** A raw event straight into the watches of a path (hostile objects the store would not hold). */
  emitRaw(kindName: string, e: WatchEvent): void {
    const kind = KINDS.find((k) => k.kind === kindName)!;
    this.emit(collectionPath(kind, null), e);
  }

  private async answer(path: string): Promise<Raw[]> {
    this.lists++;
    this.listsByPath.set(path, (this.listsByPath.get(path) ?? 0) + 1);
    this.listTimes.set(path, [...(this.listTimes.get(path) ?? []), Date.now()]);
    await Promise.resolve();
    if (this.frozen) await new Promise<void>((resolve) => this.thawed.push(resolve));
    const fault = this.faults.get(path);
    if (fault === 'hang') return new Promise<Raw[]>(() => undefined);
    if (fault) throw fault;
    return [...(this.collections.get(path)?.values() ?? [])];
  }

  async listPage(path: string, limit: number): Promise<ListPage> {
    const items = await this.answer(path);
    return { items: items.slice(0, limit), resourceVersion: String(this.rv), continueToken: null };
  }

  async listAll(path: string, onPage: (items: Raw[]) => void): Promise<string> {
    const items = await this.answer(path);
    onPage(items.map((o) => JSON.parse(JSON.stringify(o)) as Raw));
    return String(this.rv);
  }

  async watch(path: string, _rv: string, onEvent: (e: WatchEvent) => void, done: (err: KubeError | null) => void, opts: WatchOptions = {}): Promise<{ abort(): void }> {
    const fault = this.faults.get(path);
    if (fault && fault !== 'hang') throw fault;
    const w: FakeWatch = { path, onEvent, done, closed: false };
    this.watches.add(w);
    if (opts.timeoutSeconds) {
      // Like the apiserver: a normal close after timeoutSeconds — unless frozen, when nothing at all arrives.
      setTimeout(() => {
        if (w.closed || this.frozen) return;
        w.closed = true;
        this.watches.delete(w);
        done(null);
      }, opts.timeoutSeconds * 1000).unref?.();
    }
    return {
      abort: () => {
        if (w.closed) return;
        w.closed = true;
        this.watches.delete(w);
        done(new KubeError('aborted', null, 'error'));
      },
    };
  }
}
