import { expectNoHorizontalOverflow, expectNoScriptLinks, expect, shot, test } from './fixtures';

// Served from testdata/hostile (files source): XSS strings, RTL overrides, emoji, huge scripts, cycles, a
// javascript: transparency URL. Any dialog fails the test (fixtures.ts).
test.describe('hostile strings', () => {
  test('the hostile pipeline renders its strings as text', async ({ page }) => {
    await page.goto('/pipelines/hostile/xss-pipeline');
    await expect(page.getByTestId('pipeline-name')).toHaveText('xss-pipeline');
    await expect(page.getByText('<script>alert(1)</script>', { exact: false }).first()).toBeVisible();
    await expect(page.getByText(/Cycle in runAfter/).first()).toBeVisible();
    expect(await page.locator('main script, main img, main svg[onload]').count()).toBe(0);
    await expectNoScriptLinks(page);
    await expectNoHorizontalOverflow(page);
    await shot(page, 'hostile-pipeline');
  });

  test('the <img onerror> team label appears literally', async ({ page }) => {
    await page.goto('/pipelines/hostile/xss-labels');
    await expect(page.getByText('<img src=x onerror=alert(1)>').first()).toBeVisible();
    expect(await page.locator('main img').count()).toBe(0);
    await expectNoHorizontalOverflow(page);
    await page.goto('/pipelines');
    await expect(page.getByTestId('scorecard').getByText('<img src=x onerror=alert(1)>').first()).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'hostile-scorecard');
  });

  test('a 2,000-task chain lists its tasks instead of a graph, and keeps every finding', async ({ page }) => {
    const res = await page.goto('/pipelines/hostile/huge-chain');
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId('dag-task-list')).toContainText('2000 tasks are too many to draw');
    await expect(page.getByTestId('dag-task-list').getByText('t1999', { exact: true })).toBeAttached();
    const graph = await page.request.get('/api/pipelines/hostile/huge-chain/graph');
    expect(graph.status()).toBe(200);
    expect(await graph.json()).toMatchObject({ tooBig: true, nodes: [] });
    await expect(page.getByText('STP-005').first()).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'hostile-huge-chain');
  });

  test('planted credentials appear in full on no route: pages, runs, pipeline and graph APIs, exports, /metrics', async ({ request }) => {
    const planted = [
      'https://hooks.slack.com/services/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',
      'Zx9Qm4Lr7Tk2Wv8Np3Hs6Jd1',
      'npm_Qw3rTy8UiOp4AsDfGh6JkLzXcVbNm2QwErTy',
      'Sup3r-S3cret-Passw0rd-4-hostile',
    ];
    const seen = new Set<string>();
    const queue = ['/', '/runs/hostile/leaky-run', '/metrics', '/api/summary', '/api/pipelines', ...['json', 'sarif', 'csv', 'junit', 'table'].map((f) => `/api/export?format=${f}`)];
    const leaks: string[] = [];
    while (queue.length > 0 && seen.size < 400) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await request.get(path);
      expect(res.status(), path).toBeLessThan(500);
      const body = await res.text();
      for (const p of planted) if (body.includes(p)) leaks.push(`${path}: ${p.slice(0, 6)}…`);
      for (const m of body.matchAll(/href="(\/[^"#]*)/g)) {
        const href = m[1].replace(/&amp;/g, '&');
        if (!href.startsWith('/_next') && !seen.has(href)) queue.push(href);
      }
      const pipeline = /^\/pipelines\/([^/?]+)\/([^/?]+)$/.exec(path);
      if (pipeline) queue.push(`/api/pipelines/${pipeline[1]}/${pipeline[2]}`, `/api/pipelines/${pipeline[1]}/${pipeline[2]}/graph`);
    }
    expect(seen.has('/runs/hostile/leaky-run')).toBe(true);
    expect(leaks).toEqual([]);
  });

  test('a javascript: transparency URL is not a link', async ({ page }) => {
    await page.goto('/runs/hostile/xss-run');
    await expect(page.getByRole('heading', { name: 'xss-run', level: 1 })).toBeVisible();
    await expectNoScriptLinks(page);
    await expect(page.getByTestId('transparency-link')).toHaveCount(0);
    await expectNoHorizontalOverflow(page);
    await shot(page, 'hostile-run');
  });

  test('every view survives the hostile data', async ({ page }) => {
    for (const path of ['/', '/teams', '/service-accounts', '/namespaces', '/namespaces/hostile', '/checks', '/sources', '/report']) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await expectNoScriptLinks(page);
      await expectNoHorizontalOverflow(page);
    }
    await shot(page, 'hostile-report');
  });
});
