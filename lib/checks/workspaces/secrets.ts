/**
 * Plaintext-credential detection for WSP-005, and redaction for everything that shows a credential.
 *
 * Three detectors, most precise first:
 * 1. **Key patterns** (anywhere: env values, param defaults, param values, run params, scripts, args):
 *    AWS access key ids (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_`/`gho_`/`ghs_`/`ghu_`/`ghr_` + 36,
 *    `github_pat_`), GitLab (`glpat-` + 20), Slack (`xox[baprs]-`), Google API keys (`AIza` + 35), Stripe live keys
 *    (`sk_live_`/`rk_live_`), private-key blocks (a `-----BEGIN … PRIVATE KEY-----` header followed by key
 *    material — a header alone, as in `grep "BEGIN RSA PRIVATE KEY"`, is not a key) and JWTs (`eyJ….eyJ….`).
 *    AWS's documented example key (`…EXAMPLE`) is ignored.
 * 2. **Basic auth in URLs** (`scheme://user:password@host`) in env values and params; a password that is a
 *    substitution (`$(…)`, `${…}`, `$VAR`), a `<placeholder>`, a `{{template}}` or a mask (`***`) is not flagged.
 *    Not applied to scripts (too many `https://$USER:$TOKEN@` idioms).
 * 3. **Secret-named values** (env vars and params only), by the NAME's words:
 *    - password words (`password`, `passwd`, `pwd`, `pass`, `passphrase`, or a word containing `password`/`passwd`
 *      such as `PGPASSWORD`): any literal value is a plaintext password (`changeme` included);
 *    - other secret words (`secret`, `token`, `apikey`/`api_key`, `private_key`, `credential(s)`, `auth`,
 *      `access_key`, `client_secret`): only a high-entropy token (≥ 16 chars, no spaces, letters and digits,
 *      ≥ 3.5 bits/char, not a Kubernetes-style name) — such names often hold a Secret's *name* or key.
 *    A name whose last word says it holds a reference (`…_name`, `…_ref`, `…_path`, `…_file`, `…_dir`, `…_url`,
 *    `…_id`, `…_user`, `…_key` after `secret`, …) is not secret-named.
 *    Never flagged: empty values, values with a `$(…)`/`${…}` substitution, file paths (`/…`, `./…`, `~/…`),
 *    URLs without credentials, git SHAs (40/64 hex), image digests (`sha256:…`), UUIDs, booleans, short numbers,
 *    multi-word text.
 */

export interface SecretMatch {
  /** What it looks like, for messages: "an AWS access key id". */
  kind: string;
  /** The evidence excerpt, already redacted. */
  redacted: string;
}

/** `AK…XY (20 chars)`: never more than 4 characters of a credential, fewer for short ones. */
export function redactSecret(s: string): string {
  const n = [...s].length;
  const chars = [...s];
  const size = `(${n} ${n === 1 ? 'char' : 'chars'})`;
  if (n >= 16) return `${chars.slice(0, 2).join('')}…${chars.slice(-2).join('')} ${size}`;
  if (n >= 8) return `${chars[0]}…${chars[n - 1]} ${size}`;
  return `… ${size}`;
}

interface KeyPattern {
  kind: string;
  re: RegExp;
  /** Reject a match (e.g. documented example keys). */
  reject?: (m: string) => boolean;
}

const KEY_PATTERNS: KeyPattern[] = [
  { kind: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, reject: (m) => m.endsWith('EXAMPLE') },
  { kind: 'a GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/ },
  { kind: 'a GitHub fine-grained token', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}/ },
  { kind: 'a GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,64}/ },
  { kind: 'a Slack token', re: /\bxox[baprs]-[A-Za-z0-9-]{10,255}/ },
  { kind: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { kind: 'a Stripe live key', re: /\b[sr]k_live_[0-9A-Za-z]{20,255}/ },
  {
    kind: 'a private key',
    // Header, optional RFC 1421 headers (Proc-Type, DEK-Info), then at least 40 characters of base64 body.
    re: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----(?:\\n|\s)+(?:[A-Za-z-]{1,30}: [^\n]{0,200}(?:\\n|\s)+){0,4}[A-Za-z0-9+/=]{40}/,
  },
  { kind: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{0,4096}/ },
];

/** `scheme://user:password@` with a literal password. */
const BASIC_AUTH = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)([^\s/:@]{1,200}):([^\s/@]{1,200})@/i;

const PLACEHOLDER_PASSWORD = /^(?:\$|<.*>$|\{\{.*\}\}$|\{.*\}$|\*+$|x+$|\.\.\.$|…$|%[A-Za-z0-9_]+%?$)/i;

/** Only the strong, vendor-specific key patterns (and private-key blocks / JWTs). Used for scripts and args. */
export function findKeyPattern(text: string): SecretMatch | null {
  if (text.length === 0) return null;
  for (const p of KEY_PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    if (p.reject?.(m[0])) continue;
    const shown = p.kind === 'a private key' ? m[0].slice(0, m[0].indexOf('KEY-----') + 8) : m[0];
    return { kind: p.kind, redacted: p.kind === 'a private key' ? `${shown} … (key material redacted)` : redactSecret(m[0]) };
  }
  return null;
}

/** A literal `user:password@` in a URL. */
export function findBasicAuth(text: string): SecretMatch | null {
  const m = BASIC_AUTH.exec(text);
  if (!m) return null;
  const password = m[3];
  // `https://$(params.token):x-oauth-basic@…`: the credential is the (substituted) user part.
  if (m[2].includes('$')) return null;
  if (PLACEHOLDER_PASSWORD.test(password) || /^x-oauth-basic$/i.test(password) || password.includes('$(') || password.includes('${')) return null;
  return { kind: 'a password in a URL', redacted: `${m[1]}${m[2]}:${redactSecret(password)}@…` };
}

// ------------------------------------------------------------------ names

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode']);
const SECRET_WORDS = new Set(['secret', 'token', 'apikey', 'credential', 'credentials', 'creds', 'auth', 'privatekey', 'accesskey', 'secretkey']);
/** Last words that make a name a reference to a secret rather than the secret itself. */
const REFERENCE_SUFFIX = new Set([
  'name', 'names', 'ref', 'reference', 'path', 'file', 'filename', 'files', 'dir', 'directory', 'mount', 'mountpath',
  'location', 'url', 'uri', 'endpoint', 'host', 'namespace', 'ns', 'env', 'var', 'field', 'type', 'length', 'len', 'min',
  'max', 'size', 'policy', 'enabled', 'enable', 'disabled', 'required', 'mode', 'ttl', 'expiry', 'expires', 'expiration',
  'format', 'header', 'id', 'user', 'username', 'workspace', 'volume', 'provider', 'method', 'scope', 'scopes', 'source',
  'sources', 'store', 'manager', 'engine', 'version', 'prefix', 'suffix', 'label', 'annotation', 'selector', 'config',
  'type', 'kind', 'arn', 'vault', 'server', 'realm', 'audience', 'issuer', 'hash', 'digest', 'sha', 'fingerprint',
]);

/** Splits `GIT_AUTH_TOKEN`, `apiKey`, `registry.password`, `private-key` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** How strongly a variable/param name suggests it holds a secret. */
export function secretNameClass(name: string): 'password' | 'secret' | null {
  const words = nameWords(name);
  if (words.length === 0) return null;
  const last = words[words.length - 1];
  if (REFERENCE_SUFFIX.has(last)) return null;
  // `PASSWORD_KEY`, `http-password-secret(-key)`: the name of a Secret or of the key inside it that holds the
  // password; only a token-like value is suspicious.
  let end = words.length;
  while (end > 1 && (words[end - 1] === 'key' || words[end - 1] === 'secret')) end--;
  if (end < words.length && PASSWORD_WORDS.has(words[end - 1])) return 'secret';
  // `SECRET_KEY` / `API_KEY` are secrets; `…_SECRET_KEY` naming the key inside a Secret is handled by the value rule.
  const joined: string[] = [...words];
  for (let i = 0; i + 1 < words.length; i++) joined.push(words[i] + words[i + 1]);
  if (joined.some((w) => PASSWORD_WORDS.has(w) || w.includes('password') || w.includes('passwd'))) return 'password';
  if (joined.some((w) => SECRET_WORDS.has(w))) return 'secret';
  return null;
}

// ------------------------------------------------------------------ values

const HEX_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const DIGEST = /^(?:[a-z0-9]+@)?sha(?:256|384|512):[0-9a-f]{32,128}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BOOLEAN = /^(?:true|false|yes|no|on|off|none|null|nil|enabled|disabled)$/i;
const SHORT_NUMBER = /^\d{1,5}$/;
const K8S_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const URL = /^[a-z][a-z0-9+.-]{0,20}:\/\//i;

/** Values that are never a literal secret, whatever their name. */
export function isBenignValue(v: string): boolean {
  const s = v.trim();
  if (s === '') return true;
  if (s.includes('$(') || s.includes('${')) return true;
  if (/^\$[A-Za-z_]/.test(s)) return true;
  if (s.startsWith('/') || s.startsWith('./') || s.startsWith('../') || s.startsWith('~/')) return true;
  if (URL.test(s)) return true; // URLs are checked for credentials separately
  if (HEX_SHA.test(s) || DIGEST.test(s) || UUID.test(s)) return true;
  if (BOOLEAN.test(s) || SHORT_NUMBER.test(s)) return true;
  if (/\s/.test(s) && s.split(/\s+/).length >= 3) return true; // prose
  return false;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A random-looking token: long, no spaces, letters and digits, high entropy, not a Kubernetes-style name. */
export function looksLikeToken(v: string): boolean {
  const s = v.trim();
  if (s.length < 16 || s.length > 4096) return false;
  if (/\s/.test(s)) return false;
  if (!/^[A-Za-z0-9+/=_\-.~:!@#%^&*]+$/.test(s)) return false;
  if (!/[A-Za-z]/.test(s) || !/[0-9]/.test(s)) return false;
  if (K8S_NAME.test(s) && !/[0-9]{4,}[a-z]|[a-z][0-9][a-z][0-9]/.test(s)) return false;
  return entropy(s) >= 3.5;
}

/**
 * Whether a named value (env var, param) looks like a plaintext credential. `name` may be null (then only the
 * key patterns and basic-auth URLs apply).
 */
export function detectSecret(value: string, name: string | null): SecretMatch | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const text = value.length > 100_000 ? value.slice(0, 100_000) : value;
  const key = findKeyPattern(text);
  if (key) return key;
  const basic = findBasicAuth(text);
  if (basic) return basic;
  if (!name) return null;
  const cls = secretNameClass(name);
  if (!cls || isBenignValue(text)) return null;
  const s = text.trim();
  if (cls === 'password') {
    if (PLACEHOLDER_PASSWORD.test(s)) return null;
    return { kind: 'a plaintext password', redacted: redactSecret(s) };
  }
  if (looksLikeToken(s)) return { kind: 'a token-like value', redacted: redactSecret(s) };
  return null;
}
