/**
 * The live source against a real kube-apiserver + etcd (scripts/dev-cluster): seeded with the admin identity, read
 * under the viewer identity bound to the project's own read-only ClusterRole; the audit log proves it only read.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { scan, type ScanResult } from '../../lib/engine/scan';
import { defaultPolicy } from '../../lib/policy/defaults';
import { assertReadOnly, ensureDevCluster, REPO_ROOT, seedDir, stopDevCluster, type DevCluster } from '../testing/cluster';
import { loadDemo } from '../sources/demo';
import { scanLiveOnce } from './scan-once';
import { LiveSource } from './source';
import { assertReadVerb, ReadOnlyViolation } from './kube-client';

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
let cluster: DevCluster;
let admin: KubernetesObjectApi;

function verdicts(r: ScanResult['report']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of r.pipelines) for (const f of p.findings) out[`${p.id} ${f.checkId}`] = f.outcome;
  for (const f of r.platform.findings) out[`platform ${f.checkId}`] = f.outcome;
  return out;
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 2_000): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return { value: v, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  // A fresh etcd: these tests compare against the demo files, and a previous run's changes would linger.
  await stopDevCluster();
  cluster = await ensureDevCluster();
  await seedDir(join(REPO_ROOT, 'lib/demo/snapshot'));
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.adminKubeconfig);
  admin = KubernetesObjectApi.makeApiClient(kc);
}, 20 * 60_000);

describe('live source on a real apiserver', () => {
  it('the client layer refuses every verb but get, list and watch', () => {
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate']) expect(() => assertReadVerb(verb)).toThrow(ReadOnlyViolation);
    for (const verb of ['get', 'list', 'watch']) expect(() => assertReadVerb(verb)).not.toThrow();
  });

  it('scanning the seeded demo live gives the verdicts of scanning the same files offline', async () => {
    const live = await scanLiveOnce({ kubeconfig: cluster.viewerKubeconfig, policy });
    const demo = loadDemo();
    // The live identity never reads Secrets: scan the files as it sees them, without the Secret objects.
    const scanned = scan({ objects: demo.objects.filter((o) => o.kind !== 'Secret'), policy, source: { kind: 'files' } }).report;
    // Task subjects (a Task or a direct TaskRun's own spec scored alone) exist only for files, by catalog v1.1.
    const offline = { ...scanned, pipelines: scanned.pipelines.filter((p) => p.subjectKind === undefined) };
    const liveV = verdicts(live);
    const offlineV = verdicts(offline);
    const diffs = Object.keys(offlineV).filter((k) => liveV[k] !== offlineV[k]).map((k) => `${k}: files=${offlineV[k]} live=${liveV[k]}`);
    expect(diffs).toEqual([]);
    expect(live.pipelines.length).toBe(offline.pipelines.length);
    expect(live.gaps).toEqual([]);
  });

  describe('while watching', () => {
    let source: LiveSource;
    let latest: ScanResult | null = null;
    const seen = () => latest;

    beforeAll(async () => {
      source = new LiveSource(policy, { kubeconfig: cluster.viewerKubeconfig, debounceMs: 20 }, (s) => {
        latest = s;
      });
      await source.start();
    }, 60_000);
    afterAll(() => source?.stop());

    it('a new PipelineRun shows up in the scores within 2 s', async () => {
      const target = seen()!.report.pipelines.find((p) => p.totalRuns > 0 && p.identitySource === 'pipeline-object')!;
      const [ns, name] = [target.namespace, target.name];
      const base = seen()!.model.pipelines.find((p) => p.id === target.id)!.runs[0];
      const run = JSON.parse(JSON.stringify(base.object.raw)) as KubernetesObject & { status?: unknown };
      run.metadata = { name: `${name.slice(0, 40)}-live-${Date.now() % 100000}`, namespace: ns, labels: base.object.labels, annotations: {} };
      const runName = run.metadata.name!;
      delete run.status;
      await admin.create(run);
      const { ms } = await until('new run', () => seen()?.model.pipelines.find((p) => p.id === target.id)?.runs.some((r) => r.name === runName));
      console.log(`new PipelineRun visible after ${ms} ms`);
    });

    it('a changed chains.tekton.dev/signed annotation changes the run state within 2 s', async () => {
      const pipeline = seen()!.model.pipelines.find((p) => p.runs.some((r) => r.status === 'succeeded' && r.chains.state !== 'failed'))!;
      const run = pipeline.runs.find((r) => r.status === 'succeeded' && r.chains.state !== 'failed')!;
      await admin.patch(
        { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: run.name, namespace: run.namespace, annotations: { 'chains.tekton.dev/signed': 'failed' } } },
        undefined,
        undefined,
        undefined,
        undefined,
        'application/merge-patch+json' as never,
      );
      const { ms } = await until('signed=failed', () =>
        seen()?.model.pipelines.find((p) => p.id === pipeline.id)?.runs.find((r) => r.name === run.name)?.chains.state === 'failed',
      );
      const sup005 = seen()!.report.pipelines.find((p) => p.id === pipeline.id)!.findings.find((f) => f.checkId === 'SUP-005')!;
      expect(sup005.outcome).toBe('fail');
      console.log(`signed annotation change visible after ${ms} ms`);
    });

    it('a deleted RoleBinding shows up in the effective permissions within 2 s', async () => {
      const model = seen()!.model;
      const sa = [...model.serviceAccounts.values()].find((s) => s.rules.some((r) => r.binding.kind === 'RoleBinding'))!;
      const binding = sa.rules.find((r) => r.binding.kind === 'RoleBinding')!.binding;
      await admin.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: binding.name, namespace: binding.namespace! } });
      const { ms } = await until('binding gone', () =>
        !seen()?.model.serviceAccounts.get(`${sa.namespace}/${sa.name}`)?.rules.some((r) => r.binding.name === binding.name && r.binding.kind === 'RoleBinding'),
      );
      console.log(`RoleBinding deletion visible after ${ms} ms`);
    });
  });

  it('keeps a bounded number of runs per pipeline, yet counts every run', async () => {
    let latest: ScanResult | null = null;
    const source = new LiveSource(policy, { kubeconfig: cluster.viewerKubeconfig, keepRunsPerPipeline: 1 }, (s) => (latest = s));
    await source.start();
    try {
      const { model, report } = latest!;
      const busy = report.pipelines.filter((p) => p.totalRuns >= 2);
      expect(busy.length).toBeGreaterThan(0);
      for (const p of busy) expect(model.pipelines.find((m) => m.id === p.id)!.runs).toHaveLength(1);
      expect(source.stats.objectsByKind.PipelineRun).toBe(model.pipelines.filter((p) => p.runs.length > 0).length);
    } finally {
      source.stop();
    }
  });

  it('a kind the viewer may not read becomes a reported gap and unknown checks; the rest keeps working', async () => {
    const role = (await admin.read({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'tekton-posture-readonly' } })) as KubernetesObject & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const original = JSON.parse(JSON.stringify(role.rules)) as typeof role.rules;
    const without = original
      .map((r) => ({ ...r, resources: r.resources.filter((x) => x !== 'networkpolicies') }))
      .filter((r) => r.resources.length > 0);
    await admin.patch({ apiVersion: role.apiVersion, kind: role.kind, metadata: { name: role.metadata!.name }, rules: without } as KubernetesObject, undefined, undefined, undefined, undefined, 'application/merge-patch+json' as never);
    try {
      const report = await scanLiveOnce({ kubeconfig: cluster.viewerKubeconfig, policy });
      expect(report.gaps).toEqual([expect.objectContaining({ kind: 'NetworkPolicy', reason: 'forbidden' })]);
      const nsg002 = report.pipelines.flatMap((p) => p.findings.filter((f) => f.checkId === 'NSG-002'));
      expect(nsg002.length).toBeGreaterThan(0);
      expect(nsg002.every((f) => f.outcome === 'unknown')).toBe(true);
      expect(report.pipelines.some((p) => p.findings.some((f) => f.outcome === 'pass'))).toBe(true);
    } finally {
      await admin.patch({ apiVersion: role.apiVersion, kind: role.kind, metadata: { name: role.metadata!.name }, rules: original } as KubernetesObject, undefined, undefined, undefined, undefined, 'application/merge-patch+json' as never);
    }
  });

  it('reports stale data while the apiserver is down and catches up after it restarts', async () => {
    let latest: ScanResult | null = null;
    let stale: unknown = null;
    const source = new LiveSource(policy, { kubeconfig: cluster.viewerKubeconfig, debounceMs: 20, timing: { backoffMs: 200, maxBackoffMs: 1000 } }, (s, st) => {
      latest = s;
      stale = st;
    });
    await source.start();
    try {
      const pid = Number(readFileSync(join(cluster.stateDir, 'kube-apiserver.pid'), 'utf8'));
      // SIGKILL, like a crashed or evicted apiserver: a SIGTERM'd one drains its watches for tens of seconds first.
      process.kill(pid, 'SIGKILL');
      const { ms } = await until('stale', () => stale !== null || (source.stats.stale !== null && source.stats.stale), 30_000);
      console.log(`stale reported ${ms} ms after the apiserver stopped`);
      const up = spawnSync('bash', [join(REPO_ROOT, 'scripts/dev-cluster/dev-cluster.sh'), 'up'], { stdio: 'inherit', timeout: 180_000 });
      expect(up.status).toBe(0);
      const ns = latest!.model.pipelines[0].namespace;
      const name = `caught-up-${Date.now() % 100000}`;
      await admin.create({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name, namespace: ns }, spec: { tasks: [] } } as KubernetesObject);
      await until('caught up', () => source.stats.stale === null && latest?.model.pipelines.some((p) => p.name === name), 60_000);
    } finally {
      source.stop();
    }
  }, 300_000);

  it('the audit log shows the viewer only listed and watched, and never touched Secrets', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const events = assertReadOnly(cluster.auditLog, ['posture-viewer']);
    expect(events.filter((e) => e.verb === 'watch').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.verb === 'list').length).toBeGreaterThan(0);
  });
});
