/**
 * The live source under faults, against an in-memory apiserver (testing/fake-kube.ts): whatever fails, every
 * verdict is the full-data verdict or `unknown` — never better — no subject vanishes, and the state says stale or
 * incomplete until the data is whole again. The same scenarios against a real apiserver: live.faults.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= 'silent';
});
import type { ScanResult } from '../../lib/engine/scan';
import { IncrementalScan } from '../../lib/engine/incremental';
import { KINDS } from '../../lib/kinds';
import { defaultPolicy } from '../../lib/policy/defaults';
import { loadDemo } from '../sources/demo';
import { LiveSource, type LiveOptions } from './source';
import { FakeKube, forbidden, throttled, unreachable } from './testing/fake-kube';
import { TOO_DEEP } from './depth';

type Raw = Record<string, unknown>;
const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const FAST = { backoffMs: 10, maxBackoffMs: 40, gapRetryMs: 30, watchTimeoutSeconds: 60, silenceMs: 60_000 };
const running: LiveSource[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.stop();
});

function demoObjects(): Raw[] {
  return loadDemo().objects.filter((o) => o.kind !== 'Secret').map((o) => JSON.parse(JSON.stringify(o.raw)) as Raw);
}

function verdicts(r: ScanResult['report']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of r.pipelines) for (const f of p.findings) out[`${p.id} ${f.checkId}`] = f.outcome;
  for (const f of r.platform.findings) out[`platform ${f.checkId}`] = f.outcome;
  return out;
}

/** Verdicts that differ from the baseline other than by becoming unknown, and baseline subjects that vanished. */
function betterThanBaseline(baseline: Record<string, string>, now: Record<string, string>): string[] {
  return Object.keys(baseline)
    .filter((k) => now[k] !== baseline[k] && now[k] !== 'unknown')
    .map((k) => `${k}: full data ${baseline[k]}, now ${now[k] ?? '(subject gone)'}`);
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 3_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function startLive(kube: FakeKube, opts: Partial<LiveOptions> = {}) {
  let latest: ScanResult | null = null;
  const source = new LiveSource(policy, { client: kube, debounceMs: 5, accessRecheckMs: 0, ...opts, timing: { ...FAST, ...opts.timing } }, (s) => (latest = s));
  running.push(source);
  await source.start();
  return { source, latest: () => latest! };
}

async function baseline(): Promise<ScanResult> {
  const kube = new FakeKube();
  kube.add(demoObjects());
  const { source, latest } = await startLive(kube);
  source.stop();
  return latest();
}

describe('live source: the first sync', () => {
  it('a kind whose first LIST failed is a gap (its checks unknown) and the state stale, until it lists', async () => {
    const full = await baseline();
    const base = verdicts(full.report);
    expect(Object.entries(base).some(([k, v]) => k.endsWith('IDN-003') && v === 'fail')).toBe(true);

    const kube = new FakeKube();
    kube.add(demoObjects());
    for (const kind of ['ClusterRoleBinding', 'RoleBinding', 'TaskRun', 'TriggerBinding']) kube.setFault(kind, unreachable());
    const { source, latest } = await startLive(kube);
    const report = latest().report;
    expect(report.gaps.map((g) => `${g.kind}:${g.reason}`).sort()).toEqual(['ClusterRoleBinding:unreachable', 'RoleBinding:unreachable', 'TaskRun:unreachable', 'TriggerBinding:unreachable']);
    expect(betterThanBaseline(base, verdicts(report))).toEqual([]);
    expect(Object.entries(verdicts(report)).filter(([k]) => k.endsWith('IDN-003')).every(([, v]) => v === 'unknown')).toBe(true);
    expect(source.stats.synced).toBe(false);
    expect(source.stats.stale?.reason).toMatch(/ECONNREFUSED/);
    expect(report.summary.incomplete).toBe(true);

    for (const kind of ['ClusterRoleBinding', 'RoleBinding', 'TaskRun', 'TriggerBinding']) kube.setFault(kind, null);
    await until('recovered', () => source.stats.synced && source.stats.stale === null && latest().report.gaps.length === 0);
    expect(verdicts(latest().report)).toEqual(base);
  });

  it('429 is a throttled gap, retried no sooner than Retry-After, not an unreachable apiserver', async () => {
    const kube = new FakeKube();
    kube.add(demoObjects());
    kube.setFault('ClusterRole', throttled(400));
    const { source, latest } = await startLive(kube);
    expect(latest().report.gaps).toEqual([expect.objectContaining({ kind: 'ClusterRole', reason: 'throttled' })]);
    expect(source.stats.stale?.reason).toMatch(/429/);
    await until('retried', () => kube.listsOf('ClusterRole') >= 2, 2_000);
    const [first, second] = kube.listTimesOf('ClusterRole');
    expect(second - first).toBeGreaterThanOrEqual(390); // backoff 10 ms, but the server asked for 400
    kube.setFault('ClusterRole', null);
    await until('listed', () => latest().report.gaps.length === 0 && source.stats.synced && source.stats.stale === null);
  });

  it('a 403 at the first LIST is an answer: synced, not stale, the kind a forbidden gap', async () => {
    const base = verdicts((await baseline()).report);
    const kube = new FakeKube();
    kube.add(demoObjects());
    kube.setFault('NetworkPolicy', forbidden());
    const { source, latest } = await startLive(kube);
    expect(source.stats.synced).toBe(true);
    expect(source.stats.stale).toBeNull();
    expect(latest().report.gaps).toEqual([expect.objectContaining({ kind: 'NetworkPolicy', reason: 'forbidden' })]);
    expect(betterThanBaseline(base, verdicts(latest().report))).toEqual([]);
  });

  // Unanswered and refused kinds blind the same checks (lib/engine/evaluate.ts): one fault kind covers both.
  it('any one kind refused from the start: no verdict other than the full-data one or unknown', async () => {
    const base = verdicts((await baseline()).report);
    const problems: string[] = [];
    for (const kind of [...new Set(KINDS.map((k) => k.kind))]) {
      for (const fault of [forbidden()]) {
        const kube = new FakeKube();
        kube.add(demoObjects());
        kube.setFault(kind, fault);
        const { source, latest } = await startLive(kube);
        source.stop();
        const pipelinesUnread = kind === 'Pipeline' || kind === 'PipelineRun';
        const bad = betterThanBaseline(base, verdicts(latest().report)).filter((d) => !(pipelinesUnread && d.endsWith('(subject gone)')));
        problems.push(...bad.map((d) => `${kind} ${fault.reason}: ${d}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('ConfigMaps never readable: checks reading default-pod-template or feature flags are unknown, not scored on defaults', async () => {
    const base = verdicts((await baseline()).report);
    const kube = new FakeKube();
    kube.add(demoObjects());
    kube.setFault('ConfigMap', forbidden());
    const { latest } = await startLive(kube);
    const now = verdicts(latest().report);
    expect(latest().report.gaps.filter((g) => g.kind === 'ConfigMap')).toHaveLength(3);
    expect(betterThanBaseline(base, now)).toEqual([]); // STP-008 used to turn pass → fail here
    const stp008 = Object.entries(now).filter(([k]) => k.endsWith(' STP-008'));
    expect(stp008.length).toBeGreaterThan(0);
    expect(stp008.every(([, v]) => v === 'unknown')).toBe(true);
  });
});

describe('live source: read access revoked while watching', () => {
  it('keeps the subjects, marks the kinds gaps within one re-check period, and never improves a verdict', async () => {
    const full = await baseline();
    const base = verdicts(full.report);
    const kube = new FakeKube();
    kube.add(demoObjects());
    const { source, latest } = await startLive(kube, { accessRecheckMs: 20 });
    expect(verdicts(latest().report)).toEqual(base);
    for (const kind of ['PipelineRun', 'VerificationPolicy', 'ConfigMap', 'ClusterRoleBinding']) kube.setFault(kind, forbidden());
    const report = await until('revocation seen', () => {
      const r = latest().report;
      return r.gaps.some((g) => g.kind === 'PipelineRun') && r.gaps.some((g) => g.kind === 'ConfigMap') && r.gaps.some((g) => g.kind === 'VerificationPolicy') && r.gaps.some((g) => g.kind === 'ClusterRoleBinding') ? r : null;
    });
    expect(report.pipelines.map((p) => p.id)).toEqual(full.report.pipelines.map((p) => p.id));
    expect(betterThanBaseline(base, verdicts(report))).toEqual([]);
    expect(report.summary.incomplete).toBe(true);
    // Unreadable feature flags are not defaults: the platform checks that read ConfigMaps say unknown.
    for (const f of report.platform.findings.filter((x) => ['PLT-002', 'PLT-003', 'PLT-005', 'PLT-006', 'PLT-008'].includes(x.checkId))) expect(f.outcome).toBe('unknown');
    expect(source.stats.stale).toBeNull();

    for (const kind of ['PipelineRun', 'VerificationPolicy', 'ConfigMap', 'ClusterRoleBinding']) kube.setFault(kind, null);
    await until('access back', () => latest().report.gaps.length === 0);
    expect(verdicts(latest().report)).toEqual(base);
  });
});

describe('live source: hostile objects and silence', () => {
  it('a 6,000-deep object is cut and reported, and the source keeps applying what follows', async () => {
    const kube = new FakeKube();
    kube.add(demoObjects());
    const { source, latest } = await startLive(kube);
    let deep: Raw = { leaf: true };
    for (let i = 0; i < 6000; i++) deep = { nested: deep };
    const pipeline = demoObjects().find((o) => o.kind === 'Pipeline')!;
    const meta = pipeline.metadata as Raw;
    kube.emitRaw('Pipeline', { type: 'MODIFIED', object: { ...pipeline, metadata: { ...meta, resourceVersion: '99999' }, spec: { ...(pipeline.spec as Raw), hostile: deep } } });
    // Afterwards: a pipeline's service account becomes cluster-admin.
    const sa = latest().model.pipelines.find((p) => p.serviceAccounts.length > 0)!;
    const [ns, name] = [sa.namespace, sa.serviceAccounts[0]];
    const target = latest().report.pipelines.find((p) => p.id === sa.id)!;
    expect(target.findings.find((f) => f.checkId === 'IDN-003')?.outcome).not.toBe('fail');
    kube.upsert({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'oops-admin' }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } });
    await until('IDN-003 fails', () => latest().report.pipelines.find((p) => p.id === sa.id)?.findings.find((f) => f.checkId === 'IDN-003')?.outcome === 'fail');
    expect(latest().report.loadIssues).toEqual([expect.objectContaining({ message: expect.stringMatching(/Pipeline .*nested deeper than 64 levels/) })]);
    expect(source.stats.stale).toBeNull();
    const kept = latest().model.objects.find((o) => o.kind === 'Pipeline' && o.name === meta.name && o.namespace === meta.namespace)!;
    expect(JSON.stringify(kept.raw)).toContain(TOO_DEEP);
    // The issue lasts as long as the object: deleted, it goes.
    kube.emitRaw('Pipeline', { type: 'DELETED', object: { ...pipeline, metadata: { ...meta, resourceVersion: '100000' }, spec: { ...(pipeline.spec as Raw), hostile: deep } } });
    await until('issue gone', () => latest().report.loadIssues.length === 0);
  });

  it('a watch that stays silent beyond the bound reads stale; the source recovers once the apiserver answers', async () => {
    const kube = new FakeKube();
    kube.add(demoObjects());
    const { source } = await startLive(kube, { timing: { silenceMs: 300, watchTimeoutSeconds: 0.1 } });
    await new Promise((r) => setTimeout(r, 500)); // quiet, not frozen: the watches' normal closes count as heard
    expect(source.stats.stale).toBeNull();
    expect(source.stats.stale).toBeNull();
    const t0 = Date.now();
    kube.freeze();
    await until('stale', () => source.stats.stale, 2_000);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(source.stats.stale?.reason).toMatch(/nothing heard/);
    kube.thaw();
    await until('fresh again', () => source.stats.stale === null, 3_000);
  });

  it('a dropped connection after the first sync marks stale and keeps the data; the relist clears it', async () => {
    const full = await baseline();
    const kube = new FakeKube();
    kube.add(demoObjects());
    const { source, latest } = await startLive(kube);
    kube.setFault('Role', unreachable());
    kube.dropWatches();
    await until('stale', () => source.stats.stale);
    expect(latest().report.gaps).toEqual([]); // listed before: stale, not a gap
    expect(verdicts(latest().report)).toEqual(verdicts(full.report));
    kube.setFault('Role', null);
    await until('fresh', () => source.stats.stale === null);
  });

  it('a re-score that throws marks the data stale instead of freezing on the last state; the next change recovers', async () => {
    const kube = new FakeKube();
    kube.add(demoObjects());
    const { source, latest } = await startLive(kube);
    const spy = vi.spyOn(IncrementalScan.prototype, 'applyRuns').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    try {
      const run = demoObjects().find((o) => o.kind === 'PipelineRun')!;
      const meta = run.metadata as Raw;
      kube.upsert({ ...run, metadata: { ...meta, name: `${String(meta.name)}-x`, resourceVersion: undefined } });
      await until('stale', () => source.stats.stale?.reason.includes('re-scoring failed'));
      kube.upsert({ ...run, metadata: { ...meta, name: `${String(meta.name)}-y`, resourceVersion: undefined } });
      await until('fresh', () => source.stats.stale === null && latest().model.pipelines.some((p) => p.runs.some((r) => r.name === `${String(meta.name)}-y`)));
    } finally {
      spy.mockRestore();
    }
  });
});
