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
 * - DNS rebinding: a `Host` that is neither a configured name (`POSTURE_ALLOWED_HOSTS`, default localhost) nor an IP
 *   literal answers 421, and a request whose `Origin` is another site answers 403 (lib/ops/hosts.ts).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { ALLOW_HEADER, SECURITY_HEADERS, buildCsp, isAllowedMethod, makeNonce } from './lib/ops/csp';
import { isAllowedHost, isSameOrigin, parseAllowedHosts } from './lib/ops/hosts';

const allowedHosts = parseAllowedHosts(process.env.POSTURE_ALLOWED_HOSTS);

function withSecurityHeaders(res: NextResponse, csp: string): NextResponse {
  res.headers.set('Content-Security-Policy', csp);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

function refusal(status: number, error: string, csp: string, extra: Record<string, string> = {}): NextResponse {
  const res = new NextResponse(JSON.stringify({ error }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
  });
  return withSecurityHeaders(res, csp);
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = makeNonce();
  const csp = buildCsp({ nonce, dev: process.env.NODE_ENV === 'development' });
  const host = request.headers.get('host');
  if (!isAllowedHost(host, allowedHosts)) {
    return refusal(421, 'unknown host: add it to POSTURE_ALLOWED_HOSTS to serve the dashboard under this name', csp);
  }
  if (!isSameOrigin(request.headers.get('origin'), host)) return refusal(403, 'cross-origin requests are not allowed', csp);
  if (!isAllowedMethod(request.method)) {
    return refusal(405, 'method not allowed: this dashboard is read-only', csp, { Allow: ALLOW_HEADER });
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
