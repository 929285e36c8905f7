/**
 * The pipeline graph (components/dag) on the demo cluster: it renders server-positioned nodes, shows credential
 * workspaces as such, is usable from the keyboard, is read-only, and opens a task's findings.
 *
 * The 150-task graph is measured when DAG_BIG_BASE_URL points at a server holding the generated benchmark
 * cluster (`generateCluster(...)` with `bigPipelineTasks: 150`, pipeline `team-0-ci/pipeline-0`); `npm run bench:ui`
 * measures it on the full benchmark cluster.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** A demo pipeline with a Secret workspace, a ReadWriteMany PVC and a `finally` task. */
const PIPELINE = '/pipelines/data-ci/nightly-etl';

const canvas = (page: Page) => page.getByTestId('dag-canvas');
const taskNodes = (page: Page) => canvas(page).locator('.react-flow__node-task');
const panel = (page: Page) => page.getByTestId('dag-panel');

async function viewportTransform(page: Page): Promise<string> {
  return (await canvas(page).locator('.react-flow__viewport').getAttribute('style')) ?? '';
}

async function openGraph(page: Page, path = PIPELINE): Promise<void> {
  await page.goto(path);
  await expect(canvas(page)).toBeVisible();
  await expect(taskNodes(page).first()).toBeVisible();
  // React Flow marks itself ready once it has measured the nodes; edges are drawn by then.
  await expect(canvas(page).locator('.react-flow__edge').first()).toBeAttached();
}

/** Screenshot once the viewport has stopped moving (fitView runs after the nodes are measured). */
async function shotOf(page: Page, target: Locator, name: string): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      const now = await viewportTransform(page);
      const stable = now === last;
      last = now;
      return stable;
    }, { intervals: [150, 150, 300, 500] })
    .toBe(true);
  await target.screenshot({ path: `e2e/screenshots/dag-${name}.png` });
}

test.describe('pipeline DAG', () => {
  test('renders tasks, the finally group and workspace nodes coloured by binding', async ({ page }) => {
    await openGraph(page);
    await expect(canvas(page).locator('.react-flow')).toHaveAttribute('aria-label', /Task graph of pipeline data-ci\/nightly-etl/);
    await expect(taskNodes(page)).toHaveCount(5);
    await expect(canvas(page).locator('.react-flow__node-finallyGroup')).toContainText('finally');
    const finallyTask = taskNodes(page).filter({ hasText: 'notify' });
    await expect(finallyTask).toHaveAttribute('aria-label', /^finally task notify/);

    const credential = canvas(page).locator('.react-flow__node-workspace').filter({ hasText: 'credential' });
    await expect(credential).toHaveCount(1);
    await expect(credential).toContainText('warehouse-creds');
    await expect(credential.locator('svg')).toHaveCount(1); // the key icon: colour is not the only signal
    await expect(canvas(page).locator('.react-flow__node-workspace').filter({ hasText: 'RWX PVC' })).toHaveCount(1);
    await expect(canvas(page).locator('.react-flow__node-workspace').filter({ hasText: 'per-run claim' })).toHaveCount(1);

    // A task node spells out images, pinning, security context, credentials and the run state.
    const transform = taskNodes(page).filter({ hasText: 'transform' });
    await expect(transform).toContainText(/tag|digest/);
    await expect(transform).toContainText('non-root');
    await expect(transform).toContainText('warehouse-credentials'); // the Secret behind workspace warehouse-creds
    await expect(transform).toContainText(/failed/);

    await expect(page.getByTestId('dag-legend')).toContainText('credential');
    await shotOf(page, page.getByTestId('pipeline-dag'), 'light');
  });

  test('zoom and fit controls exist and work; nodes cannot be dragged', async ({ page }) => {
    await openGraph(page);
    const zoomIn = canvas(page).getByRole('button', { name: 'Zoom In' });
    await expect(zoomIn).toBeVisible();
    await expect(canvas(page).getByRole('button', { name: 'Zoom Out' })).toBeVisible();
    await expect(canvas(page).getByRole('button', { name: 'Fit View' })).toBeVisible();
    const before = await viewportTransform(page);
    await zoomIn.click();
    await expect.poll(() => viewportTransform(page)).not.toBe(before);

    const node = taskNodes(page).first();
    const start = await node.getAttribute('style');
    const box = await node.boundingBox();
    if (!box) throw new Error('node has no box');
    await page.mouse.move(box.x + 20, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 90, { steps: 5 });
    await page.mouse.up();
    expect(await node.getAttribute('style')).toBe(start);
    await expect(canvas(page).locator('.react-flow__minimap')).toHaveCount(0); // small graph: no minimap
  });

  test('Tab reaches the nodes, Enter opens the findings panel, Escape closes it', async ({ page }) => {
    await openGraph(page);
    await page.getByRole('navigation', { name: 'Run shown on the graph' }).getByRole('link').last().focus();
    await page.keyboard.press('Tab');
    const focused = page.locator('.react-flow__node:focus');
    await expect(focused).toHaveCount(1);
    await expect(focused).toHaveAttribute('aria-label', /^task /);
    const name = (await focused.getAttribute('aria-label'))?.match(/^task (\S+):/)?.[1] ?? '';
    await page.keyboard.press('Tab');
    await expect(page.locator('.react-flow__node:focus')).toHaveAttribute('aria-label', /^task /);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');

    await expect(panel(page)).toBeVisible();
    await expect(panel(page).getByRole('heading', { level: 3 })).toHaveText(name);
    const links = panel(page).locator('a[href^="#finding-"]');
    expect(await links.count()).toBeGreaterThan(0);
    // every finding link lands on the checklist entry of the same check
    const href = (await links.first().getAttribute('href')) ?? '';
    await expect.soft(page.locator(`[id="${href.slice(1)}"]`)).toHaveCount(1);
    await shotOf(page, canvas(page), 'panel');

    await page.keyboard.press('Escape');
    await expect(panel(page)).toHaveCount(0);

    // clicking works as well, and the close button closes
    await taskNodes(page).filter({ hasText: 'load' }).click();
    await expect(panel(page).getByRole('heading', { level: 3 })).toHaveText('load');
    await panel(page).getByRole('button', { name: /Close/ }).click();
    await expect(panel(page)).toHaveCount(0);
  });

  test('the run picker shows another run', async ({ page }) => {
    await openGraph(page);
    const picker = page.getByRole('navigation', { name: 'Run shown on the graph' });
    const links = picker.getByRole('link');
    expect(await links.count()).toBeGreaterThan(1);
    await expect(links.first()).toHaveAttribute('aria-current', 'true');
    const other = links.nth(1);
    const runName = ((await other.getAttribute('href')) ?? '').match(/run=([^#&]+)/)?.[1] ?? '';
    await other.click();
    await expect(page).toHaveURL(new RegExp(`run=${runName}`));
    await expect(picker.getByRole('link').nth(1)).toHaveAttribute('aria-current', 'true');
    await expect(taskNodes(page).first()).toHaveAttribute('aria-label', new RegExp(`in run ${decodeURIComponent(runName)}`));
  });

  test.describe('dark mode', () => {
    test.use({ colorScheme: 'dark' });
    test('renders with dark nodes and controls', async ({ page }) => {
      await openGraph(page);
      const bg = await taskNodes(page)
        .first()
        .locator('> div')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).not.toBe('rgb(255, 255, 255)');
      const button = await canvas(page)
        .getByRole('button', { name: 'Zoom In' })
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(button).not.toBe('rgb(254, 254, 254)');
      await shotOf(page, page.getByTestId('pipeline-dag'), 'dark');
    });
  });
});

test.describe('150-task DAG', () => {
  // playwright.config.ts starts scripts/e2e-big-server.sh and sets this; another server can be named instead.
  const base = process.env.DAG_BIG_BASE_URL ?? 'http://127.0.0.1:3103';

  test('draws 150 tasks, opens a task panel, fits the view', async ({ page }) => {
    const url = `${base}/pipelines/team-0-ci/pipeline-0`;
    await page.request.get(`${base}/healthz`); // the server is up; the page itself is measured cold
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    const first = taskNodes(page).first();
    await expect(first).toBeVisible();
    const painted = Date.now() - t0;
    await first.click();
    await expect(panel(page)).toBeVisible();
    const interactive = Date.now() - t0;
    test.info().annotations.push({ type: 'dag-150', description: `nodes painted ${painted} ms, interactive ${interactive} ms` });
    console.log(`150-task DAG: nodes painted ${painted} ms, interactive (panel opened) ${interactive} ms`);
    await expect(canvas(page).locator('.react-flow__minimap')).toBeVisible();
    await page.keyboard.press('Escape');
    await shotOf(page, page.getByTestId('pipeline-dag'), 'big');
    await canvas(page).getByRole('button', { name: 'Fit View' }).click();
    await page.waitForTimeout(300);
    await shotOf(page, canvas(page), 'big-fit');
    // The time is printed, not asserted: bench:ui measures it on a quiet machine.
  });
});
