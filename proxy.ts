/**
 * Next 16 proxy (formerly middleware): the dashboard's own HTTP hardening, on every path.
 *
 * - Any method but GET/HEAD answers 405 with `Allow: GET, HEAD`: the dashboard and its API are read-only by
 *   construction (no Server Actions, no write routes), so nothing is lost and nothing can be posted.
 * - A fresh nonce per request and a nonce-based Content-Security-Policy (lib/ops/csp.ts). The CSP is also set on
 *   the *request* headers: Next extracts the nonce from the request's CSP header while rendering and stamps it on
 *   its framework scripts; `x-nonce` passes it to pages that add their own scripts. Nonces need dynamic rendering
 *   (the pages are `force-dynamic`).
 * - nosniff, no-referrer, DENY framing, a restrictive Permissions-Policy and COOP on every response.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { ALLOW_HEADER, SECURITY_HEADERS, buildCsp, isAllowedMethod, makeNonce } from './lib/ops/csp';

function withSecurityHeaders(res: NextResponse, csp: string): NextResponse {
  res.headers.set('Content-Security-Policy', csp);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = makeNonce();
  const csp = buildCsp({ nonce, dev: process.env.NODE_ENV === 'development' });
  if (!isAllowedMethod(request.method)) {
    const res = new NextResponse(JSON.stringify({ error: 'method not allowed: this dashboard is read-only' }), {
      status: 405,
      headers: { Allow: ALLOW_HEADER, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
    return withSecurityHeaders(res, csp);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  // Every path, static assets included: the method rule and nosniff apply everywhere.
  matcher: ['/:path*'],
};
