/**
 * Fault injection: the live source against a real kube-apiserver + etcd (its own dev cluster, see
 * vitest.faults.config.ts), read through a TCP proxy (testing/tcp-proxy.ts) as the read-only viewer. For every
 * attack — connections cut during the first sync, the apiserver frozen (proxy, then SIGSTOP) or killed, read
 * access revoked kind by kind, a 6,000-deep object — every verdict is the full-data verdict or `unknown` (never
 * better), no subject vanishes, the data reads stale within 10 s when the source cannot hear the apiserver, and it
 * recovers afterwards. Throttling (429) cannot be injected into TLS here: kube-client.test.ts and source.test.ts
 * cover it at the client and source layers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../lib/engine/scan';
import { KINDS } from '../../lib/kinds';
import { readiness } from '../../lib/ops/readiness';
import { defaultPolicy } from '../../lib/policy/defaults';
import { Kube } from '../../scripts/dev-cluster/kube';
import { assertReadOnly, ensureDevCluster, REPO_ROOT, seedDir, stopDevCluster, type DevCluster } from '../testing/cluster';
import { peekState } from '../state';
import { LiveSource, type LiveOptions } from './source';
import { TcpProxy } from './testing/tcp-proxy';

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const STALE_WITHIN_MS = 10_000;
/** Short bounds so each attack shows in seconds: 6 s of silence (3 watch timeouts) is stale, access re-checked every second. */
const FAST: Partial<LiveOptions> = {
  debounceMs: 20,
  accessRecheckMs: 1_000,
  requestTimeoutMs: 3_000,
  timing: { backoffMs: 200, maxBackoffMs: 1_000, gapRetryMs: 1_000, watchTimeoutSeconds: 2, silenceMs: 6_000 },
};

let cluster: DevCluster;
let admin: Kube;
let proxy: TcpProxy;
let proxiedKubeconfig: string;
let baseline: Record<string, string>;
let baselinePipelines: string[];
const outcomes: string[] = [];

function verdicts(r: ScanResult['report']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of r.pipelines) for (const f of p.findings) out[`${p.id} ${f.checkId}`] = f.outcome;
  for (const f of r.platform.findings) out[`platform ${f.checkId}`] = f.outcome;
  return out;
}

/**
 * Verdicts that are neither the full-data verdict nor unknown. A vanished subject counts, unless `pipelinesUnread`:
 * pipelines are only known from Pipeline and PipelineRun objects, so while those kinds are gaps (reported) some
 * cannot be known at all.
 */
function notBaselineOrUnknown(now: Record<string, string>, pipelinesUnread = false): string[] {
  return Object.keys(baseline)
    .filter((k) => now[k] !== baseline[k] && now[k] !== 'unknown' && !(pipelinesUnread && now[k] === undefined))
    .map((k) => `${k}: full data ${baseline[k]}, now ${now[k] ?? '(subject gone)'}`);
}

function unknownCount(now: Record<string, string>): number {
  return Object.keys(baseline).filter((k) => now[k] === 'unknown' && baseline[k] !== 'unknown').length;
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 20_000): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return { value: v, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function watchLive(opts: Partial<LiveOptions> = {}, publishToState = false) {
  let latest: ScanResult | null = null;
  const source = new LiveSource(
    policy,
    { kubeconfig: proxiedKubeconfig, ...FAST, ...opts },
    publishToState ? undefined : (s) => {
      latest = s;
    },
  );
  return { source, latest: () => (publishToState ? peekState() : latest) };
}

function apiserverPid(): number {
  return Number(readFileSync(join(cluster.stateDir, 'kube-apiserver.pid'), 'utf8'));
}

beforeAll(async () => {
  cluster = await ensureDevCluster();
  await seedDir(join(REPO_ROOT, 'lib/demo/snapshot'));
  admin = new Kube(cluster.adminKubeconfig);
  const port = Number(new URL(cluster.server).port);
  proxy = new TcpProxy({ host: '127.0.0.1', port });
  const proxyPort = await proxy.start();
  proxiedKubeconfig = join(cluster.stateDir, 'viewer-via-proxy.kubeconfig');
  writeFileSync(proxiedKubeconfig, readFileSync(cluster.viewerKubeconfig, 'utf8').replaceAll(`https://127.0.0.1:${port}`, `https://127.0.0.1:${proxyPort}`));

  // The full-data baseline, through the proxy with nothing injected.
  const { source, latest } = watchLive();
  await source.start();
  source.stop();
  baseline = verdicts(latest()!.report);
  baselinePipelines = latest()!.report.pipelines.map((p) => p.id).sort();
  expect(latest()!.report.gaps).toEqual([]);
  expect(Object.values(baseline).filter((v) => v === 'fail').length).toBeGreaterThan(10);
}, 300_000);

afterAll(async () => {
  console.log(`\nfault injection outcomes:\n${outcomes.join('\n')}`);
  admin?.close();
  await proxy?.stop();
  await stopDevCluster();
}, 120_000);

describe('live source under faults (real apiserver, through a TCP proxy)', () => {
  it('connections cut during the first sync: unlisted kinds are gaps, nothing reads complete, then it recovers', async () => {
    const total = proxy.bytesFromServer;
    proxy.cutAfterBytes(Math.round(total / 8)); // the baseline sync sent `total`: stop an eighth of the way in
    const { source, latest } = watchLive({}, true);
    try {
      await source.start();
      const state = peekState()!;
      const now = verdicts(state.report);
      const pipelinesUnread = state.report.gaps.some((g) => g.kind === 'Pipeline' || g.kind === 'PipelineRun');
      expect(notBaselineOrUnknown(now, pipelinesUnread)).toEqual([]);
      expect(state.report.gaps.length).toBeGreaterThan(0);
      expect(state.report.gaps.every((g) => g.reason === 'unreachable')).toBe(true);
      expect(state.report.summary.incomplete).toBe(true);
      expect(source.stats.synced).toBe(false);
      expect(state.stale).not.toBeNull();
      expect(readiness({ state }).ready).toBe(false);
      outcomes.push(`cut during first sync: ${state.report.gaps.length} gaps (${state.report.gaps.map((g) => g.kind).join(', ')}), ${unknownCount(now)} verdicts unknown, 0 better, ${state.report.pipelines.length}/${baselinePipelines.length} pipelines known, stale, /readyz ${readiness({ state }).body.status}`);
      proxy.accept();
      const { ms } = await until('recovered', () => source.stats.synced && source.stats.stale === null && latest()?.report.gaps.length === 0 && readiness({ state: peekState() }).ready, 30_000);
      expect(verdicts(latest()!.report)).toEqual(baseline);
      outcomes.push(`  recovered ${ms} ms after the proxy accepted again`);
    } finally {
      source.stop();
      proxy.accept();
    }
  });

  describe('while watching', () => {
    let live: ReturnType<typeof watchLive>;
    beforeAll(async () => {
      live = watchLive();
      await live.source.start();
      expect(verdicts(live.latest()!.report)).toEqual(baseline);
    }, 60_000);
    afterAll(() => live?.source.stop());

    async function expectStaleThenRecover(name: string, inject: () => void | Promise<void>, heal: () => void | Promise<void>, healTimeoutMs = 30_000) {
      expect(live.source.stats.stale).toBeNull();
      const t0 = Date.now();
      await inject();
      const { ms, value } = await until(`${name}: stale`, () => live.source.stats.stale, STALE_WITHIN_MS + 2_000);
      const staleReason = value.reason.slice(0, 120);
      expect(Date.now() - t0).toBeLessThan(STALE_WITHIN_MS);
      expect(notBaselineOrUnknown(verdicts(live.latest()!.report))).toEqual([]);
      await heal();
      const rec = await until(`${name}: fresh again`, () => live.source.stats.stale === null, healTimeoutMs);
      expect(notBaselineOrUnknown(verdicts(live.latest()!.report))).toEqual([]);
      await until(`${name}: full verdicts again`, () => JSON.stringify(verdicts(live.latest()!.report)) === JSON.stringify(baseline), 15_000);
      outcomes.push(`${name}: stale after ${ms} ms (${staleReason}), fresh ${rec.ms} ms after healing, verdicts = full data`);
    }

    it('the proxy freezes (connections open, nothing forwarded): stale within the freshness bound', async () => {
      await expectStaleThenRecover('proxy frozen', () => proxy.freeze(), () => proxy.thaw());
    });

    it('the apiserver is frozen (SIGSTOP): stale within the bound; SIGCONT recovers', async () => {
      const pid = apiserverPid();
      try {
        await expectStaleThenRecover('apiserver SIGSTOP', () => void process.kill(pid, 'SIGSTOP'), () => void process.kill(pid, 'SIGCONT'));
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    });

    it('every connection cut and refused (the apiserver gone): stale at once; accepted again, it catches up', async () => {
      await expectStaleThenRecover('connections refused', () => {
        proxy.refuse();
        proxy.cut();
      }, () => proxy.accept());
    });

    it('read access revoked kind by kind: a forbidden gap within seconds, subjects kept, never a better verdict', async () => {
      const role = (await admin.must('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/tekton-posture-readonly')) as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
      const original = role.rules;
      const setRules = (rules: typeof original) => admin.must('PATCH', '/apis/rbac.authorization.k8s.io/v1/clusterroles/tekton-posture-readonly', { rules }, 'application/merge-patch+json');
      const kinds = KINDS.filter((k) => !k.onlyNamespaces);
      const revokedAt: number[] = [];
      try {
        for (const kind of kinds) {
          const without = original.map((r) => (r.apiGroups.includes(kind.group) ? { ...r, resources: r.resources.filter((x) => x !== kind.plural) } : r)).filter((r) => r.resources.length > 0);
          await setRules(without);
          const { ms } = await until(`${kind.kind}: gap`, () => live.latest()!.report.gaps.some((g) => g.kind === kind.kind && g.reason === 'forbidden'), 10_000);
          revokedAt.push(ms);
          const report = live.latest()!.report;
          expect(notBaselineOrUnknown(verdicts(report)), kind.kind).toEqual([]);
          expect(report.pipelines.map((p) => p.id).sort(), kind.kind).toEqual(baselinePipelines);
          expect(report.summary.incomplete, kind.kind).toBe(true);
          outcomes.push(`  revoked ${kind.kind}: forbidden gap after ${ms} ms, ${unknownCount(verdicts(report))} verdicts unknown, 0 better, ${report.pipelines.length}/${baselinePipelines.length} pipelines`);
          await setRules(original);
          await until(`${kind.kind}: readable again`, () => live.latest()!.report.gaps.length === 0, 10_000);
        }
        // ConfigMaps are granted by Roles in the Tekton namespaces: delete the bindings.
        const bindings = KINDS.find((k) => k.kind === 'ConfigMap')!.onlyNamespaces!;
        const saved: unknown[] = [];
        for (const ns of bindings) {
          saved.push(await admin.must('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/tekton-posture-readonly`));
          await admin.must('DELETE', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/tekton-posture-readonly`);
        }
        const { ms } = await until('ConfigMap gaps', () => live.latest()!.report.gaps.filter((g) => g.kind === 'ConfigMap' && g.reason === 'forbidden').length === bindings.length, 10_000);
        const report = live.latest()!.report;
        expect(notBaselineOrUnknown(verdicts(report))).toEqual([]);
        for (const f of report.platform.findings) if (['PLT-002', 'PLT-003', 'PLT-005', 'PLT-008'].includes(f.checkId)) expect(f.outcome, f.checkId).toBe('unknown');
        outcomes.push(`  revoked ConfigMap Roles: forbidden gaps after ${ms} ms, ${unknownCount(verdicts(report))} verdicts unknown (platform checks), 0 better`);
        for (const b of saved as { metadata: Record<string, unknown> }[]) {
          const { name, namespace } = b.metadata as { name: string; namespace: string };
          await admin.must('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, { ...b, metadata: { name, namespace } });
        }
        await until('ConfigMaps readable again', () => live.latest()!.report.gaps.length === 0, 10_000);
        await until('full verdicts again', () => JSON.stringify(verdicts(live.latest()!.report)) === JSON.stringify(baseline), 10_000);
      } finally {
        await setRules(original);
      }
      outcomes.unshift(`revocation, ${kinds.length + 1} kinds one by one: slowest detection ${Math.max(...revokedAt)} ms`);
    }, 240_000);

    it('6,000-deep objects are load issues; a cluster-admin binding created afterwards still fails IDN-003', async () => {
      const ns = live.latest()!.model.pipelines.find((p) => p.serviceAccounts.length > 0)!;
      const sa = ns.serviceAccounts[0];
      const depth = 6000;
      const body = `{"apiVersion":"tekton.dev/v1","kind":"Pipeline","metadata":{"name":"deep-nesting","namespace":"${ns.namespace}"},"spec":{"tasks":[],"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
      const created = await admin.request('POST', `/apis/tekton.dev/v1/namespaces/${ns.namespace}/pipelines`, body);
      expect(created.status, created.text.slice(0, 300)).toBe(201);
      // The same depth inside a run's embedded pipeline spec, a step's field: what the projection and model walk.
      const deepStep = `{"name":"s","image":"alpine","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      const runBody = `{"apiVersion":"tekton.dev/v1","kind":"PipelineRun","metadata":{"name":"deep-nesting-run","namespace":"${ns.namespace}"},"spec":{"pipelineSpec":{"tasks":[{"name":"t","taskSpec":{"steps":[${deepStep}]}}]}}}`;
      const createdRun = await admin.request('POST', `/apis/tekton.dev/v1/namespaces/${ns.namespace}/pipelineruns`, runBody);
      expect(createdRun.status, createdRun.text.slice(0, 300)).toBe(201);
      // And in its status (written by the controller; here by the admin): the resolved spec the projection shares.
      const deepStatus = `{"status":{"pipelineSpec":{"tasks":[{"name":"t","taskSpec":{"steps":[${deepStep}]}}]},"startTime":"2026-11-22T11:00:00Z"}}`;
      const patched = await admin.request('PATCH', `/apis/tekton.dev/v1/namespaces/${ns.namespace}/pipelineruns/deep-nesting-run/status`, deepStatus, 'application/merge-patch+json');
      expect(patched.status, patched.text.slice(0, 300)).toBe(200);
      const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'faults-oops-admin' }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns.namespace }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } };
      try {
        await until('load issues', () => ['deep-nesting', 'deep-nesting-run'].every((n) => live.latest()!.report.loadIssues.some((i) => i.message.includes(`/${n}:`))), 10_000);
        await admin.must('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', crb);
        const { ms } = await until('IDN-003 fail', () => live.latest()!.report.pipelines.find((p) => p.id === ns.id)?.findings.find((f) => f.checkId === 'IDN-003')?.outcome === 'fail', 10_000);
        expect(live.source.stats.stale).toBeNull();
        outcomes.push(`6,000-deep Pipeline and PipelineRun: load issues, source kept applying (IDN-003 fail ${ms} ms after the cluster-admin binding), not stale`);
      } finally {
        await admin.request('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/faults-oops-admin');
        await admin.request('DELETE', `/apis/tekton.dev/v1/namespaces/${ns.namespace}/pipelines/deep-nesting`);
        await admin.request('DELETE', `/apis/tekton.dev/v1/namespaces/${ns.namespace}/pipelineruns/deep-nesting-run`);
      }
      // The clean-up reached the source: the next attack starts from the full-data state.
      await until('clean-up seen', () => JSON.stringify(verdicts(live.latest()!.report)) === JSON.stringify(baseline) && live.latest()!.report.loadIssues.length === 0, 15_000);
    });

    it('the apiserver killed (SIGKILL): stale within 10 s, data kept; restarted, it catches up', async () => {
      await expectStaleThenRecover('apiserver SIGKILL', () => void process.kill(apiserverPid(), 'SIGKILL'), () => {
        const up = spawnSync('bash', [join(REPO_ROOT, 'scripts/dev-cluster/dev-cluster.sh'), 'up'], { stdio: 'inherit', timeout: 180_000, env: process.env });
        expect(up.status).toBe(0);
      }, 60_000);
    }, 240_000);
  });

  it('through every attack the viewer only listed and watched (audit log), never touched Secrets', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // the audit backend writes as handlers finish
    // The SIGKILL scenario restarted the apiserver, which rotated the log: both halves.
    const before = existsSync(`${cluster.auditLog}.1`) ? assertReadOnly(`${cluster.auditLog}.1`, ['posture-viewer']) : [];
    const events = [...before, ...assertReadOnly(cluster.auditLog, ['posture-viewer'])];
    expect(events.some((e) => e.verb === 'list' && e.requestURI.includes('limit=1'))).toBe(true); // the access re-checks
  });
});
