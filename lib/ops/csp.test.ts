import { describe, expect, it } from 'vitest';
import { ALLOW_HEADER, SECURITY_HEADERS, buildCsp, cspProblems, isAllowedMethod, makeNonce, parseCsp } from './csp';

describe('buildCsp', () => {
  it('is nonce-based with no inline scripts, and locks down framing, plugins, base and forms', () => {
    const csp = buildCsp({ nonce: 'abc123==' });
    const d = parseCsp(csp);
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(cspProblems(csp)).toEqual([]);
    expect(csp).not.toContain('unsafe-eval');
  });

  it("adds 'unsafe-eval' in development only", () => {
    expect(parseCsp(buildCsp({ nonce: 'n0', dev: true })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('refuses a nonce that could inject directives', () => {
    expect(() => buildCsp({ nonce: "x' 'unsafe-inline" })).toThrow();
    expect(() => buildCsp({ nonce: 'x; script-src *' })).toThrow();
  });
});

describe('makeNonce', () => {
  it('is 128-bit base64 and fresh each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a).not.toBe(b);
  });
});

describe('cspProblems', () => {
  it('flags weak policies', () => {
    expect(cspProblems(null)).toEqual(['no Content-Security-Policy header']);
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline'")).toEqual(
      expect.arrayContaining(["script-src allows 'unsafe-inline'", 'script-src has no nonce', "frame-ancestors is not 'none'"]),
    );
    expect(cspProblems("default-src 'self'; script-src 'nonce-a' *; frame-ancestors 'none'; object-src 'none'; base-uri 'none'")).toEqual(['script-src allows any host or scheme']);
  });
});

describe('methods and headers', () => {
  it('allows only GET and HEAD', () => {
    expect(ALLOW_HEADER).toBe('GET, HEAD');
    for (const m of ['GET', 'HEAD', 'get']) expect(isAllowedMethod(m)).toBe(true);
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT']) expect(isAllowedMethod(m)).toBe(false);
  });
  it('sets the hardening headers', () => {
    expect(SECURITY_HEADERS).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    expect(SECURITY_HEADERS['Permissions-Policy']).toBe('camera=(), microphone=(), geolocation=()');
  });
});
