import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from './csp';

const require = createRequire(import.meta.url);
const preload = require('../../server/http-hardening.cjs') as { SECURITY_HEADERS: Record<string, string>; FALLBACK_CSP: string; routeOf: (url: string) => string };

describe('server/http-hardening.cjs (preloaded into the production server)', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/own') {
        res.setHeader('Content-Security-Policy', "default-src 'self'");
        res.end('ok');
      } else if (req.url === '/explicit') {
        res.writeHead(400, { 'Content-Type': 'text/plain', 'X-Frame-Options': 'SAMEORIGIN' });
        res.end('bad request');
      } else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('keeps the same headers as proxy.ts', () => {
    expect(preload.SECURITY_HEADERS).toEqual(SECURITY_HEADERS);
  });

  it('adds the hardening headers and a deny-all CSP to responses that have none (errors before the proxy)', async () => {
    const res = await fetch(`${base}/implicit`);
    expect(res.status).toBe(500);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(k), k).toBe(v);
    expect(res.headers.get('content-security-policy')).toBe(preload.FALLBACK_CSP);
  });

  it('never overrides a header the response set itself', async () => {
    const own = await fetch(`${base}/own`);
    expect(own.headers.get('content-security-policy')).toBe("default-src 'self'");
    const explicit = await fetch(`${base}/explicit`);
    expect(explicit.status).toBe(400);
    expect(explicit.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(explicit.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('times every response into the queue /metrics drains, by route template', async () => {
    const queue = (globalThis as { __tektonPostureHttp?: { route: string; method: string; code: number; seconds: number }[] }).__tektonPostureHttp!;
    queue.length = 0;
    await fetch(`${base}/explicit`);
    await new Promise((r) => setTimeout(r, 20));
    expect(queue).toEqual([{ route: 'other', method: 'GET', code: 400, seconds: expect.any(Number) }]);
  });

  it('maps paths to a bounded set of route templates (cluster names never become labels)', () => {
    expect(preload.routeOf('/')).toBe('/');
    expect(preload.routeOf('/pipelines/ci/build?run=x')).toBe('/pipelines/:namespace/:name');
    expect(preload.routeOf('/api/pipelines/ci/build/graph')).toBe('/api/pipelines/:namespace/:name/graph');
    expect(preload.routeOf('/api/pipelines/ci/build')).toBe('/api/pipelines/:namespace/:name');
    expect(preload.routeOf('/api/export?format=csv')).toBe('/api/export');
    expect(preload.routeOf('/runs/ci/run-1')).toBe('/runs/:namespace/:name');
    expect(preload.routeOf('/checks/STP-001')).toBe('/checks/:id');
    expect(preload.routeOf('/teams/payments')).toBe('/teams/:name');
    expect(preload.routeOf('/_next/static/chunks/x.js')).toBe('/_next/*');
    expect(preload.routeOf('/metrics')).toBe('/metrics');
    expect(preload.routeOf('/evil/"} 1')).toBe('other');
  });
});
