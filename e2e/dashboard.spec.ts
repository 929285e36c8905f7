import { expectNoHorizontalOverflow, expectNoScriptLinks, expect, shot, test } from './fixtures';

test.describe('demo cluster', () => {
  test('overview shows the posture at a glance and the demo banner', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByText('Demo data — no cluster configured.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    for (const title of ['Cluster score', 'Platform', 'Data freshness', 'Grade distribution', 'Top failing checks', 'Signing of recent runs', 'Riskiest service accounts']) {
      await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
    }
    await expect(page.getByRole('region', { name: 'Platform' }).getByText('PLT-004')).toBeVisible();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-status', 'live');
    await expectNoHorizontalOverflow(page);
    await shot(page, 'overview');
  });

  test('scorecard → filter (URL) → pipeline → finding → remediation and copy', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/pipelines');
    const table = page.getByTestId('scorecard');
    await expect(table.locator('tbody tr')).toHaveCount(13);
    await shot(page, 'scorecard');

    await page.getByRole('combobox', { name: 'Grade' }).selectOption('F');
    await expect(page).toHaveURL(/[?&]grade=F/);
    await expect(table.locator('tbody tr td:nth-child(4)').first()).toContainText('F');
    const fRows = await table.locator('tbody tr').count();
    expect(fRows).toBeGreaterThan(1);
    expect(fRows).toBeLessThan(13);
    await page.getByRole('combobox', { name: 'Team' }).selectOption('web');
    await expect(page).toHaveURL(/team=web/);
    await page.getByRole('searchbox', { name: 'Search' }).fill('storefront');
    await expect(page).toHaveURL(/q=storefront/);
    await expect(table.locator('tbody tr')).toHaveCount(1);

    // The URL alone reproduces the view (server-side filtering).
    const sharedUrl = page.url();
    const other = await context.newPage();
    await other.goto(sharedUrl);
    await expect(other.getByTestId('scorecard').locator('tbody tr')).toHaveCount(1);
    await other.close();

    // Sorting lives in the URL too.
    await page.goto('/pipelines');
    await page.getByRole('link', { name: /^Score/ }).click();
    await expect(page).toHaveURL(/sort=score/);
    await page.goto('/pipelines?grade=bogus&sort=nope&q=storefront');
    await expect(page.getByTestId('scorecard').locator('tbody tr')).toHaveCount(1);

    await page.getByTestId('scorecard').getByRole('link', { name: 'storefront-build' }).click();
    await expect(page).toHaveURL(/\/pipelines\/web-ci\/storefront-build$/);
    await expect(page.getByTestId('pipeline-name')).toHaveText('storefront-build');
    await expect(page.getByRole('region', { name: 'Pipeline graph' })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'pipeline');

    const finding = page.locator('#finding-IDN-004');
    await finding.locator('summary').click();
    const remediation = finding.getByTestId('remediation');
    await expect(remediation).toBeVisible();
    await expect(finding.getByText('RoleBinding web-ci/web-ci-bot', { exact: true }).first()).toBeVisible();
    const copy = remediation.getByRole('button', { name: 'Copy' }).first();
    await expect(copy).toBeVisible();
    await copy.click();
    await expect(remediation.getByRole('button', { name: 'Copied' }).first()).toBeVisible();
    await shot(page, 'pipeline-finding');

    // Evidence links lead to the object's view.
    const shared = page.locator('#finding-IDN-002');
    await shared.locator('summary').click();
    await shared.getByRole('link', { name: 'ServiceAccount web-ci/web-ci-bot' }).first().click();
    await expect(page).toHaveURL(/\/service-accounts\/web-ci\/web-ci-bot$/);
  });

  test('run detail: status, Chains, TaskRuns and step digests', async ({ page }) => {
    await page.goto('/runs/web-ci/storefront-build-run-t7w9p');
    await expect(page.getByRole('heading', { name: 'storefront-build-run-t7w9p', level: 1 })).toBeVisible();
    const chains = page.getByRole('region', { name: 'Tekton Chains' });
    await expect(chains.getByText('Signed with evidence').first()).toBeVisible();
    await expect(chains.getByText('Payload present')).toBeVisible();
    const link = chains.getByTestId('transparency-link');
    if ((await link.count()) > 0) {
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
    }
    await expect(page.getByRole('heading', { name: /^TaskRuns \(\d+\)$/ })).toBeVisible();
    await expect(page.getByText('Resolved digest (status imageID)').first()).toBeVisible();
    await expectNoScriptLinks(page);
    await expectNoHorizontalOverflow(page);
    await shot(page, 'run');
  });

  test('service account: binding → role → rule paths', async ({ page }) => {
    await page.goto('/service-accounts/web-ci/web-ci-bot');
    const rules = page.getByTestId('effective-rules');
    await expect(rules).toBeVisible();
    const first = rules.locator('tbody tr').first();
    await expect(first).toContainText('RoleBinding web-ci/web-ci-bot');
    await expect(first).toContainText('Role web-ci/web-ci-bot');
    await expect(first).toContainText('rules[0]');
    await expect(rules).toContainText('aggregated from ClusterRole');
    await expectNoHorizontalOverflow(page);
    await shot(page, 'service-account');
  });

  test('exports download and parse (JSON, SARIF, CSV, JUnit), filtered like the scorecard', async ({ page, request }) => {
    await page.goto('/pipelines?grade=F');
    const shown = await page.getByTestId('scorecard').locator('tbody tr').count();
    const download = async (label: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label, exact: true }).click()]);
      const path = await d.path();
      const { readFileSync } = await import('node:fs');
      return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8') };
    };
    const json = await download('JSON');
    expect(json.name).toMatch(/\.json$/);
    const report = JSON.parse(json.text);
    expect(report.schemaVersion).toBe(1);
    expect(report.pipelines.length).toBe(shown);
    expect(report.pipelines.every((p: { grade: string }) => p.grade === 'F')).toBe(true);

    const sarif = JSON.parse((await download('SARIF')).text);
    expect(sarif.version).toBe('2.1.0');
    const csv = (await download('CSV')).text;
    expect(csv.split(/\r?\n/)[0]).toMatch(/check/i);
    const junit = (await download('JUnit')).text;
    expect(junit).toContain('<testsuite');

    const bad = await request.get('/api/export?format=exe');
    expect(bad.status()).toBe(400);
    const all = await request.get('/api/export?format=json');
    expect(all.headers()['content-disposition']).toMatch(/^attachment; filename="tekton-posture-.*\.json"$/);
    expect((await all.json()).pipelines.length).toBe(13);
  });

  test('unknown pipeline, run and service account answer 404 pages', async ({ page, guard }) => {
    guard.allow404();
    for (const path of ['/pipelines/nope/nothing', '/runs/web-ci/nope', '/service-accounts/nope/nope', '/checks/XYZ-999', '/teams/nobody']) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    }
    await shot(page, 'not-found');
  });

  test('API: read-only, JSON, SSE', async ({ request }) => {
    const summary = await request.get('/api/summary');
    expect(summary.ok()).toBe(true);
    const s = await summary.json();
    expect(typeof s.version).toBe('number');
    expect(s.summary.pipelines).toBe(13);
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
