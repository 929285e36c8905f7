/**
 * The dashboard's own HTTP hardening, as pure helpers used by proxy.ts (and by tests and the e2e spec).
 *
 * Content-Security-Policy: nonce-based, no 'unsafe-inline' for scripts.
 *   script-src 'self' 'nonce-<random>' 'strict-dynamic'   Next reads the nonce from the request's CSP header and
 *                                                         stamps it on its own scripts; 'strict-dynamic' lets those
 *                                                         load the page's chunks. ('self' is ignored by browsers
 *                                                         that support 'strict-dynamic' and kept for older ones.)
 *   style-src 'self' 'unsafe-inline'                      React Flow (the DAG canvas) positions nodes and edges with
 *                                                         inline `style` attributes, and CSP nonces do not apply to
 *                                                         style attributes, so inline styles must be allowed. Styles
 *                                                         cannot run code; the risk left is CSS-based exfiltration
 *                                                         of page text, which needs an injection point that the
 *                                                         text-only rendering (no dangerouslySetInnerHTML) removes.
 *   'unsafe-eval' only when NODE_ENV=development (React's dev build uses eval for error stacks).
 */

export interface CspOptions {
  nonce: string;
  /** NODE_ENV === 'development': adds 'unsafe-eval' to script-src. */
  dev?: boolean;
}

/** Builds the policy; the directive order is fixed so the header is stable. */
export function buildCsp({ nonce, dev = false }: CspOptions): string {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error('CSP nonce must be base64');
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['connect-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'self'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** A fresh nonce: 16 random bytes, base64 (Web Crypto, available in Node ≥ 19 and the browser). */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Parses a CSP header into directive → values (lower-cased directive names; the first occurrence wins, as browsers do). */
export function parseCsp(header: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const name = tokens[0].toLowerCase();
    if (!out.has(name)) out.set(name, tokens.slice(1));
  }
  return out;
}

/** Headers set on every response besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** The API is read-only by construction: every other method answers 405. */
export const ALLOWED_METHODS = ['GET', 'HEAD'] as const;
export const ALLOW_HEADER = ALLOWED_METHODS.join(', ');

export function isAllowedMethod(method: string): boolean {
  return (ALLOWED_METHODS as readonly string[]).includes(method.toUpperCase());
}

/** What a page's CSP must satisfy (used by unit tests and the e2e spec); returns the problems found. */
export function cspProblems(header: string | null | undefined): string[] {
  if (!header) return ['no Content-Security-Policy header'];
  const d = parseCsp(header);
  const problems: string[] = [];
  const script = d.get('script-src') ?? d.get('default-src');
  if (!script) problems.push('no script-src');
  else {
    if (script.includes("'unsafe-inline'")) problems.push("script-src allows 'unsafe-inline'");
    if (!script.some((v) => /^'nonce-[A-Za-z0-9+/_-]+=*'$/.test(v))) problems.push('script-src has no nonce');
    if (script.includes('*') || script.some((v) => /^(https?:|data:|blob:)$/.test(v))) problems.push('script-src allows any host or scheme');
  }
  if (d.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (d.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  if (d.get('base-uri')?.join(' ') !== "'none'") problems.push("base-uri is not 'none'");
  if (!d.has('default-src')) problems.push('no default-src');
  return problems;
}
