/**
 * The dashboard's own security and operations endpoints, against the production server on the demo data
 * (playwright.config.ts starts it). Headers come from proxy.ts, the policies from lib/ops/csp.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { expect, test, type APIResponse } from '@playwright/test';
import { cspProblems, parseCsp } from '../lib/ops/csp';
import { findLeaks, findSecretLikes } from '../lib/ops/redaction';

const WRITE_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH'] as const;
const READ_ONLY_PATHS = ['/', '/api/pipelines', '/api/export'];
/** Pages of the demo cluster holding the planted credentials (WSP-005 fails there). */
const SECRET_PAGES = ['/pipelines/data-ci/nightly-etl', '/pipelines/web-ci/design-system-publish'];

function expectHardenedHeaders(res: APIResponse, what: string): void {
  const h = res.headers();
  expect(cspProblems(h['content-security-policy']), `${what}: CSP`).toEqual([]);
  const csp = parseCsp(h['content-security-policy']);
  expect(csp.get('script-src'), `${what}: script-src`).not.toContain("'unsafe-inline'");
  expect(csp.get('script-src'), `${what}: script-src`).not.toContain("'unsafe-eval'"); // production build
  expect(csp.get('frame-ancestors'), `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(h['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(h['referrer-policy'], `${what}: Referrer-Policy`).toBe('no-referrer');
  expect(h['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(h['cross-origin-opener-policy'], `${what}: COOP`).toBe('same-origin');
  expect(h['permissions-policy'], `${what}: Permissions-Policy`).toContain('camera=()');
}

function nonceOf(headers: Record<string, string>): string {
  const v = parseCsp(headers['content-security-policy'] ?? '').get('script-src') ?? [];
  const n = v.find((x) => x.startsWith("'nonce-"));
  return n ? n.slice("'nonce-".length, -1) : '';
}

test.describe('operations endpoints', () => {
  test('/healthz answers 200 ok', async ({ request }) => {
    const res = await request.get('/healthz');
    expect(res.status()).toBe(200);
    expect((await res.text()).trim()).toBe('ok');
  });

  test('/readyz answers 200 once the first sync is done', async ({ request }) => {
    await expect
      .poll(async () => (await request.get('/readyz')).status(), { timeout: 60_000, message: 'readyz never became 200' })
      .toBe(200);
    const body = (await (await request.get('/readyz')).json()) as { status: string };
    expect(body.status).toBe('ready');
  });

  test('/metrics serves the Prometheus text format with pipeline scores', async ({ request }) => {
    await expect.poll(async () => (await request.get('/readyz')).status(), { timeout: 60_000 }).toBe(200);
    const res = await request.get('/metrics');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^tekton_posture_pipeline_score\{namespace="[^"]+",pipeline="[^"]+",team="[^"]*"\} \d+(\.\d+)?$/m);
    expect(text).toMatch(/^tekton_posture_cluster_score \d/m);
    expect(text).toMatch(/^tekton_posture_findings\{check="STP-001",outcome="[a-z-]+",severity="high"\} \d+$/m);
    expect(text).toMatch(/^tekton_posture_data_stale 0$/m);
  });
});

test.describe('HTTP hardening', () => {
  test('every page carries a nonce-based CSP and the hardening headers; nonces are fresh', async ({ request }) => {
    const home = await request.get('/');
    expect(home.status()).toBe(200);
    expectHardenedHeaders(home, '/');
    // The pages linked from the overview (nav, pipeline links), bounded.
    const html = await home.text();
    const links = [...new Set([...html.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]).filter((p) => !p.startsWith('/_next/')))].slice(0, 25);
    expect(links.length).toBeGreaterThan(0);
    for (const path of links) {
      const res = await request.get(path);
      expect(res.status(), path).toBeLessThan(500);
      expectHardenedHeaders(res, path);
    }
    const again = await request.get('/');
    expect(nonceOf(again.headers())).not.toBe('');
    expect(nonceOf(again.headers())).not.toBe(nonceOf(home.headers()));
  });

  test('API and health responses carry the hardening headers too', async ({ request }) => {
    for (const path of ['/api/pipelines', '/healthz', '/metrics']) expectHardenedHeaders(await request.get(path), path);
  });

  test('write methods answer 405 with Allow: GET, HEAD', async ({ request }) => {
    for (const path of READ_ONLY_PATHS) {
      for (const method of WRITE_METHODS) {
        const res = await request.fetch(path, { method, data: method === 'DELETE' ? undefined : { x: 1 } });
        expect(res.status(), `${method} ${path}`).toBe(405);
        expect(res.headers()['allow'], `${method} ${path}`).toBe('GET, HEAD');
      }
    }
    expect((await request.head('/')).status()).toBe(200);
  });

  /** A raw request (fetch and Playwright normalise the Host header, the path and the method). */
  function raw(baseURL: string, opts: { path: string; method?: string; headers?: Record<string, string> }) {
    const u = new URL(baseURL);
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('DNS rebinding: an unknown Host gets 421, a cross-site Origin 403, the event stream too', async ({ baseURL }) => {
    for (const path of ['/', '/api/export?format=json', '/api/events']) {
      const rebound = await raw(baseURL!, { path, headers: { Host: `attacker.example:${new URL(baseURL!).port}` } });
      expect(rebound.status, `${path} with a rebinding Host`).toBe(421);
      expect(rebound.headers['x-content-type-options']).toBe('nosniff');
      const crossSite = await raw(baseURL!, { path, headers: { Origin: 'http://attacker.example' } });
      expect(crossSite.status, `${path} with a cross-site Origin`).toBe(403);
      const forwarded = await raw(baseURL!, { path: '/api/events', headers: { Origin: 'http://attacker.example', 'X-Forwarded-Host': 'attacker.example' } });
      expect(forwarded.status, 'X-Forwarded-Host is not trusted').toBe(403);
    }
    expect((await raw(baseURL!, { path: '/healthz', headers: { Host: `localhost:${new URL(baseURL!).port}` } })).status).toBe(200);
  });

  test('error responses Next sends before the proxy carry the hardening headers (bad encoding, TRACE)', async ({ baseURL }) => {
    for (const r of [{ path: '/pipelines/%E0%A4%A' }, { path: '/', method: 'TRACE' }, { path: '/api/pipelines/%ZZ/x' }]) {
      const res = await raw(baseURL!, r);
      expect(res.status, `${r.method ?? 'GET'} ${r.path}`).toBeGreaterThanOrEqual(400);
      expect(res.headers['x-content-type-options'], `${r.method ?? 'GET'} ${r.path}`).toBe('nosniff');
      expect(res.headers['x-frame-options'], `${r.method ?? 'GET'} ${r.path}`).toBe('DENY');
      expect(String(res.headers['content-security-policy']), `${r.method ?? 'GET'} ${r.path}`).toContain("frame-ancestors 'none'");
    }
  });

  test('an unknown pipeline is a 404, not a 500', async ({ request }) => {
    const res = await request.get('/pipelines/no-such-namespace/no-such-pipeline');
    expect(res.status()).toBe(404);
    expectHardenedHeaders(res, '404 page');
  });

  for (const [label, path] of [['the overview', '/'], ['a pipeline page (DAG canvas, inline styles)', SECRET_PAGES[0]]]) {
    test(`${label} renders under the CSP: no violations, every script carries the nonce`, async ({ page }) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      // Not 'networkidle': the live-updates stream (SSE) keeps a connection open.
      const res = await page.goto(path, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      const nonce = nonceOf(await res!.allHeaders());
      expect(nonce).not.toBe('');
      // Every executable script the server rendered carries this response's nonce (scripts those load later are
      // trusted through 'strict-dynamic').
      const tags = [...(await res!.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((t) => !/type="application\/(ld\+)?json"/.test(t));
      expect(tags.length).toBeGreaterThan(0);
      for (const t of tags) expect(t, 'server-rendered script without the nonce').toContain(`nonce="${nonce}"`);
      // Hydration ran under the CSP (the client runtime executed): the Next router global is present.
      await page.waitForFunction(() => typeof (window as unknown as { next?: unknown }).next === 'object', null, { timeout: 15_000 });
      await page.waitForTimeout(500);
      const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
      expect(violations).toEqual([]);
      expect(problems.filter((p) => /Content Security Policy|CSP|Refused to/i.test(p))).toEqual([]);
    });
  }

  test('pages and API responses never show the planted demo credentials in full', async ({ request }) => {
    const snapshot = join(process.cwd(), 'lib', 'demo', 'snapshot');
    const read = (d: string): string =>
      readdirSync(d, { withFileTypes: true })
        .map((e) => (e.isDirectory() ? read(join(d, e.name)) : readFileSync(join(d, e.name), 'utf8')))
        .join('\n');
    const secrets = findSecretLikes(read(snapshot));
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const path of [...SECRET_PAGES, '/api/pipelines', ...['json', 'sarif', 'csv', 'junit', 'table'].map((f) => `/api/export?format=${f}`)]) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(200);
      const leaks = findLeaks(await res.text(), secrets);
      expect(leaks.map((l) => `${l.kind} ${l.secret}: ${l.excerpt}`), path).toEqual([]);
    }
  });
});
