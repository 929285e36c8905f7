import { expectNoHorizontalOverflow, expectNoScriptLinks, expect, shot, test } from './fixtures';
import { exportsDownloadAndParse, overviewAtAGlance, runDetail, scorecardToRemediation, serviceAccountRulePaths } from './flows';

/** The demo snapshot's pipeline count (lib/demo/snapshot). */
const PIPELINES = 13;

test.describe('demo cluster', () => {
  test('overview shows the posture at a glance and the demo banner', async ({ page }) => {
    await overviewAtAGlance(page);
    await expect(page.getByText('Demo data — no cluster configured.')).toBeVisible();
  });

  test('scorecard → filter (URL) → pipeline → DAG node → finding → remediation and copy', async ({ page, context }) => {
    await scorecardToRemediation(page, context, { pipelines: PIPELINES });
  });

  test('run detail: status, Chains, TaskRuns and step digests', async ({ page }) => {
    await runDetail(page);
  });

  test('service account: binding → role → rule paths', async ({ page }) => {
    await serviceAccountRulePaths(page);
  });

  test('exports download and parse (JSON, SARIF, CSV, JUnit), filtered like the scorecard', async ({ page, request }) => {
    await exportsDownloadAndParse(page, request, { pipelines: PIPELINES });
  });

  test('unknown pipeline, run and service account answer 404 pages', async ({ page, guard }) => {
    guard.allow404();
    const missing: [string, string][] = [
      ['/pipelines/nope/nothing', 'pipeline nothing in namespace nope'],
      ['/runs/web-ci/nope', 'run nope in namespace web-ci'],
      ['/service-accounts/nope/nope', 'service account nope in namespace nope'],
      ['/namespaces/nope', 'namespace nope'],
      ['/checks/XYZ-999', 'check XYZ-999'],
      ['/teams/nobody', 'team nobody'],
    ];
    for (const [path, what] of missing) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      // The page and its title name what was looked for, not a generic "Not found".
      await expect(page.getByRole('heading', { name: `No ${what}` })).toBeVisible();
      await expect(page).toHaveTitle(`Not found: ${what} · Tekton Posture`);
    }
    await shot(page, 'not-found');
  });

  test('API: read-only, JSON, SSE', async ({ request }) => {
    const summary = await request.get('/api/summary');
    expect(summary.ok()).toBe(true);
    const s = await summary.json();
    expect(typeof s.version).toBe('number');
    expect(s.summary.pipelines).toBe(PIPELINES);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await request.fetch('/api/summary', { method });
      expect(r.status(), method).toBe(405);
    }
    const list = await (await request.get('/api/pipelines?ns=web-ci&sort=score')).json();
    expect(list.pipelines.length).toBe(5);
    expect(list.pipelines.every((p: { namespace: string }) => p.namespace === 'web-ci')).toBe(true);
    expect(list.pipelines[0].findings).toBeUndefined();
    const one = await request.get('/api/pipelines/web-ci/storefront-build');
    expect((await one.json()).pipeline.findings.length).toBeGreaterThan(10);
    expect((await request.get('/api/pipelines/web-ci/nope')).status()).toBe(404);
    const graph = await (await request.get('/api/pipelines/web-ci/storefront-build/graph')).json();
    expect(graph.nodes.filter((n: { type: string }) => n.type === 'task').length).toBe(4);
    expect(Object.keys(graph.findingIndex).length).toBeGreaterThan(0);
    expect((await request.get('/api/pipelines/web-ci/nope/graph')).status()).toBe(404);
    expect((await request.fetch('/api/pipelines/web-ci/storefront-build/graph', { method: 'POST' })).status()).toBe(405);
  });

  test('live updates: the event stream sends the current version', async ({ page }) => {
    await page.goto('/');
    const first = await page.evaluate(
      () =>
        new Promise<{ data: string; id: string }>((resolve, reject) => {
          const es = new EventSource('/api/events');
          es.addEventListener('update', (e) => {
            es.close();
            resolve({ data: (e as MessageEvent).data, id: (e as MessageEvent).lastEventId });
          });
          setTimeout(() => reject(new Error('no update event')), 5000);
        }),
    );
    expect(JSON.parse(first.data).version).toBeGreaterThan(0);
    expect(first.id).toBe(String(JSON.parse(first.data).version));
  });

  const VIEWS: [string, string][] = [
    ['/teams', 'teams'],
    ['/teams/web', 'team'],
    ['/service-accounts', 'service-accounts'],
    ['/namespaces', 'namespaces'],
    ['/namespaces/web-ci', 'namespace'],
    ['/checks', 'checks'],
    ['/checks/IDN-004', 'check'],
    ['/sources', 'sources'],
    ['/report', 'report'],
    ['/runs/platform-ci/renovate-manual-7k2xd', 'taskrun'],
    ['/pipelines/data-ci/nightly-etl', 'pipeline-dangerous'],
    ['/pipelines/payments-ci/payments-api-release', 'pipeline-exemplary'],
  ];
  for (const [path, name] of VIEWS) {
    test(`view ${path} renders without errors`, async ({ page }) => {
      const res = await page.goto(path);
      expect(res?.status()).toBe(200);
      await expect(page.locator('h1').first()).toBeVisible();
      await expectNoScriptLinks(page);
      await expectNoHorizontalOverflow(page);
      await shot(page, name);
    });
  }

  test('team lead view: grid and ranked fixes', async ({ page, request }) => {
    const web = (await (await request.get('/api/pipelines?team=web')).json()).pipelines.length;
    await page.goto('/teams/web');
    await expect(page.getByTestId('team-grid').locator('tbody tr')).toHaveCount(web);
    const fixes = page.getByTestId('fixes');
    await expect(fixes.locator('tbody tr').first()).toContainText(/\+\d/);
  });
});
