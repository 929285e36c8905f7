import AxeBuilder from '@axe-core/playwright';
import { expectNoHorizontalOverflow, expect, shot, test } from './fixtures';
import { PATH_PIPELINE, PATH_RUN, PATH_SERVICE_ACCOUNT } from './flows';

/** Every page of the demo a reviewer walks in the first five minutes. */
const PAGES: [string, string][] = [
  ['/', 'overview'],
  ['/pipelines', 'scorecard'],
  [`/pipelines/${PATH_PIPELINE.namespace}/${PATH_PIPELINE.name}`, 'pipeline'],
  [`/runs/${PATH_RUN.namespace}/${PATH_RUN.name}`, 'run'],
  [`/service-accounts/${PATH_SERVICE_ACCOUNT.namespace}/${PATH_SERVICE_ACCOUNT.name}`, 'service-account'],
  ['/namespaces', 'namespaces'],
  ['/teams', 'teams'],
  ['/teams/web', 'team'],
  ['/checks', 'checks'],
  ['/checks/IDN-004', 'check'],
  ['/sources', 'sources'],
  ['/report', 'report'],
];

const SIZES = [
  { name: 'wide', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

for (const scheme of ['light', 'dark'] as const) {
  for (const size of SIZES) {
    test.describe(`${scheme} ${size.width}px`, () => {
      test.use({ viewport: { width: size.width, height: size.height }, colorScheme: scheme });
      for (const [path, name] of PAGES) {
        test(`axe: no serious or critical violation on ${path}`, async ({ page }) => {
          await page.goto(path);
          await expect(page.locator('h1').first()).toBeVisible();
          await expectNoHorizontalOverflow(page);
          const results = await new AxeBuilder({ page }).analyze();
          const bad = results.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .flatMap((v) => v.nodes.slice(0, 10).map((n) => `${v.id}: ${n.target.join(' ')} :: ${(n.failureSummary?.split('\n')[1] ?? '').slice(0, 160)} :: ${n.html.slice(0, 120)}`));
          expect(bad, `${path} ${scheme} ${size.width}px`).toEqual([]);
          await shot(page, `a11y-${name}-${scheme}-${size.name}`);
        });
      }
    });
  }
}

test.describe('the reviewer\'s first five minutes', () => {
  test('overview: critical and high findings link to the finding, severity strip to the filtered scorecard', async ({ page }) => {
    await page.goto('/');
    const severe = page.getByTestId('severe-findings');
    await expect(severe.locator('tbody tr').first()).toContainText(/critical/i);
    const href = await severe.locator('tbody tr').first().locator('a[href*="#finding-"]').getAttribute('href');
    expect(href).toMatch(/^\/pipelines\/[^#]+#finding-[A-Z]+-\d{3}$/);
    await page.getByTestId('severity-strip').getByRole('link', { name: /critical/i }).click();
    await expect(page).toHaveURL(/severity=critical/);
    const rows = await page.getByTestId('scorecard').locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
  });

  test('unknown filter values are named with the valid ones', async ({ page }) => {
    await page.goto('/pipelines?check=XYZ-999&grade=Q&severity=huge');
    const problems = page.getByTestId('query-problems');
    await expect(problems).toContainText('check=XYZ-999');
    await expect(problems).toContainText('grade=Q');
    await expect(problems).toContainText('A, B, C, D, F or none');
    await expect(problems).toContainText('severity=huge');
    await shot(page, 'scorecard-bad-params');
  });

  test('phone: the menu opens a drawer, Escape closes it and focus returns', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(nav).toBeVisible();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await shot(page, 'drawer-open-phone');
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
    await menu.click();
    await nav.getByRole('link', { name: 'Pipelines' }).click();
    await expect(page).toHaveURL(/\/pipelines$/);
    await expect(nav).toBeHidden();
    await expectNoHorizontalOverflow(page);
  });
});
