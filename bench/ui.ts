/**
 * `npm run bench:ui`: what a user of the dashboard waits for, on the generated 2,000-pipeline cluster.
 *
 * 1. Needs the production build (`.next/standalone/server.js`); builds nothing — run `npx next build` first.
 * 2. Starts the standalone server over `generateCluster(BENCH_CLUSTER)` (bench/server.ts, as bench:load does).
 * 3. Server time: `/` (overview), `/pipelines` (scorecard) and the 150-task pipeline page, each the median and p90 of
 *    10 sequential GETs after 2 warm-ups, timed until the whole body has arrived. Target: under 300 ms.
 * 4. The 150-task DAG (`/pipelines/team-0-ci/pipeline-0`; the task count is read from the canvas label) in Debian's
 *    Chromium, each sample in a fresh browser context (empty cache, like a first visit) after one warm-up:
 *    "interactive" is the time from navigation start until a click on a task node opens its findings panel —
 *    the moment React has hydrated the canvas and its handlers answer. A probe injected before the page's own
 *    scripts clicks the first task node every 10 ms and stamps `performance.now()` (0 = navigation start) when the
 *    panel enters the DOM; first contentful paint and the first task node in the DOM are reported beside it.
 *    Target: under 1 s.
 * 5. JS of the overview: every script response Chromium receives for `/` until 1.5 s after `load` (fresh context),
 *    each body gzipped at zlib level 9 and summed; the bytes actually transferred (the server's own compression)
 *    are shown beside it. Target: under 250 kB (1 kB = 1,000 B). Also shown, without target: the scorecard's and
 *    the DAG page's JS, and the overview's HTML document (which carries the RSC payload inline).
 *
 * Loopback only. Bounded: BENCH_UI_RUNS (DAG samples, default 5), BENCH_READY_TIMEOUT (s, default 300),
 * CHROMIUM_PATH (default /usr/bin/chromium); the whole run aborts after ready timeout + 300 s. Prints figures
 * with their targets; asserts nothing.
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { overallTimeLimit, printTable, quantile, requireProductionBuild, serviceTime, startBenchServer, stopBenchServer } from './server';

const READY_TIMEOUT = Number(process.env.BENCH_READY_TIMEOUT ?? 300);
const DAG_RUNS = Math.max(1, Number(process.env.BENCH_UI_RUNS ?? 5));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BIG_DAG = '/pipelines/team-0-ci/pipeline-0';
const PAGES = [
  { path: '/', label: 'overview' },
  { path: '/pipelines', label: 'scorecard' },
  { path: BIG_DAG, label: '150-task pipeline' },
];
const TARGET = { serverMs: 300, dagInteractiveMs: 1000, overviewJsKb: 250 };

requireProductionBuild('bench:ui');
if (!existsSync(CHROMIUM)) {
  console.error(`bench:ui: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
  process.exit(1);
}
overallTimeLimit('bench:ui', READY_TIMEOUT + 300);

const { base } = await startBenchServer('bench:ui', READY_TIMEOUT);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

// ------------------------------------------------------------------ server time
console.log('\nserver time: 10 sequential GETs after 2 warm-ups, until the whole body has arrived');
const serverRows = [['page', 'status', 'body', 'median', 'p90', 'target']];
for (const { path, label } of PAGES) {
  const t = await serviceTime(base + path, 10, 2);
  serverRows.push([`${label} ${path}`, String(t.status), kb(t.bytes), ms(t.median), ms(t.p90), `< ${TARGET.serverMs} ms`]);
}
printTable(serverRows);

// ------------------------------------------------------------------ the browser
const browser: Browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
process.on('exit', () => void browser.close().catch(() => undefined));
const newContext = (): Promise<BrowserContext> => browser.newContext({ viewport: { width: 1280, height: 900 } });

interface DagTimes {
  fcp: number | null;
  nodes: number | null;
  interactive: number | null;
  panelTitle: string | null;
}

/**
 * Runs in the page before its own scripts. Until hydration a click on a node does nothing; the first click that
 * opens the panel marks the page interactive. Clicking stops there, so the probe never toggles the selection.
 * Plain JS in a string: tsx would wrap named inner functions of a TS function in a `__name` helper the page lacks.
 */
const DAG_PROBE = `(() => {
  const marks = { fcp: null, nodes: null, interactive: null, panelTitle: null };
  window.__dag = marks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') marks.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new MutationObserver(() => {
    const panel = document.querySelector('[data-testid="dag-panel"]');
    if (!panel || marks.interactive !== null) return;
    marks.interactive = performance.now();
    marks.panelTitle = panel.querySelector('h3')?.textContent ?? null;
  }).observe(document, { childList: true, subtree: true });
  const tick = () => {
    if (marks.interactive !== null) return;
    const node = document.querySelector('[data-testid="dag-canvas"] .react-flow__node-task');
    if (node) {
      if (marks.nodes === null) marks.nodes = performance.now();
      node.click();
    }
    setTimeout(tick, 10);
  };
  tick();
})();`;

async function measureDag(): Promise<DagTimes & { label: string | null }> {
  const context = await newContext();
  try {
    await context.addInitScript({ content: DAG_PROBE });
    const page = await context.newPage();
    await page.goto(base + BIG_DAG, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { __dag?: DagTimes }).__dag?.interactive != null, null, { timeout: 60_000, polling: 50 });
    const times = await page.evaluate(() => (window as unknown as { __dag: DagTimes }).__dag);
    const label = await page.locator('[data-testid="dag-canvas"] .react-flow').getAttribute('aria-label');
    return { ...times, label };
  } finally {
    await context.close();
  }
}

console.log(`\n150-task DAG ${BIG_DAG} in Chromium: ${DAG_RUNS} fresh contexts after 1 warm-up; ms from navigation start`);
const warm = await measureDag();
const tasks = Number(warm.label?.match(/: (\d+) tasks/)?.[1] ?? NaN);
console.log(`canvas: "${warm.label}"${tasks === 150 ? '' : `  (expected 150 tasks, found ${tasks})`}; the click opened task "${warm.panelTitle}"`);
const samples: DagTimes[] = [];
for (let i = 0; i < DAG_RUNS; i++) samples.push(await measureDag());
const stat = (pick: (t: DagTimes) => number | null) => {
  const v = samples.map(pick).filter((x): x is number => x !== null).sort((a, b) => a - b);
  return [ms(quantile(v, 0.5)), ms(quantile(v, 0.9))];
};
printTable([
  ['milestone', 'median', 'p90', 'target'],
  ['first contentful paint', ...stat((t) => t.fcp), ''],
  ['first task node in the DOM', ...stat((t) => t.nodes), ''],
  ['interactive (a click on a task opens its panel)', ...stat((t) => t.interactive), `< ${TARGET.dagInteractiveMs} ms`],
]);

// ------------------------------------------------------------------ JS sent
interface Sent {
  files: number;
  raw: number;
  gzip9: number;
  transferred: number;
  documentRaw: number;
  documentGzip9: number;
}

async function jsOf(path: string): Promise<Sent> {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const pending: Promise<void>[] = [];
    const sent: Sent = { files: 0, raw: 0, gzip9: 0, transferred: 0, documentRaw: 0, documentGzip9: 0 };
    page.on('response', (res) => {
      const type = res.request().resourceType();
      if (type !== 'script' && type !== 'document') return;
      pending.push(
        (async () => {
          const body = await res.body().catch(() => null);
          if (!body) return;
          const gz = gzipSync(body, { level: 9 }).length;
          if (type === 'document') {
            sent.documentRaw += body.length;
            sent.documentGzip9 += gz;
            return;
          }
          const sizes = await res.request().sizes().catch(() => null);
          sent.files++;
          sent.raw += body.length;
          sent.gzip9 += gz;
          sent.transferred += sizes?.responseBodySize ?? 0;
        })(),
      );
    });
    await page.goto(base + path, { waitUntil: 'load', timeout: 60_000 });
    // Chunks loaded after `load` (lazy components, prefetches) count too.
    await page.waitForTimeout(1500);
    await Promise.all(pending);
    return sent;
  } finally {
    await context.close();
  }
}

console.log('\nJS received by Chromium per page (script responses until 1.5 s after load; each body gzipped at level 9)');
const jsRows = [['page', 'files', 'raw', 'gzip -9', 'transferred', 'target', 'HTML gzip -9']];
for (const { path, label } of PAGES) {
  const s = await jsOf(path);
  jsRows.push([`${label} ${path}`, String(s.files), kb(s.raw), kb(s.gzip9), kb(s.transferred), path === '/' ? `< ${TARGET.overviewJsKb} kB` : '', kb(s.documentGzip9)]);
}
printTable(jsRows);

await browser.close();
stopBenchServer();
process.exit(0);
