/**
 * Logger settings shared by server/log.ts and its tests (pure: no I/O).
 *
 * Redaction: pino replaces the value at each path with `[redacted]` before serialising. Paths cover the keys a
 * token, password or kubeconfig credential could travel under, at the top level and one or two objects deep
 * (`{ err: { config: { token } } }`), plus request/response headers. Log messages are free text and cannot be
 * path-redacted: never interpolate credentials into a message.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL` (case-insensitive); unknown or empty values fall back to `info`. */
export function logLevelFrom(v: string | undefined): LogLevel {
  const l = (v ?? '').trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(l) ? (l as LogLevel) : 'info';
}

const SENSITIVE_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'idToken',
  'id_token',
  'bearerToken',
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
  'privateKey',
  'keyData',
  'certData',
  'clientKey',
  'clientKeyData',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'kubeconfig',
  'client-key-data',
  'client-certificate-data',
];

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `["${k}"]`;
}

/** Redact paths (fast-redact syntax) for every sensitive key at depth 0, 1 and 2, and in headers. */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS.flatMap((k) => [key(k).replace(/^\./, ''), `*${key(k)}`, `*.*${key(k)}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
];

export const REDACT_CENSOR = '[redacted]';
export const LOG_BASE = { app: 'tekton-posture' } as const;
