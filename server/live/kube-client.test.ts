import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { classify, KubeError, ReadOnlyKubeClient, retryAfterMs } from './kube-client';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
});

/** A plain-HTTP "apiserver" on 127.0.0.1 answering with `handler`. */
async function clientFor(handler: Parameters<typeof createServer>[1], opts: ConstructorParameters<typeof ReadOnlyKubeClient>[1] = {}) {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new ReadOnlyKubeClient(kc, opts);
}

const ok = JSON.stringify({ metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'a' } }] });

describe('kube client: how failures are classified', () => {
  it('tells throttling and server-down apart from refusals and bugs', () => {
    expect(classify(403)).toBe('forbidden');
    expect(classify(404)).toBe('not-installed');
    expect(classify(429)).toBe('throttled');
    expect(classify(503)).toBe('unreachable');
    expect(classify(500)).toBe('error');
  });

  it('reads Retry-After in seconds or as a date, and caps it', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs(new Date(5000).toUTCString(), 0)).toBe(5000);
    expect(retryAfterMs('999999', 0)).toBe(60_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });

  it('retries a 429 after its Retry-After and then succeeds', async () => {
    let calls = 0;
    const times: number[] = [];
    const client = await clientFor((_req, res) => {
      times.push(Date.now());
      if (++calls <= 2) {
        res.writeHead(429, { 'Retry-After': '0.2', 'Content-Type': 'application/json' }).end('{"message":"slow down"}');
      } else res.writeHead(200, { 'Content-Type': 'application/json' }).end(ok);
    });
    const page = await client.listPage('/api/v1/namespaces', 1, null);
    expect(page.items).toHaveLength(1);
    expect(calls).toBe(3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(180);
  });

  it('reports lasting throttling as throttled, not unreachable', async () => {
    const client = await clientFor((_req, res) => res.writeHead(429, { 'Retry-After': '0' }).end(), { throttleRetries: 1 });
    await expect(client.listPage('/api/v1/namespaces', 1, null)).rejects.toMatchObject({ reason: 'throttled', status: 429 });
  });

  it('gives up on a server that accepts the request and never answers (frozen)', async () => {
    const client = await clientFor(() => undefined, { requestTimeoutMs: 200 });
    const t0 = Date.now();
    const err = await client.listPage('/api/v1/namespaces', 1, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({ reason: 'unreachable' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  // node-fetch 2 does not always notice a socket closed mid-body (Content-Length set): the deadline does.
  it('a body cut mid-way is the server gone, not a malformed answer', async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(ok.length) });
      res.write(ok.slice(0, 10));
      setTimeout(() => res.socket?.destroy(), 20);
    }, { requestTimeoutMs: 500 });
    await expect(client.listPage('/api/v1/namespaces', 1, null)).rejects.toMatchObject({ reason: 'unreachable' });
  });
});
