/**
 * Preloaded into the production server (`node --require ./http-hardening.cjs server.js`: scripts/start-standalone.sh
 * and the Dockerfile). proxy.ts sets the CSP and hardening headers on every response that reaches it, but Next
 * answers some requests before the proxy runs — a malformed percent-encoding (400), TRACE, internal errors — and
 * those left without any header. This makes every response of the process carry the hardening headers, and a
 * CSP that allows nothing on responses that have none of their own (an error body needs no script or style).
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

const writeHead = http.ServerResponse.prototype.writeHead;
http.ServerResponse.prototype.writeHead = function hardenedWriteHead(statusCode, ...rest) {
  try {
    harden(this, rest.find((a) => a && typeof a === 'object'));
  } catch {
    // never let the hardening itself break a response
  }
  return writeHead.call(this, statusCode, ...rest);
};

module.exports = { SECURITY_HEADERS, FALLBACK_CSP };
