/**
 * The dashboard's click-through path, step by step, shared by the demo spec (the built-in Northwind snapshot) and
 * the live spec (the same snapshot seeded into a real kube-apiserver and read under the viewer identity). A step
 * takes what differs between the two as arguments (the pipeline count, a screenshot prefix) and asserts the rest.
 */
import { readFileSync } from 'node:fs';
import type { APIRequestContext, BrowserContext, Locator, Page } from '@playwright/test';
import { expect, expectNoHorizontalOverflow, expectNoScriptLinks, shot } from './fixtures';

export interface FlowOptions {
  /** Prepended to every screenshot name (`live-` → e2e/screenshots/live-overview.png). */
  prefix?: string;
}

/** The pipeline the path walks through: Grade F, team web, search "storefront" leaves exactly this one. */
export const PATH_PIPELINE = { namespace: 'web-ci', name: 'storefront-build', task: 'docker-build-push' } as const;
/** A finished, signed run of it (Chains evidence, TaskRuns with resolved step digests). */
export const PATH_RUN = { namespace: 'web-ci', name: 'storefront-build-run-t7w9p' } as const;
/** Its service account: a RoleBinding to a Role, and a ClusterRole aggregated from others. */
export const PATH_SERVICE_ACCOUNT = { namespace: 'web-ci', name: 'web-ci-bot' } as const;

const OVERVIEW_CARDS = ['Cluster score', 'Platform', 'Data freshness', 'Grade distribution', 'Top failing checks', 'Signing of recent runs', 'Riskiest service accounts'];

/** Opens a checklist entry (a <details>) unless it already is open: clicking the summary of an open one closes it. */
export async function openFinding(page: Page, checkId: string): Promise<Locator> {
  const finding = page.locator(`[id="finding-${checkId}"]`);
  if (!(await finding.evaluate((d) => (d as HTMLDetailsElement).open))) await finding.locator('summary').click();
  await expect(finding).toHaveAttribute('open', '');
  return finding;
}

/** Overview: every card, the platform checks, the event stream connected. */
export async function overviewAtAGlance(page: Page, { prefix = '' }: FlowOptions = {}): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  for (const title of OVERVIEW_CARDS) await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Platform' }).getByText('PLT-004')).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-status', 'live');
  await expectNoHorizontalOverflow(page);
  await shot(page, `${prefix}overview`);
}

/**
 * On a pipeline page: a task node of the graph opens its findings panel; a finding link there opens that check in
 * the checklist below, with its remediation. Returns the check's ID.
 */
export async function dagNodeToFinding(page: Page, task: string, { prefix = '' }: FlowOptions = {}): Promise<string> {
  const canvas = page.getByTestId('dag-canvas');
  const node = canvas.locator(`.react-flow__node-task[aria-label^="task ${task}:"]`);
  await expect(node).toBeVisible();
  await node.click();
  const panel = page.getByTestId('dag-panel');
  await expect(panel.getByRole('heading', { level: 3 })).toHaveText(task);
  const link = panel.locator('a[href^="#finding-"]').first();
  const checkId = ((await link.getAttribute('href')) ?? '').replace('#finding-', '');
  expect(checkId, `a finding of task ${task}`).toMatch(/^[A-Z]{3}-\d{3}$/);
  await shot(page, `${prefix}pipeline-dag-panel`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`#finding-${checkId}$`));
  const finding = page.locator(`[id="finding-${checkId}"]`);
  await expect(finding).toHaveAttribute('open', ''); // OpenOnHash
  await expect(finding.getByTestId('remediation')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  return checkId;
}

/**
 * Scorecard → filters (kept in the URL, server-side) → sorting → the pipeline → a DAG node → its finding → the
 * IDN-004 finding's evidence and remediation, copied → an evidence link to the service account.
 */
export async function scorecardToRemediation(page: Page, context: BrowserContext, { pipelines, prefix = '' }: FlowOptions & { pipelines: number }): Promise<void> {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/pipelines');
  const table = page.getByTestId('scorecard');
  await expect(table.locator('tbody tr')).toHaveCount(pipelines);
  await shot(page, `${prefix}scorecard`);

  await page.getByRole('combobox', { name: 'Grade' }).selectOption('F');
  await expect(page).toHaveURL(/[?&]grade=F/);
  await expect(table.locator('tbody tr td:nth-child(4)').first()).toContainText('F');
  const fRows = await table.locator('tbody tr').count();
  expect(fRows).toBeGreaterThan(1);
  expect(fRows).toBeLessThan(pipelines);
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

  const { namespace, name, task } = PATH_PIPELINE;
  await page.getByTestId('scorecard').getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/pipelines/${namespace}/${name}$`));
  await expect(page.getByTestId('pipeline-name')).toHaveText(name);
  await expect(page.getByRole('region', { name: 'Pipeline graph' })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await shot(page, `${prefix}pipeline`);

  await dagNodeToFinding(page, task, { prefix });

  const finding = await openFinding(page, 'IDN-004');
  const remediation = finding.getByTestId('remediation');
  await expect(remediation).toBeVisible();
  await expect(finding.getByText('RoleBinding web-ci/web-ci-bot', { exact: true }).first()).toBeVisible();
  const copy = remediation.getByRole('button', { name: 'Copy' }).first();
  await expect(copy).toBeVisible();
  await copy.click();
  await expect(remediation.getByRole('button', { name: 'Copied' }).first()).toBeVisible();
  await shot(page, `${prefix}pipeline-finding`);

  // Evidence links lead to the object's view.
  const shared = await openFinding(page, 'IDN-002');
  await shared.getByRole('link', { name: 'ServiceAccount web-ci/web-ci-bot' }).first().click();
  await expect(page).toHaveURL(/\/service-accounts\/web-ci\/web-ci-bot$/);
}

/** Run detail: the Chains state with its evidence, the TaskRuns and their resolved step digests. */
export async function runDetail(page: Page, { prefix = '' }: FlowOptions = {}): Promise<void> {
  await page.goto(`/runs/${PATH_RUN.namespace}/${PATH_RUN.name}`);
  await expect(page.getByRole('heading', { name: PATH_RUN.name, level: 1 })).toBeVisible();
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
  await shot(page, `${prefix}run`);
}

/** Service account: each effective rule traced binding → role → rule, aggregation included. */
export async function serviceAccountRulePaths(page: Page, { prefix = '' }: FlowOptions = {}): Promise<void> {
  await page.goto(`/service-accounts/${PATH_SERVICE_ACCOUNT.namespace}/${PATH_SERVICE_ACCOUNT.name}`);
  const rules = page.getByTestId('effective-rules');
  await expect(rules).toBeVisible();
  const first = rules.locator('tbody tr').first();
  await expect(first).toContainText('RoleBinding web-ci/web-ci-bot');
  await expect(first).toContainText('Role web-ci/web-ci-bot');
  await expect(first).toContainText('rules[0]');
  await expect(rules).toContainText('aggregated from ClusterRole');
  await expectNoHorizontalOverflow(page);
  await shot(page, `${prefix}service-account`);
}

/** The export links download JSON, SARIF, CSV and JUnit that parse, filtered like the scorecard they sit on. */
export async function exportsDownloadAndParse(page: Page, request: APIRequestContext, { pipelines }: { pipelines: number }): Promise<void> {
  await page.goto('/pipelines?grade=F');
  const shown = await page.getByTestId('scorecard').locator('tbody tr').count();
  const download = async (label: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label, exact: true }).click()]);
    return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
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
  expect((await all.json()).pipelines.length).toBe(pipelines);
}
