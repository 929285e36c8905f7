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
import { gapKey, SourceHealth } from './health';
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
  private readonly health: SourceHealth;
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
    private readonly onPublish: (s: ReturnType<IncrementalScan['current']>, stale: LiveStats['stale'], scanMs?: number) => void = (s, stale, scanMs) => publish(s, { stale, scanMs }),
  ) {
    this.client = options.client ?? new ReadOnlyKubeClient(loadKubeConfig(options), options);
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    // A watch is only sure to speak once per timeoutSeconds: a shorter silence bound would call quiet kinds stale.
    timing.silenceMs = Math.max(timing.silenceMs, timing.watchTimeoutSeconds * 1500);
    this.timing = timing;
    this.health = new SourceHealth(timing.silenceMs, () => this.reflectors);
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
    // A load issue lasts as long as its object.
    for (const id of [...this.objectIssues.keys()]) {
      if (!id.startsWith(`${kind.kind} `)) continue;
      const key = id.slice(kind.kind.length + 1);
      if ((namespace === null || key.startsWith(`${namespace}/`)) && !seen.has(key)) {
        this.objectIssues.delete(id);
        this.pendingFull = true;
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
    const m = metaOf(event.object);
    try {
      this.applyUnsafe(kind, event);
      if (event.type === 'delete') this.noteObjectIssue(kind, `${m.namespace ?? ''}/${m.name}`, null); // gone with its object
    } catch (e) {
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
   * A LIST or WATCH outcome (health.ts says what is a gap and what is stale). A 403 on a kind read before keeps its
   * last-known objects — subjects seen through them stay — while the gap makes the checks fed by the kind `unknown`,
   * so nothing improves because data went missing. A 404 (CRD removed) drops them: they are gone.
   */
  private onGap(kind: KindInfo, namespace: string | null, error: KubeError | null, listedBefore: boolean): void {
    if (error && error.reason !== 'forbidden' && error.reason !== 'not-installed') {
      liveLog.warn({ kind: kind.kind, namespace, reason: error.reason, err: error.message }, 'collection not read');
    }
    const change = this.health.record(kind.kind, namespace, error, listedBefore);
    if (change.objectsGone) {
      for (const [k, o] of this.bucket(kind.kind)) if (namespace === null || o.namespace === namespace) this.bucket(kind.kind).delete(k);
    }
    if (change.accessLost) liveLog.warn({ kind: kind.kind, namespace }, 'read access lost: last-known objects kept, checks fed by the kind unknown');
    if (change.gapsChanged) {
      this.pendingFull = true;
      if (this.synced) this.schedule();
    }
    this.health.settle();
    this.refreshStale();
  }

  /** Recomputes staleness and tells the state when it changed (a fresh state comes with a re-score). */
  private refreshStale(now = Date.now()): void {
    const change = this.health.refresh(now);
    this.stats.synced = this.health.synced;
    this.stats.stale = this.health.stale;
    if (!change) return;
    if (change === 'became-fresh') {
      liveLog.info('live data current again');
      this.pendingFull = true;
      if (this.synced) this.schedule();
      return;
    }
    if (change === 'became-stale') liveLog.warn({ reason: this.stats.stale?.reason }, 'live data stale');
    if (this.synced) markStale(this.stats.stale);
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
      this.health.rescoreError = reason;
      this.refreshStale();
    }
  }

  private flushUnsafe(): void {
    const t0 = performance.now();
    const gaps = [...this.health.gaps.values()];
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
    this.health.rescoreError = null;
    this.health.refresh(Date.now()); // published just below, with the scan
    this.stats.synced = this.health.synced;
    this.stats.stale = this.health.stale;
    this.onPublish(this.scan.current(), this.stats.stale, this.stats.rescans.lastMs);
  }

  /**
   * One-item LISTs of every collection: a 403 or 404 where the reflector holds data (or the reverse) sends it to
   * relist, which records or clears the gap. A revoked Role therefore shows within one period, not when a watch
   * happens to end. Only get/list/watch are allowed to this app, so no access reviews.
   */
  private async recheckAccess(): Promise<void> {
    for (const r of this.reflectors) {
      if (this.stopped) return;
      const hasGap = this.health.gaps.get(gapKey(r.kind.kind, r.namespace));
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
    this.freshnessTimer = setInterval(() => this.refreshStale(), tick);
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
      onGap: (k: KindInfo, ns: string | null, err: KubeError | null, listedBefore: boolean) => this.onGap(k, ns, err, listedBefore),
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
    this.health.settle();
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
    const unanswered = this.health.firstUnanswered();
    if (unanswered) throw new Error(`cannot read the cluster: ${unanswered}`);
    this.health.synced = true;
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
