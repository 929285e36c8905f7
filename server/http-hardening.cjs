/**
 * Preloaded into the production server (`node --require ./http-hardening.cjs server.js`: scripts/start-standalone.sh
 * and the Dockerfile). proxy.ts sets the CSP and hardening headers on every response that reaches it, but Next
 * answers some requests before the proxy runs — a malformed percent-encoding (400), TRACE, internal errors — and
 * those left without any header. This makes every response of the process carry the hardening headers, and a
 * CSP that allows nothing on responses that have none of their own (an error body needs no script or style).
 *
 * It also times every response by route template (`routeOf`: a fixed set, so label cardinality stays bounded) into
 * a small queue on globalThis that /metrics drains into its histogram (server/metrics.ts); the queue is capped, so a
 * process nobody scrapes does not grow.
 *
 * Plain CommonJS with no dependencies: it runs before Next loads. Keep SECURITY_HEADERS equal to lib/ops/csp.ts
 * (lib/ops/http-hardening.test.ts compares them).
 */
'use strict';
const http = require('node:http');

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function named(headers, name) {
  if (!headers || typeof headers !== 'object') return false;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += Array.isArray(headers[i]) ? 1 : 2) {
      const key = Array.isArray(headers[i]) ? headers[i][0] : headers[i];
      if (String(key).toLowerCase() === name) return true;
    }
    return false;
  }
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function harden(res, headers) {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!res.hasHeader(name) && !named(headers, name.toLowerCase())) res.setHeader(name, value);
  }
  if (!res.hasHeader('Content-Security-Policy') && !named(headers, 'content-security-policy')) res.setHeader('Content-Security-Policy', FALLBACK_CSP);
}

/** A request path → its route template (cluster names never become label values). */
function routeOf(url) {
  const path = String(url || '/').split('?')[0];
  if (path.startsWith('/_next/')) return '/_next/*';
  const parts = path.split('/').filter(Boolean);
  const [a, b] = parts;
  if (parts.length === 0) return '/';
  if (a === 'api') {
    if (b === 'pipelines' && parts.length === 4) return '/api/pipelines/:namespace/:name';
    if (b === 'pipelines' && parts.length === 5 && parts[4] === 'graph') return '/api/pipelines/:namespace/:name/graph';
    if (parts.length === 2 && ['pipelines', 'summary', 'export', 'events'].includes(b)) return `/api/${b}`;
    return '/api/*';
  }
  if (parts.length === 1 && ['healthz', 'readyz', 'metrics', 'pipelines', 'teams', 'namespaces', 'service-accounts', 'checks', 'sources', 'report', 'favicon.ico'].includes(a)) return `/${a}`;
  if (parts.length === 3 && ['pipelines', 'runs', 'service-accounts'].includes(a)) return `/${a}/:namespace/:name`;
  if (parts.length === 2 && ['teams', 'namespaces', 'checks'].includes(a)) return `/${a}/:${a === 'checks' ? 'id' : 'name'}`;
  return 'other';
}

const QUEUE_MAX = 50000;
const queue = (globalThis.__tektonPostureHttp ??= []);

http.Server.prototype.emit = ((emit) =>
  function timedEmit(event, req, res) {
    if (event === 'request' && res && typeof res.once === 'function') {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        if (queue.length >= QUEUE_MAX) return;
        queue.push({ route: routeOf(req.url), method: String(req.method || 'GET'), code: res.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
      });
    }
    return emit.apply(this, arguments);
  })(http.Server.prototype.emit);

const writeHead = http.ServerResponse.prototype.writeHead;
http.ServerResponse.prototype.writeHead = function hardenedWriteHead(statusCode, ...rest) {
  try {
    harden(this, rest.find((a) => a && typeof a === 'object'));
  } catch {
    // never let the hardening itself break a response
  }
  return writeHead.call(this, statusCode, ...rest);
};

module.exports = { SECURITY_HEADERS, FALLBACK_CSP, routeOf };
