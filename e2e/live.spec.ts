/**
 * The dashboard against a real kube-apiserver (scripts/e2e-live-server.sh): seeded with the demo snapshot by the
 * admin identity, read by the app under the viewer identity. The same walk as on the demo data, then a change made
 * in the cluster shows up on an open page without a reload, and the audit log proves the app only read.
 */
import { resolve } from 'node:path';
import { Kube } from '../scripts/dev-cluster/kube';
import { assertReadOnly } from '../server/testing/cluster';
import { expect, expectNoHorizontalOverflow, shot, test } from './fixtures';

const STATE = process.env.DEV_CLUSTER_STATE ?? resolve('.dev-cluster');
const RUN = { namespace: 'web-ci', name: 'storefront-build-run-t7w9p' };

test.describe.configure({ mode: 'serial' });

test.describe('live cluster, viewer identity', () => {
  test('the data comes from the cluster, not the demo', async ({ page }) => {
    await page.goto('/sources');
    await expect(page.getByText('Demo data — no cluster configured.')).toHaveCount(0);
    await expect(page.getByRole('main')).toContainText('live');
    await expect(page.getByRole('main')).toContainText('127.0.0.1');
    await shot(page, 'live-sources');
  });

  test('overview → scorecard filter → pipeline → DAG node → finding → remediation', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-status', 'live');
    await shot(page, 'live-overview');

    await page.getByRole('navigation').getByRole('link', { name: 'Pipelines' }).click();
    const table = page.getByTestId('scorecard');
    await expect(table.locator('tbody tr')).toHaveCount(13);
    await page.getByRole('combobox', { name: 'Team' }).selectOption('web');
    await expect(page).toHaveURL(/team=web/);
    await page.getByRole('searchbox', { name: 'Search' }).fill('storefront');
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await table.getByRole('link', { name: 'storefront-build' }).click();
    await expect(page).toHaveURL(/\/pipelines\/web-ci\/storefront-build$/);

    await expect(page.getByRole('region', { name: 'Pipeline graph' })).toBeVisible();
    await page.getByTestId('dag-canvas').locator('.react-flow__node-task').first().click();
    await expect(page.getByTestId('dag-panel')).toBeVisible();

    const finding = page.locator('#finding-IDN-004');
    await finding.locator('summary').click();
    await expect(finding.getByTestId('remediation')).toBeVisible();
    await expect(finding.getByText('RoleBinding web-ci/web-ci-bot', { exact: true }).first()).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'live-pipeline');
  });

  test('run detail and the service account path', async ({ page }) => {
    await page.goto(`/runs/${RUN.namespace}/${RUN.name}`);
    await expect(page.getByRole('region', { name: 'Tekton Chains' }).getByText('Signed with evidence').first()).toBeVisible();
    await page.goto('/service-accounts/web-ci/web-ci-bot');
    const first = page.getByTestId('effective-rules').locator('tbody tr').first();
    await expect(first).toContainText('RoleBinding web-ci/web-ci-bot');
    await expect(first).toContainText('rules[0]');
  });

  test('an export downloads and parses', async ({ page }) => {
    await page.goto('/pipelines?team=web');
    const shown = await page.getByTestId('scorecard').locator('tbody tr').count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'JSON', exact: true }).click()]);
    const { readFileSync } = await import('node:fs');
    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(report.source.kind).toBe('live');
    expect(report.pipelines).toHaveLength(shown);
  });

  test('a change in the cluster appears on the open page without a reload', async ({ page }) => {
    await page.goto(`/runs/${RUN.namespace}/${RUN.name}`);
    const chains = page.getByRole('region', { name: 'Tekton Chains' });
    await expect(chains.getByText('Signed with evidence').first()).toBeVisible();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-status', 'live');
    // A reload would drop this marker (router.refresh's same-document history updates would not).
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    const admin = new Kube(resolve(STATE, 'admin.kubeconfig'));
    try {
      const r = await admin.request(
        'PATCH',
        `/apis/tekton.dev/v1/namespaces/${RUN.namespace}/pipelineruns/${RUN.name}`,
        { metadata: { annotations: { 'chains.tekton.dev/signed': 'failed' } } },
        'application/merge-patch+json',
      );
      expect(r.status).toBeLessThan(300);
    } finally {
      admin.close();
    }
    await expect(chains.getByText('Signing failed').first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId('live-indicator')).toContainText('updated');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument), 'the page reloaded instead of updating in place').toBe(true);
    await shot(page, 'live-update');
  });

  test('the audit log shows the app only listed and watched, and never touched Secrets', async () => {
    const events = assertReadOnly(resolve(STATE, 'audit.log'), ['posture-viewer']);
    expect(events.filter((e) => e.verb === 'list').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.verb === 'watch').length).toBeGreaterThan(0);
  });
});
