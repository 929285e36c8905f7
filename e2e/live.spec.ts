/**
 * The dashboard against a REAL kube-apiserver + etcd (scripts/dev-cluster), project `live` only: the demo snapshot
 * is seeded into it with the admin identity, and the production server reads it with POSTURE_SOURCE=live under the
 * viewer identity (user posture-viewer, bound to the RBAC rendered from lib/kinds.ts, i.e. the Helm chart's).
 * scripts/e2e-live-server.sh starts the cluster, seeds it and the server; Playwright waits for /readyz.
 *
 * 1. the live source is what the UI shows (not the demo), 2. the viewer's RBAC on the apiserver is the chart's,
 * 3. the demo's click-through path (e2e/flows.ts) on the live data, 4. changes made in the cluster while pages are
 * open appear on them without a reload (SSE → router.refresh), 5. the apiserver's audit log shows the viewer only
 * read (list/watch/get), never wrote and never touched Secrets.
 *
 * The cluster is shared with the integration tests (which add runs, patch annotations and delete a RoleBinding):
 * the server script re-seeds the snapshot, and nothing here assumes counts those tests change.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Page } from '@playwright/test';
import { KINDS } from '../lib/kinds';
import { Kube } from '../scripts/dev-cluster/kube';
import { assertReadOnly, devClusterInfo, REPO_ROOT, type AuditEvent, type DevCluster } from '../server/testing/cluster';
import { expect, shot, test } from './fixtures';
import { exportsDownloadAndParse, overviewAtAGlance, PATH_PIPELINE, runDetail, scorecardToRemediation, serviceAccountRulePaths } from './flows';

type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
type RbacObj = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; roleRef?: { kind: string; name: string }; subjects?: { kind: string; name: string }[] };

const VIEWER = 'posture-viewer';
/** How long a change in the cluster may take to reach an open page (watch → re-score → SSE → refresh). */
const LIVE_TIMEOUT = 15_000;

let cluster: DevCluster;
let admin: Kube;
/** When scripts/e2e-live-server.sh started the server: the audit-log window of this run. */
let serverStartedAt: number;

async function pipelineCount(page: Page): Promise<number> {
  const res = await page.request.get('/api/summary');
  expect(res.ok()).toBe(true);
  return (await res.json()).summary.pipelines as number;
}

test.beforeAll(() => {
  test.skip(test.info().project.name !== 'live', 'needs the live server (project live, scripts/e2e-live-server.sh)');
  cluster = devClusterInfo();
  admin = new Kube(cluster.adminKubeconfig);
  serverStartedAt = Date.parse(JSON.parse(readFileSync(join(cluster.stateDir, 'e2e-live.json'), 'utf8')).startedAt);
});
test.afterAll(() => admin?.close());

test.describe('live cluster (real apiserver, viewer identity)', () => {
  test('the UI shows the live source, not the demo', async ({ page, request }) => {
    expect((await request.get('/readyz')).status()).toBe(200);
    const summary = await (await request.get('/api/summary')).json();
    expect(summary.source).toMatchObject({ kind: 'live', detail: cluster.server });
    expect(summary.stale).toBeNull();
    expect(summary.gaps).toBe(0);

    await page.goto('/sources');
    const source = page.getByRole('region', { name: 'Source' });
    await expect(source.getByRole('definition').first()).toHaveText('live');
    await expect(source).toContainText(cluster.server);
    await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Source: live');
    await expect(page.getByText('Demo data — no cluster configured.')).toHaveCount(0);
    await expect(page.getByText('✓ read', { exact: true })).toHaveCount(KINDS.length); // no kind forbidden or missing
    await shot(page, 'live-sources');
  });

  test('the viewer identity has exactly the Helm chart’s read-only RBAC on the apiserver', async () => {
    // The chart as `helm template` renders it (deploy/manifests.yaml, kept current by deploy/chart.test.ts).
    const chart = (yaml.loadAll(readFileSync(join(REPO_ROOT, 'deploy/manifests.yaml'), 'utf8')) as (RbacObj | null)[]).filter((o): o is RbacObj => !!o);
    const chartClusterRoles = chart.filter((o) => o.kind === 'ClusterRole');
    const chartRoles = chart.filter((o) => o.kind === 'Role');
    expect(chartClusterRoles).toHaveLength(1);

    const viewerSubject = (b: RbacObj) => (b.subjects ?? []).some((s) => s.kind === 'User' && s.name === VIEWER);
    const crbs = (await admin.must('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).items.filter(viewerSubject) as RbacObj[];
    const rbs = (await admin.must('GET', '/apis/rbac.authorization.k8s.io/v1/rolebindings')).items.filter(viewerSubject) as RbacObj[];

    // Cluster-wide: one binding, to a ClusterRole with the chart's name and exactly the chart's rules.
    expect(crbs.map((b) => `${b.roleRef!.kind}/${b.roleRef!.name}`)).toEqual([`ClusterRole/${chartClusterRoles[0].metadata.name}`]);
    const clusterRole = (await admin.must('GET', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${crbs[0].roleRef!.name}`)) as RbacObj;
    expect(clusterRole.rules).toEqual(chartClusterRoles[0].rules);

    // Namespaced: a Role in exactly the chart's Tekton config namespaces, with the chart's rules there.
    expect(rbs.map((b) => b.metadata.namespace).sort()).toEqual(chartRoles.map((r) => r.metadata.namespace).sort());
    for (const b of rbs) {
      expect(b.roleRef!.kind).toBe('Role');
      const role = (await admin.must('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${b.metadata.namespace}/roles/${b.roleRef!.name}`)) as RbacObj;
      expect(role.rules, `Role in ${b.metadata.namespace}`).toEqual(chartRoles.find((r) => r.metadata.namespace === b.metadata.namespace)!.rules);
    }
    // …and all of it read-only, without Secrets.
    for (const r of [...clusterRole.rules!, ...chartRoles.flatMap((x) => x.rules!)]) {
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
      expect(r.resources).not.toContain('secrets');
    }
  });

  test('overview at a glance', async ({ page }) => {
    await overviewAtAGlance(page, { prefix: 'live-' });
    await expect(page.getByRole('region', { name: 'Data freshness' })).toContainText(cluster.server);
  });

  test('scorecard → filter (URL) → pipeline → DAG node → finding → remediation and copy', async ({ page, context }) => {
    await scorecardToRemediation(page, context, { pipelines: await pipelineCount(page), prefix: 'live-' });
  });

  test('run detail: status, Chains, TaskRuns and step digests', async ({ page }) => {
    await runDetail(page, { prefix: 'live-' });
  });

  test('service account: binding → role → rule paths', async ({ page }) => {
    await serviceAccountRulePaths(page, { prefix: 'live-' });
  });

  test('exports download and parse (JSON, SARIF, CSV, JUnit)', async ({ page, request }) => {
    await exportsDownloadAndParse(page, request, { pipelines: await pipelineCount(page) });
  });

  test('changes in the cluster appear on open pages without a reload', async ({ page, context }) => {
    const { namespace: ns, name: pipeline } = PATH_PIPELINE;
    const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
    const runName = `${pipeline}-run-e2e-${id}`;
    const newPipeline = `e2e-live-${id}`;
    const runPath = `/apis/tekton.dev/v1/namespaces/${ns}/pipelineruns/${runName}`;
    const pipelinePath = `/apis/tekton.dev/v1/namespaces/${ns}/pipelines/${newPipeline}`;
    const before = await pipelineCount(page);

    // Two open pages: the overview and the pipeline page. A marker on window proves neither reloads.
    const overview = await context.newPage();
    await overview.goto('/');
    await page.goto(`/pipelines/${ns}/${pipeline}`);
    const pages = [page, overview];
    for (const p of pages) {
      await expect(p.getByTestId('live-indicator')).toHaveAttribute('data-status', 'live');
      await p.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
    }
    const header = overview.getByText(/pipelines? scored across/);
    await expect(header).toContainText(`${before} pipelines scored`);
    const runs = page.getByRole('table', { name: /^Recent runs/ });
    const row = runs.locator('tbody tr').filter({ hasText: runName });
    const dagNodes = page.getByTestId('dag-canvas').locator('.react-flow__node-task');
    const timings: string[] = [];
    const timed = async (what: string, change: () => Promise<unknown>, seen: () => Promise<void>) => {
      const t0 = Date.now();
      await change();
      await seen();
      timings.push(`${what}: ${Date.now() - t0} ms`);
    };

    try {
      // 1. A new PipelineRun of the pipeline (as the Tekton controller would create it) → the runs list and the graph.
      await timed('new PipelineRun in the runs list and the graph', () => admin.must('POST', `/apis/tekton.dev/v1/namespaces/${ns}/pipelineruns`, {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: runName, namespace: ns, labels: { team: 'web', 'tekton.dev/pipeline': pipeline } },
        spec: { pipelineRef: { name: pipeline }, params: [{ name: 'branch', value: 'main' }], taskRunTemplate: { serviceAccountName: 'web-ci-bot' } },
      }), async () => {
        await expect(row).toHaveCount(1, { timeout: LIVE_TIMEOUT });
        await expect(row).toContainText('Not finished');
        await expect(page.getByRole('navigation', { name: 'Run shown on the graph' }).getByRole('link').first()).toHaveAttribute('title', new RegExp(`^${runName}:`));
        await expect(dagNodes.first()).toHaveAttribute('aria-label', new RegExp(`in run ${runName}$`), { timeout: LIVE_TIMEOUT });
      });
      await page.getByRole('region', { name: 'Pipeline graph' }).screenshot({ path: 'e2e/screenshots/live-update-graph.png' });

      // 2. It finishes (status subresource, as the controller writes it).
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await timed('run status Succeeded', () => admin.must('PATCH', `${runPath}/status`, {
        status: {
          conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 0', lastTransitionTime: now }],
          startTime: now,
          completionTime: now,
        },
      }, 'application/merge-patch+json'), async () => {
        await expect(row.getByText('Succeeded')).toBeVisible({ timeout: LIVE_TIMEOUT });
      });

      // 3. Chains signs it: signed=true plus evidence (transparency log entry, payload and signature).
      const uid = (await admin.must('GET', runPath)).metadata.uid as string;
      await timed('Chains signed with evidence', () => admin.must('PATCH', runPath, {
        metadata: {
          annotations: {
            'chains.tekton.dev/signed': 'true',
            'chains.tekton.dev/transparency': 'https://rekor.sigstore.dev/api/v1/log/entries?logIndex=1',
            [`chains.tekton.dev/payload-pipelinerun-${uid}`]: Buffer.from('{"_type":"https://in-toto.io/Statement/v0.1"}').toString('base64'),
            [`chains.tekton.dev/signature-pipelinerun-${uid}`]: Buffer.from('{"signatures":[]}').toString('base64'),
          },
        },
      }, 'application/merge-patch+json'), async () => {
        await expect(row.getByText('Signed with evidence')).toBeVisible({ timeout: LIVE_TIMEOUT });
      });
      await page.getByRole('region', { name: /^Recent runs/ }).screenshot({ path: 'e2e/screenshots/live-update-runs.png' });

      // 4. A new Pipeline → the overview's count.
      await timed('new Pipeline on the overview', () => admin.must('POST', `/apis/tekton.dev/v1/namespaces/${ns}/pipelines`, {
        apiVersion: 'tekton.dev/v1',
        kind: 'Pipeline',
        metadata: { name: newPipeline, namespace: ns, labels: { team: 'web' } },
        spec: { tasks: [{ name: 'hello', taskSpec: { steps: [{ name: 'echo', image: 'registry.example.com/tools/busybox:1.37', script: 'echo hello' }] } }] },
      }), async () => {
        await expect(header).toContainText(`${before + 1} pipelines scored`, { timeout: LIVE_TIMEOUT });
      });
      await expect(overview.getByTestId('live-indicator')).toContainText(/updated \d\d:\d\d:\d\d/);
      await shot(overview, 'live-update-overview');
    } finally {
      await admin.request('DELETE', runPath);
      await admin.request('DELETE', pipelinePath);
    }

    // 5. Deletions too.
    await expect(row).toHaveCount(0, { timeout: LIVE_TIMEOUT });
    await expect(header).toContainText(`${before} pipelines scored`, { timeout: LIVE_TIMEOUT });

    for (const p of pages) expect(await p.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded), 'the page was not reloaded').toBe(true);
    test.info().annotations.push({ type: 'live-update', description: timings.join('; ') });
    console.log(`live updates: ${timings.join('; ')}`);
    await overview.close();
  });

  // Last: everything above (the server's start-up sync, every page and export) is in the window.
  test('/metrics of the live source passes Prometheus’s parser and promtool’s lint (scripts/promcheck)', async ({ request }) => {
    const text = await (await request.get('/metrics')).text();
    const promcheck = execFileSync('bash', ['scripts/promcheck.sh'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const out = execFileSync(promcheck, { input: text, encoding: 'utf8' });
    expect(out).toMatch(/^ok: \d+ families, \d+ series/);
    console.log(`promcheck (live): ${out.trim()}`);
    expect(text).toMatch(/^tekton_posture_watch_restarts_total \d+$/m);
    expect(text).toMatch(/^tekton_posture_scan_duration_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^tekton_posture_source_info\{source="live"\} 1$/m);
  });

  test('the audit log shows the viewer only read (list, watch): no write, no Secret', async () => {
    const fromThisRun = (e: AuditEvent) => Date.parse(e.requestReceivedTimestamp ?? '') >= serverStartedAt;
    const events = assertReadOnly(cluster.auditLog, [VIEWER], { exclude: (e) => !fromThisRun(e) });
    const verbs = new Set(events.map((e) => e.verb));
    expect(verbs.has('list'), 'the viewer listed').toBe(true);
    expect(verbs.has('watch'), 'the viewer watched').toBe(true);
    for (const v of ['create', 'update', 'patch', 'delete', 'deletecollection']) expect(events.filter((e) => e.verb === v), `${v} requests`).toEqual([]);
    expect(events.filter((e) => e.objectRef?.resource === 'secrets')).toEqual([]);
    expect(events.filter((e) => e.responseStatus?.code === 403).map((e) => e.requestURI), 'forbidden requests (RBAC too narrow)').toEqual([]);
    console.log(`audit: ${events.length} requests of ${VIEWER} since the server started: ${[...verbs].sort().join(', ')}`);
  });
});
