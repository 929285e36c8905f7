import { test as base, expect, type Page } from '@playwright/test';

interface Guard {
  problems: string[];
  /** The test expects a 404 document: its "Failed to load resource: 404" console line is not a problem. */
  allow404(): void;
}

/**
 * Every test fails on a console error, an uncaught page error or a dialog (alert/confirm/prompt: an XSS that
 * fired). The guard is an automatic fixture, so no test can forget it.
 */
export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ page }, use) => {
      let allow404 = false;
      const guard: Guard = { problems: [], allow404: () => (allow404 = true) };
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (allow404 && /404/.test(m.text())) return;
        guard.problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => guard.problems.push(`pageerror: ${e.message}`));
      page.on('dialog', async (d) => {
        guard.problems.push(`dialog (${d.type()}): ${d.message()}`);
        await d.dismiss();
      });
      await use(guard);
      expect(guard.problems, 'console errors, page errors or dialogs').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/** The page must not scroll sideways at the viewport width (no layout break from long strings). */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, 'page wider than the viewport').toBeLessThanOrEqual(client + 1);
}

/** No link anywhere on the page may point at a javascript:/data:/vbscript: URL. */
export async function expectNoScriptLinks(page: Page): Promise<void> {
  const bad = await page.$$eval('a[href]', (as) =>
    as.map((a) => a.getAttribute('href') ?? '').filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)),
  );
  expect(bad).toEqual([]);
}
