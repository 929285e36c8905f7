/**
 * Plaintext-credential recognition for WSP-005, and the one redaction rule for everything that shows a value.
 *
 * `detectSecret(value, name)` is THE recogniser (WSP-005, the run page, exports). Most precise first:
 * 1. **Credential shapes**, whatever the name (./secret-shapes.ts): secretlint's recommended ruleset (AWS, GitHub,
 *    GitLab, npm, Slack tokens and webhooks, Docker Hub PATs, Stripe, private keys, GCP service-account JSON,
 *    database connection strings, basic-auth URLs, …) plus SAS/presigned URL signatures, docker config `auth`
 *    fields, truncated private keys, Google API keys, JWTs and AWS's documented example keys.
 * 2. **Basic auth in URLs of any scheme** (`scheme://user:password@host`) in env values and params; a password that
 *    is a substitution (`$(…)`, `${…}`, `$VAR`), a `<placeholder>`, a `{{template}}` or a mask (`***`) is not
 *    flagged. Not applied to scripts (too many `https://$USER:$TOKEN@` idioms; the preset's stricter basic-auth
 *    rule is).
 * 3. **Secret-named values** (env vars and params only), by the NAME's words:
 *    - password words (`password`, `passwd`, `pwd`, `pass`, `passphrase`, or a word containing `password`/`passwd`
 *      such as `PGPASSWORD`): any literal value is a plaintext password. `changeme`, `admin`, `gitea` included: a
 *      default password is the password whoever does not override it runs with, and it sits in git and in every
 *      TaskRun's status. Only values that cannot be a password as written are skipped: substitutions,
 *      `<placeholder>`, `{{template}}`, `***`/`xxxx` masks, `...`.
 *    - other secret words (`secret`, `token`, `apikey`/`api_key`, `private_key`, `credential(s)`, `auth`,
 *      `access_key`, `client_secret`): only a high-entropy token (≥ 16 chars, no spaces, letters and digits,
 *      ≥ 3.5 bits/char, not a Kubernetes-style name) — such names often hold a Secret's *name* or key.
 *    A neutral name (`VALUE`, `X`) with a high-entropy value is NOT flagged: random-looking values under neutral
 *    names are mostly build ids, checksums and generated names; only a shape (1, 2) makes them credentials.
 *    A name whose last word says it holds a reference (`…_name`, `…_ref`, `…_path`, `…_file`, `…_dir`, `…_url`,
 *    `…_id`, `…_user`, `…_key` after `secret`, …) is not secret-named.
 * Never flagged under any name: empty values, `$(…)`/`${…}` substitutions, file paths (`/…`, `./…`, `~/…`), URLs
 * without credentials, git SHAs (40/64 hex), image digests (`sha256:…`), UUIDs, public keys (`-----BEGIN PUBLIC
 * KEY-----`, `ssh-rsa AAAA…` lines), CA certificates, known_hosts lines, booleans, short numbers, multi-word text.
 */
import { findCredentialShape, type SecretMatch } from './secret-shapes';
import { redactSecret } from './redact';

export type { SecretMatch } from './secret-shapes';
export { redactSecret } from './redact';
export { findCredentialShape } from './secret-shapes';

/** `scheme://user:password@` with a literal password. */
const BASIC_AUTH = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)([^\s/:@]{1,200}):([^\s/@]{1,200})@/i;

const PLACEHOLDER_PASSWORD = /^(?:\$|<.*>$|\{\{.*\}\}$|\{.*\}$|\*+$|x+$|\.\.\.$|…$|%[A-Za-z0-9_]+%?$)/i;

/** A credential shape in a script, a command or an argument (no name-based or any-scheme URL rules). */
export function findKeyPattern(text: string): SecretMatch | null {
  return findCredentialShape(text);
}

/** A literal `user:password@` in a URL. */
export function findBasicAuth(text: string): SecretMatch | null {
  if (!text.includes('@')) return null;
  const m = BASIC_AUTH.exec(text);
  if (!m) return null;
  const password = m[3];
  // `https://$(params.token):x-oauth-basic@…`: the credential is the (substituted) user part.
  if (m[2].includes('$')) return null;
  if (PLACEHOLDER_PASSWORD.test(password) || /^x-oauth-basic$/i.test(password) || password.includes('$(') || password.includes('${')) return null;
  return { kind: 'a password in a URL', rule: 'url-password', redacted: `${m[1]}${m[2]}:${redactSecret(password)}@…` };
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

const nameClassMemo = new Map<string, 'password' | 'secret' | null>();

/** How strongly a variable/param name suggests it holds a secret. Memoised: names repeat across every spec. */
export function secretNameClass(name: string): 'password' | 'secret' | null {
  const cached = nameClassMemo.get(name);
  if (cached !== undefined) return cached;
  const cls = classifyName(name);
  if (nameClassMemo.size >= 20_000) nameClassMemo.clear();
  nameClassMemo.set(name, cls);
  return cls;
}

function classifyName(name: string): 'password' | 'secret' | null {
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

const PUBLIC_PEM = /^-----BEGIN (?:(?:RSA |EC |DSA |SSH2 )?PUBLIC KEY|CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK|PGP SIGNATURE)-----/;
const SSH_PUBLIC_KEY = /^(?:(?:@cert-authority|@revoked) )?(?:[^\s]+ )?(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)(?:-cert-v01@openssh\.com)? AAAA[A-Za-z0-9+/=]+(?: [^\n]*)?$/;

/**
 * Public key material: PEM public keys and certificates (a bundle that also holds a private key is not), ssh
 * public key lines (`ssh-ed25519 AAAA… user@host`) and known_hosts lines (`github.com ssh-rsa AAAA…`).
 */
export function isPublicMaterial(v: string): boolean {
  const s = v.replace(/\\n/g, '\n').trim();
  if (s.length < 20 || s.includes('PRIVATE KEY')) return false;
  if (PUBLIC_PEM.test(s)) return true;
  const lines = s.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => SSH_PUBLIC_KEY.test(l));
}

/** Values that are never a literal secret, whatever their name. */
export function isBenignValue(v: string): boolean {
  const s = v.trim();
  if (s === '') return true;
  if (s.includes('$(') || s.includes('${')) return true;
  if (/^\$[A-Za-z_]/.test(s)) return true;
  if (s.startsWith('/') || s.startsWith('./') || s.startsWith('../') || s.startsWith('~/')) return true;
  if (URL.test(s)) return true; // URLs are checked for credentials separately
  if (HEX_SHA.test(s) || DIGEST.test(s) || UUID.test(s)) return true;
  if (isPublicMaterial(s)) return true;
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
 * shapes and basic-auth URLs apply). Cheap for the common case: short or shape-less values skip the ruleset, and
 * shape results are memoised per value.
 */
export function detectSecret(value: string, name: string | null): SecretMatch | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const text = value.length > 100_000 ? value.slice(0, 100_000) : value;
  if (isPublicMaterial(text)) return null;
  const shape = findCredentialShape(text);
  if (shape) return shape;
  const basic = findBasicAuth(text);
  if (basic) return basic;
  if (!name) return null;
  const cls = secretNameClass(name);
  if (!cls || isBenignValue(text)) return null;
  const s = text.trim();
  if (cls === 'password') {
    if (PLACEHOLDER_PASSWORD.test(s)) return null;
    return { kind: 'a plaintext password', rule: 'name:password', redacted: redactSecret(s) };
  }
  if (looksLikeToken(s)) return { kind: 'a token-like value', rule: 'name:token', redacted: redactSecret(s) };
  return null;
}

/**
 * How a value is shown in the UI and exports: redacted when WSP-005 recognises it, or when any non-empty literal
 * sits under a secret-sounding name (showing a Secret's name redacted costs nothing; showing a password costs a
 * rotation). null: show it as it is.
 */
export function displayRedaction(value: string, name: string | null): SecretMatch | null {
  const m = detectSecret(value, name);
  if (m) return m;
  if (!name || typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '' || /^\$\([^()]*\)$/.test(s) || /^\$\{[^{}]*\}$/.test(s)) return null;
  if (!secretNameClass(name)) return null;
  return { kind: 'a value under a secret-sounding name', rule: 'name:display', redacted: redactSecret(s) };
}

/**
 * An evidence excerpt as exports may show it: any check may quote a script line or a value, so the engine passes
 * every evidence value through here; one holding a credential shape is replaced by its redacted form.
 */
export function redactEvidenceValue(value: string): string {
  const m = findCredentialShape(value);
  return m ? `(redacted: ${m.kind}) ${m.redacted}` : value;
}
