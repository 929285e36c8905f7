import 'server-only';
import { KINDS, type KindInfo } from '../../lib/kinds';
import { IncrementalScan } from '../../lib/engine/incremental';
import { pipelineIdentity } from '../../lib/model/build';
import { makeObject } from '../../lib/model/load';
import type { DataGap, K8sObject, LoadIssue } from '../../lib/model/types';
import type { Policy } from '../../lib/policy/types';
import type { SourceInfo } from '../../lib/report/types';
import { log } from '../log';
import { markStale, publish } from '../state';
import { collectionPath, KubeError, loadKubeConfig, ReadOnlyKubeClient, type ClientOptions, type KubeReader } from './kube-client';
import { DEFAULT_TIMING, Reflector, type ReflectorEvent, type ReflectorTiming } from './reflector';

export interface LiveOptions extends ClientOptions {
  /** Namespaces to read (namespaced kinds); empty or absent = all namespaces. */
  namespaces?: string[];
  timing?: Partial<ReflectorTiming>;
  /**
   * How many PipelineRuns per pipeline the store keeps (older ones are counted, then dropped). Default: the policy's
   * `recentRuns`, the runs the checks read — memory then follows the number of pipelines, not the history length.
   */
  keepRunsPerPipeline?: number;
  /** Delay that batches bursts of events into one re-score. */
  debounceMs?: number;
  /**
   * How often every collection is re-checked with a one-item LIST. Revoked read access does not end a watch that
   * is already open (the apiserver authorizes a watch once, when it starts): this is what notices it. 0 = never.
   */
  accessRecheckMs?: number;
  /** The client to read with (tests pass a fake); default: one built from the kubeconfig. */
  client?: KubeReader;
}

export interface LiveStats {
  objectsByKind: Record<string, number>;
  watchRestarts: number;
  lastEventAt: string | null;
  synced: boolean;
  stale: { since: string; reason: string } | null;
  gaps: DataGap[];
  rescans: { full: number; incremental: number; lastMs: number };
}

type Raw = Record<string, unknown>;

function metaOf(o: Raw): { name: string; namespace: string | null } {
  const m = (o.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return { name: typeof m.name === 'string' ? m.name : '', namespace: typeof m.namespace === 'string' ? m.namespace : null };
}

/** `slim` comes from a Reflector, already projected (lib/model/projection.ts). */
function toK8s(kind: KindInfo, slim: Raw): K8sObject {
  const apiVersion = typeof slim.apiVersion === 'string' ? slim.apiVersion : kind.group ? `${kind.group}/${kind.version}` : kind.version;
  return makeObject(slim, kind.kind, apiVersion, metaOf(slim).name, {});
}

const liveLog = log.child({ component: 'live' });

function gapKey(kind: string, namespace: string | null): string {
  return `${kind}\u0000${namespace ?? ''}`;
}

function runTime(o: K8sObject): string {
  const st = (o.raw.status ?? {}) as { startTime?: string };
  return st.startTime ?? o.creationTimestamp ?? '';
}

/**
 * The live source: one reflector per kind (and per namespace when scoped) feeding an object store; run changes
 * re-score only the pipelines they touch, any other change re-scores everything (debounced). Publishes every new
 * state to server/state.ts; reports stale data while the API server is unreachable.
 */
export class LiveSource {
  private readonly store = new Map<string, Map<string, K8sObject>>();
  private readonly runsByGroup = new Map<string, Set<string>>();
  /** `ns/pipelineRun` → keys of its TaskRuns, so evicting a run does not scan every TaskRun. */
  private readonly taskRunsByParent = new Map<string, Set<string>>();
  private readonly gapMap = new Map<string, DataGap>();
  /** Collections whose last LIST or WATCH failed for want of an answer (down, cut, throttled): the data is stale. */
  private readonly unreachable = new Map<string, string>();
  /** Objects that could not be taken in as sent, by `kind ns/name`: shown as load issues, never silently dropped. */
  private readonly objectIssues = new Map<string, LoadIssue>();
  private readonly reflectors: Reflector[] = [];
  private readonly client: KubeReader;
  private readonly timing: ReflectorTiming;
  private scan: IncrementalScan | null = null;
  private pendingRuns: { object: K8sObject; deleted: boolean }[] = [];
  private pendingFull = false;
  private timer: NodeJS.Timeout | null = null;
  /** The first state is published; changes are re-scored from then on. */
  private synced = false;
  private staleSince: string | null = null;
  private staleReason: string | null = null;
  private freshnessTimer: NodeJS.Timeout | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private seenRuns = { PipelineRun: new Set<string>(), TaskRun: new Set<string>() };
  /** PipelineRuns seen per pipeline (group key), kept or not: the model weighs roll-ups by how often pipelines run. */
  private readonly runsSeenByGroup = new Map<string, number>();
  private oldestCompleted: string | null = null;
  readonly stats: LiveStats = { objectsByKind: {}, watchRestarts: 0, lastEventAt: null, synced: false, stale: null, gaps: [], rescans: { full: 0, incremental: 0, lastMs: 0 } };

  constructor(
    private readonly policy: Policy,
    private readonly options: LiveOptions = {},
    private readonly onPublish: (s: ReturnType<IncrementalScan['current']>, stale: LiveStats['stale']) => void = (s, stale) => publish(s, { stale }),
  ) {
    this.client = options.client ?? new ReadOnlyKubeClient(loadKubeConfig(options), options);
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    // A watch is only sure to speak once per timeoutSeconds: a shorter silence bound would call quiet kinds stale.
    timing.silenceMs = Math.max(timing.silenceMs, timing.watchTimeoutSeconds * 1500);
    this.timing = timing;
  }

  private get keepRuns(): number {
    return this.options.keepRunsPerPipeline ?? this.policy.recentRuns;
  }

  private sourceInfo(): SourceInfo {
    const ns = this.options.namespaces?.length ? ` · namespaces ${this.options.namespaces.join(', ')}` : '';
    return { kind: 'live', detail: `${this.client.server}${this.options.context ? ` (context ${this.options.context})` : ''}${ns}`, lastEventAt: this.stats.lastEventAt };
  }

  private kindsToRead(): { kind: KindInfo; namespace: string | null }[] {
    const out: { kind: KindInfo; namespace: string | null }[] = [];
    const scoped = this.options.namespaces?.length ? this.options.namespaces : null;
    for (const kind of KINDS) {
      if (kind.onlyNamespaces) for (const ns of kind.onlyNamespaces) out.push({ kind, namespace: ns });
      else if (kind.namespaced && scoped) for (const ns of scoped) out.push({ kind, namespace: ns });
      else out.push({ kind, namespace: null });
    }
    // PipelineRuns before TaskRuns: a TaskRun is kept only when its PipelineRun is (or it has none).
    return out.sort((a, b) => Number(a.kind.kind === 'TaskRun') - Number(b.kind.kind === 'TaskRun'));
  }

  private bucket(kind: string): Map<string, K8sObject> {
    let m = this.store.get(kind);
    if (!m) this.store.set(kind, (m = new Map()));
    return m;
  }

  private groupKey(o: K8sObject): string {
    return `${o.namespace}\u0000${pipelineIdentity(o).key}`;
  }

  private noteRun(o: K8sObject): void {
    const seen = this.seenRuns[o.kind as 'PipelineRun' | 'TaskRun'];
    const key = `${o.namespace}/${o.name}`;
    if (o.kind === 'PipelineRun' && !seen.has(key)) this.countRun(o, +1);
    seen.add(key);
    const done = ((o.raw.status ?? {}) as { completionTime?: string }).completionTime;
    if (done && (this.oldestCompleted === null || done < this.oldestCompleted)) this.oldestCompleted = done;
  }

  private countRun(run: K8sObject, delta: 1 | -1): void {
    const group = this.groupKey(run);
    const n = (this.runsSeenByGroup.get(group) ?? 0) + delta;
    if (n > 0) this.runsSeenByGroup.set(group, n);
    else this.runsSeenByGroup.delete(group);
  }

  /** Stores an object; returns the run changes it causes (a run kept or evicted), or 'other' for non-run kinds. */
  private upsert(kind: KindInfo, raw: Raw): { object: K8sObject; deleted: boolean }[] | 'other' | 'ignored' {
    const o = toK8s(kind, raw);
    if (kind.onlyNames && !kind.onlyNames.includes(o.name)) return 'ignored';
    const key = `${o.namespace ?? ''}/${o.name}`;
    if (kind.kind === 'PipelineRun') {
      this.noteRun(o);
      this.bucket('PipelineRun').set(key, o);
      const group = this.groupKey(o);
      let runs = this.runsByGroup.get(group);
      if (!runs) this.runsByGroup.set(group, (runs = new Set()));
      runs.add(key);
      const changes = [{ object: o, deleted: false }];
      if (runs.size > this.keepRuns) {
        const prs = this.bucket('PipelineRun');
        const oldest = [...runs].map((k) => prs.get(k)).filter((x): x is K8sObject => !!x).sort((a, b) => runTime(a).localeCompare(runTime(b)))[0];
        if (oldest === o) {
          // Older than every run kept: counted in the totals, never kept (lists often come newest first).
          this.remove('PipelineRun', key);
          return 'ignored';
        }
        if (oldest) changes.push(...this.remove('PipelineRun', `${oldest.namespace ?? ''}/${oldest.name}`));
      }
      return changes;
    }
    if (kind.kind === 'TaskRun') {
      this.noteRun(o);
      const parent = o.labels['tekton.dev/pipelineRun'] ?? o.ownerReferences.find((r) => r.kind === 'PipelineRun')?.name;
      const parentKey = parent ? `${o.namespace ?? ''}/${parent}` : null;
      if (parentKey && !this.bucket('PipelineRun').has(parentKey)) return 'ignored';
      this.bucket('TaskRun').set(key, o);
      if (parentKey) {
        let siblings = this.taskRunsByParent.get(parentKey);
        if (!siblings) this.taskRunsByParent.set(parentKey, (siblings = new Set()));
        siblings.add(key);
      }
      return [{ object: o, deleted: false }];
    }
    this.bucket(kind.kind).set(key, o);
    return 'other';
  }

  private remove(kindName: string, key: string): { object: K8sObject; deleted: boolean }[] {
    const bucket = this.bucket(kindName);
    const o = bucket.get(key);
    if (!o) return [];
    bucket.delete(key);
    if (kindName === 'PipelineRun') {
      this.runsByGroup.get(this.groupKey(o))?.delete(key);
      // Its TaskRuns go with it.
      const trs = this.bucket('TaskRun');
      for (const k of this.taskRunsByParent.get(key) ?? []) trs.delete(k);
      this.taskRunsByParent.delete(key);
    }
    return [{ object: o, deleted: true }];
  }

  /** One page of a (re)list: stored as it arrives, so a relist never holds every object of a kind at once. */
  private onListPage(kind: KindInfo, items: Raw[]): void {
    for (const item of items) this.apply(kind, { type: 'upsert', object: item }, false);
  }

  /** The (re)list is complete: what it did not contain is gone from the cluster. */
  private onListEnd(kind: KindInfo, namespace: string | null, seen: Set<string>): void {
    const isRun = kind.kind === 'PipelineRun' || kind.kind === 'TaskRun';
    for (const [key, o] of this.bucket(kind.kind)) {
      if ((namespace === null || o.namespace === namespace) && !seen.has(key)) {
        const removed = this.remove(kind.kind, key);
        if (isRun) this.noteRunChanges(removed);
        else this.pendingFull = true;
      }
    }
    if (this.synced) this.schedule();
  }

  /** Run changes feed the incremental re-score; redundant (and only holding memory) while a full one is due. */
  private noteRunChanges(changes: { object: K8sObject; deleted: boolean }[]): void {
    if (this.synced && !this.pendingFull) this.pendingRuns.push(...changes);
  }

  /** One object that cannot be taken in (or applied) is a load issue; the rest keeps flowing. */
  private noteObjectIssue(kind: KindInfo, key: string, message: string | null): void {
    const id = `${kind.kind} ${key}`;
    if (message === null) {
      if (this.objectIssues.delete(id)) this.pendingFull = true;
      return;
    }
    if (this.objectIssues.get(id)?.message.endsWith(message)) return;
    liveLog.warn({ kind: kind.kind, object: key, problem: message }, 'object not taken in as sent');
    this.objectIssues.set(id, { message: `${kind.kind} ${key}: ${message}` });
    this.pendingFull = true;
    if (this.synced) this.schedule();
  }

  private apply(kind: KindInfo, event: ReflectorEvent, schedule = true): void {
    try {
      this.applyUnsafe(kind, event);
    } catch (e) {
      const m = metaOf(event.object);
      this.noteObjectIssue(kind, `${m.namespace ?? ''}/${m.name}`, `could not be applied: ${(e as Error)?.message ?? String(e)}`);
    }
    if (schedule && this.synced) this.schedule();
  }

  private applyUnsafe(kind: KindInfo, event: ReflectorEvent): void {
    if (event.type === 'delete') {
      const m = metaOf(event.object);
      const removed = this.remove(kind.kind, `${m.namespace ?? ''}/${m.name}`);
      if (kind.kind === 'PipelineRun' || kind.kind === 'TaskRun') {
        if (kind.kind === 'PipelineRun' && this.seenRuns.PipelineRun.has(`${m.namespace ?? ''}/${m.name}`)) this.countRun(toK8s(kind, event.object), -1);
        this.seenRuns[kind.kind].delete(`${m.namespace ?? ''}/${m.name}`);
        this.noteRunChanges(removed);
      } else if (removed.length) this.pendingFull = true;
    } else {
      const r = this.upsert(kind, event.object);
      if (r === 'other') this.pendingFull = true;
      else if (r !== 'ignored') this.noteRunChanges(r);
    }
  }

  /**
   * Data gaps and staleness. A collection that has never completed a LIST is a gap whatever the reason (the
   * apiserver down, throttling, a 500): its checks are `unknown`, never scored on an empty kind. One read before
   * that fails for want of an answer keeps its objects and marks the data stale. A 403 on a kind read before keeps
   * its last-known objects (subjects seen through them stay) and records the gap, so the checks that need the kind
   * are `unknown` and nothing improves because data went missing. A 404 (CRD removed) drops them: they are gone.
   */
  private onGap(kind: KindInfo, namespace: string | null, error: KubeError | null, listedBefore: boolean): void {
    const key = gapKey(kind.kind, namespace);
    if (error === null) {
      const hadGap = this.gapMap.delete(key);
      const wasUnreachable = this.unreachable.delete(key);
      if (hadGap) this.pendingFull = true;
      if (hadGap || wasUnreachable) {
        this.refreshStale();
        if (this.synced) this.schedule();
      }
      return;
    }
    const definitive = error.reason === 'forbidden' || error.reason === 'not-installed';
    if (!definitive) {
      this.unreachable.set(key, `${kind.kind}${namespace ? ` in ${namespace}` : ''}: ${error.message}`);
      liveLog.warn({ kind: kind.kind, namespace, reason: error.reason, err: error.message }, 'collection not read');
    } else if (this.unreachable.delete(key)) {
      liveLog.info({ kind: kind.kind, namespace, reason: error.reason }, 'collection answers again, with a refusal');
    }
    if (!definitive && listedBefore) {
      this.refreshStale();
      return;
    }
    const reason: DataGap['reason'] = definitive ? (error.reason as 'forbidden' | 'not-installed') : error.reason === 'throttled' || error.reason === 'unreachable' ? error.reason : 'error';
    const previous = this.gapMap.get(key);
    this.gapMap.set(key, { kind: kind.kind, namespace, reason, message: error.message });
    if (reason === 'not-installed') {
      for (const [k, o] of this.bucket(kind.kind)) if (namespace === null || o.namespace === namespace) this.bucket(kind.kind).delete(k);
    }
    if (!previous || previous.reason !== reason) {
      if (previous?.reason !== 'forbidden' && reason === 'forbidden' && listedBefore) liveLog.warn({ kind: kind.kind, namespace }, 'read access lost: last-known objects kept, checks that need them unknown');
      this.pendingFull = true;
      if (this.synced) this.schedule();
    }
    this.refreshStale();
  }

  /**
   * Why the data cannot be called current, or null: a collection unanswered, a collection never listed, or one
   * whose watch has been silent beyond the bound (a silent watch is no proof of freshness: catalog v1.1 "Facts").
   */
  private staleCause(now = Date.now()): string | null {
    if (this.unreachable.size > 0) {
      const first = this.unreachable.values().next().value as string;
      return this.unreachable.size === 1 ? first : `${first} (and ${this.unreachable.size - 1} more collections)`;
    }
    const notListed = this.reflectors.filter((r) => !r.listedOnce && !this.gapMap.has(gapKey(r.kind.kind, r.namespace)));
    if (!this.stats.synced && notListed.length) return `first sync not complete: ${notListed.length} collections not read yet`;
    const silent = this.reflectors.filter((r) => r.silentForMs(now) > this.timing.silenceMs);
    if (silent.length) return `nothing heard from the API server for over ${Math.round(this.timing.silenceMs / 1000)} s (${silent[0].kind.kind}${silent.length > 1 ? ` and ${silent.length - 1} more` : ''})`;
    return null;
  }

  /** Recomputes staleness; publishes the change when there is one. */
  private refreshStale(now = Date.now()): void {
    const cause = this.staleCause(now);
    if (cause === this.staleReason) return;
    const wasStale = this.staleReason !== null;
    this.staleReason = cause;
    if (cause) {
      if (!wasStale) this.staleSince = new Date(now).toISOString();
      this.stats.stale = { since: this.staleSince!, reason: cause };
      if (!wasStale) liveLog.warn({ reason: cause }, 'live data stale');
      if (this.synced) markStale(this.stats.stale);
    } else {
      this.staleSince = null;
      this.stats.stale = null;
      liveLog.info('live data current again');
      this.pendingFull = true;
      if (this.synced) this.schedule();
    }
  }

  private schedule(): void {
    this.stats.lastEventAt = new Date().toISOString();
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.options.debounceMs ?? 50);
  }

  private allObjects(): K8sObject[] {
    return [...this.store.values()].flatMap((m) => [...m.values()]);
  }

  private runTotals() {
    return { totalPipelineRuns: this.seenRuns.PipelineRun.size, totalTaskRuns: this.seenRuns.TaskRun.size, oldestCompletedRun: this.oldestCompleted };
  }

  /** Re-scores what the pending changes touch and publishes the new state; a failure marks the data stale. */
  flush(): void {
    try {
      this.flushUnsafe();
    } catch (e) {
      // Never freeze on a published "fresh" state that no longer follows the cluster.
      const reason = `re-scoring failed: ${(e as Error)?.message ?? String(e)}`;
      liveLog.error({ err: (e as Error)?.stack ?? String(e) }, 're-scoring failed');
      this.scan = null;
      this.pendingFull = true;
      this.staleSince ??= new Date().toISOString();
      this.staleReason = reason;
      this.stats.stale = { since: this.staleSince, reason };
      markStale(this.stats.stale);
    }
  }

  private flushUnsafe(): void {
    const t0 = performance.now();
    const gaps = [...this.gapMap.values()];
    this.stats.gaps = gaps;
    const loadIssues = [...this.objectIssues.values()];
    if (!this.scan || this.pendingFull) {
      this.scan = new IncrementalScan(this.allObjects(), { policy: this.policy, source: this.sourceInfo(), gaps, loadIssues, runTotals: this.runTotals(), runsSeenByPipeline: this.runsSeenByGroup });
      this.stats.rescans.full++;
    } else if (this.pendingRuns.length) {
      this.scan.applyRuns(this.pendingRuns, this.sourceInfo());
      this.stats.rescans.incremental++;
    }
    this.pendingRuns = [];
    this.pendingFull = false;
    this.stats.rescans.lastMs = performance.now() - t0;
    this.stats.objectsByKind = Object.fromEntries([...this.store].map(([k, m]) => [k, m.size]));
    if (this.staleReason?.startsWith('re-scoring failed')) this.staleReason = null;
    this.refreshStaleQuietly();
    this.onPublish(this.scan.current(), this.stats.stale);
  }

  /** Staleness recomputed without publishing (flush publishes right after). */
  private refreshStaleQuietly(): void {
    const cause = this.staleCause();
    if (cause && !this.staleReason) this.staleSince = new Date().toISOString();
    this.staleReason = cause;
    if (!cause) this.staleSince = null;
    this.stats.stale = cause ? { since: this.staleSince!, reason: cause } : null;
  }

  /** The first LIST of every collection has an outcome; `stats.synced` once each has succeeded or been refused. */
  private updateSynced(): void {
    if (this.stats.synced) return;
    const settled = this.reflectors.every((r) => r.listedOnce || ['forbidden', 'not-installed'].includes(this.gapMap.get(gapKey(r.kind.kind, r.namespace))?.reason ?? ''));
    if (settled && this.reflectors.length > 0) {
      this.stats.synced = true;
      this.refreshStale();
    }
  }

  /**
   * One-item LISTs of every collection: a 403 or 404 where the reflector holds data (or the reverse) sends it to
   * relist, which records or clears the gap. A revoked Role therefore shows within one period, not when a watch
   * happens to end. Only get/list/watch are allowed to this app, so no access reviews.
   */
  private async recheckAccess(): Promise<void> {
    for (const r of this.reflectors) {
      if (this.stopped) return;
      const hasGap = this.gapMap.get(gapKey(r.kind.kind, r.namespace));
      try {
        await this.client.listPage(collectionPath(r.kind, r.namespace), 1, null);
        if (hasGap && (hasGap.reason === 'forbidden' || hasGap.reason === 'not-installed')) r.relist();
      } catch (e) {
        if (!(e instanceof KubeError)) continue;
        const refused = e.reason === 'forbidden' || e.reason === 'not-installed';
        if (refused && hasGap?.reason !== e.reason) r.relist();
      }
    }
  }

  private startTimers(): void {
    const tick = Math.max(100, Math.min(1000, this.timing.silenceMs / 4));
    this.freshnessTimer = setInterval(() => {
      this.updateSynced();
      this.refreshStale();
    }, tick);
    this.freshnessTimer.unref?.();
    const every = this.options.accessRecheckMs ?? 60_000;
    if (every > 0) {
      let running = false;
      this.recheckTimer = setInterval(() => {
        if (running) return;
        running = true;
        void this.recheckAccess().finally(() => (running = false));
      }, every);
      this.recheckTimer.unref?.();
    }
  }

  private hooks() {
    return {
      onListPage: (k: KindInfo, _ns: string | null, items: Raw[]) => this.onListPage(k, items),
      onListEnd: (k: KindInfo, ns: string | null, seen: Set<string>) => this.onListEnd(k, ns, seen),
      onEvent: (k: KindInfo, ns: string | null, e: ReflectorEvent) => this.apply(k, e),
      onGap: (k: KindInfo, ns: string | null, err: KubeError | null, listedBefore: boolean) => {
        this.onGap(k, ns, err, listedBefore);
        this.updateSynced();
      },
      onWatchRestart: () => this.stats.watchRestarts++,
      onObjectIssue: (k: KindInfo, key: string, message: string | null) => this.noteObjectIssue(k, key, message),
    };
  }

  /**
   * Starts every reflector; resolves after the first LIST of each has an outcome and the first score is
   * published. Collections that could not be read yet are gaps and the state is stale until each has listed.
   */
  async start(): Promise<void> {
    const hooks = this.hooks();
    const targets = this.kindsToRead();
    const runKinds = targets.filter((t) => t.kind.kind !== 'TaskRun');
    const taskRuns = targets.filter((t) => t.kind.kind === 'TaskRun');
    const all = targets.map((t) => new Reflector(this.client, t.kind, t.namespace, hooks, this.timing));
    this.reflectors.push(...all);
    const startAll = async (list: typeof targets) => {
      const rs = all.filter((r) => list.some((t) => t.kind === r.kind && t.namespace === r.namespace));
      for (const r of rs) void r.run();
      await Promise.all(rs.map((r) => r.firstList));
    };
    await startAll(runKinds);
    await startAll(taskRuns);
    this.updateSynced();
    this.refreshStaleQuietly();
    this.synced = true;
    this.pendingFull = true;
    this.startTimers();
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    for (const r of this.reflectors) r.stop();
    if (this.timer) clearTimeout(this.timer);
    if (this.freshnessTimer) clearInterval(this.freshnessTimer);
    if (this.recheckTimer) clearInterval(this.recheckTimer);
  }

  /** One paged LIST of every kind, no watch: for `scan --live`. */
  async listOnce(): Promise<void> {
    const hooks = this.hooks();
    for (const t of this.kindsToRead()) {
      const r = new Reflector(this.client, t.kind, t.namespace, { ...hooks, onEvent: () => undefined, onWatchRestart: () => undefined }, this.timing);
      try {
        await r.listOnce();
      } catch (e) {
        this.onGap(t.kind, t.namespace, e instanceof KubeError ? e : new KubeError(String(e), null, 'error'), false);
      }
    }
    if (this.unreachable.size > 0) throw new Error(`cannot read the cluster: ${this.unreachable.values().next().value ?? 'API server unreachable'}`);
    this.stats.synced = true;
    this.synced = true;
    this.pendingFull = true;
    this.flush();
  }
}

const g = globalThis as typeof globalThis & { __tektonPostureLive?: LiveSource };

export function liveSource(): LiveSource | undefined {
  return g.__tektonPostureLive;
}

function positive(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Timing knobs (tests shorten them): POSTURE_GAP_RETRY_MS (retry of a 403/404 kind), POSTURE_WATCH_TIMEOUT_S (each
 * watch's server-side timeout), POSTURE_STALE_AFTER_MS (the freshness bound: silence beyond it reads stale).
 */
export function timingFromEnv(env: NodeJS.ProcessEnv): Partial<ReflectorTiming> {
  const t: Partial<ReflectorTiming> = {};
  const gap = positive(env.POSTURE_GAP_RETRY_MS);
  const watch = positive(env.POSTURE_WATCH_TIMEOUT_S);
  const silence = positive(env.POSTURE_STALE_AFTER_MS);
  if (gap) t.gapRetryMs = gap;
  if (watch) t.watchTimeoutSeconds = watch;
  if (silence) t.silenceMs = silence;
  return t;
}

/** Starts the live source once per server process (state.ts calls this when POSTURE_SOURCE=live). */
export async function startLiveSource(policy: Policy): Promise<void> {
  if (g.__tektonPostureLive) return;
  const namespaces = (process.env.POSTURE_NAMESPACES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const source = new LiveSource(policy, {
    kubeconfig: process.env.POSTURE_KUBECONFIG || undefined,
    context: process.env.POSTURE_CONTEXT || undefined,
    namespaces,
    timing: timingFromEnv(process.env),
    accessRecheckMs: positive(process.env.POSTURE_ACCESS_RECHECK_MS),
    requestTimeoutMs: positive(process.env.POSTURE_REQUEST_TIMEOUT_MS),
  });
  g.__tektonPostureLive = source;
  await source.start();
}
