/**
 * Credential *shapes*: values that are a credential whatever they are called. The recognisers are secretlint's
 * recommended ruleset (run synchronously, ./secretlint-sync.ts), plus the few shapes CHECKS.md v1.1 lists that
 * the preset does not know. Each of those is a shape a scanner such as gitleaks or GitHub secret scanning also
 * has, and each is as strict as the preset's own rules:
 * - SAS / presigned URLs: `sig=` (Azure SAS), `X-Amz-Signature=` (AWS SigV4, 64 hex), `X-Goog-Signature=` (GCS
 *   V4, ≥ 64 hex) with a literal signature;
 * - docker config `auth` fields whose base64 decodes to `user:password`;
 * - private-key blocks cut short (header + ≥ 40 characters of key material, no END line): the preset needs a
 *   complete PEM block of ≥ 100 characters, but a truncated key in a spec is still disclosed;
 * - Google API keys (`AIza` + 35) and JSON Web Tokens (`eyJ….eyJ….`), which the preset lacks;
 * - AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`): the
 *   preset ignores them, but they are the shape, and a spec that carries one teaches the habit (CHECKS.md: shapes).
 */
import { redactSecret } from './redact';
import { runSecretlint, type RuleHit } from './secretlint-sync';

export interface SecretMatch {
  /** What it looks like, for messages: "an AWS access key id". */
  kind: string;
  /** The recogniser: a secretlint rule id (`docker`, `slack`…) or a local one (`presigned-url`, `name:password`). */
  rule: string;
  /** The evidence excerpt, already redacted. */
  redacted: string;
}

const MESSAGE_KINDS: Record<string, string> = {
  AWSAccessKeyID: 'an AWS access key id',
  AWSSecretAccessKey: 'an AWS secret access key',
  AWSAccountID: 'an AWS account id',
  PrivateKeyJSON: 'a GCP service-account key (JSON)',
  PackageJSON_xOauthToken: 'a GitHub token in a URL',
  Npmrc_authToken: 'an npm auth token',
  NPM_ACCESS_TOKEN: 'an npm access token',
  SLACK_TOKEN: 'a Slack token',
  IncomingWebhook: 'a Slack webhook URL',
  BasicAuth: 'a password in a URL',
  PrivateKey: 'a private key',
  GITHUB_TOKEN: 'a GitHub token',
  GITLAB_PERSONAL_ACCESS_TOKEN: 'a GitLab token',
  MongoDBConnection: 'a database connection string with a password',
  MySQLConnection: 'a database connection string with a password',
  PostgreSQLConnection: 'a database connection string with a password',
  DOCKER_PERSONAL_ACCESS_TOKEN: 'a Docker Hub access token',
  STRIPE_SECRET_KEY_LIVE: 'a Stripe live secret key',
  STRIPE_SECRET_KEY_TEST: 'a Stripe test secret key',
  STRIPE_RESTRICTED_KEY_LIVE: 'a Stripe live restricted key',
  STRIPE_RESTRICTED_KEY_TEST: 'a Stripe test restricted key',
  SENDGRID_KEY: 'a SendGrid API key',
  SHOPIFY_KEY: 'a Shopify access token',
  OPENAI_TOKEN: 'an OpenAI API key',
  ANTHROPIC_API_KEY: 'an Anthropic API key',
  GROQ_API_KEY: 'a Groq API key',
  HUGGINGFACE_USER_ACCESS_TOKEN: 'a Hugging Face access token',
  LINEAR_API_TOKEN: 'a Linear API key',
  NOTION_INTEGRATION_TOKEN: 'a Notion integration token',
  OPS_TOKEN: 'a 1Password service-account token',
  HASHICORP_VAULT_SERVICE_TOKEN: 'a HashiCorp Vault token',
  HASHICORP_VAULT_BATCH_TOKEN: 'a HashiCorp Vault token',
  HASHICORP_VAULT_RECOVERY_TOKEN: 'a HashiCorp Vault recovery token',
  GRAFANA_CLOUD_API_TOKEN: 'a Grafana Cloud API token',
  GRAFANA_SERVICE_ACCOUNT_TOKEN: 'a Grafana service-account token',
  DATABRICKS_PERSONAL_ACCESS_TOKEN: 'a Databricks access token',
  FIGMA_PERSONAL_ACCESS_TOKEN: 'a Figma access token',
};

function kindOf(hit: RuleHit): string {
  return MESSAGE_KINDS[hit.messageId] ?? `a ${hit.ruleId} credential (${hit.messageId})`;
}

/** The AWS rule reports the whole `AWS_ACCOUNT_ID = 1234…` assignment; an account id is not a credential. */
const NOT_CREDENTIALS = new Set(['AWSAccountID']);

const PRIVATE_KEY_HEADER = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----/;
const PRIVATE_KEY_WITH_MATERIAL =
  /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----(?:\\n|\s)+(?:[A-Za-z-]{1,30}: [^\n]{0,200}(?:\\n|\s)+){0,4}[A-Za-z0-9+/=]{40}/;
const GOOGLE_API_KEY = /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/;
const JWT = /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{0,4096}/;
const AWS_EXAMPLE_KEYS = /\bAKIAIOSFODNN7EXAMPLE\b|wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY/;
const SIGNED_URL = [
  { kind: 'an AWS presigned URL signature', re: /[?&]X-Amz-Signature=([0-9a-f]{64})(?![0-9a-f])/i },
  { kind: 'a GCS signed URL signature', re: /[?&]X-Goog-Signature=([0-9a-f]{64,1024})(?![0-9a-f])/i },
  // Azure SAS: `sig=` is base64 (URL-encoded) of an HMAC-SHA256, 43-44 characters before encoding.
  { kind: 'an Azure SAS signature', re: /(?:^|[?&])sig=((?:[A-Za-z0-9+/]|%2[Bb]|%2[Ff]){30,200}(?:=|%3[Dd]){0,2})(?![A-Za-z0-9%])/ },
];
/** `"auth": "<base64>"`, also inside an escaped JSON string. */
const DOCKER_AUTH = /\\?["']auth\\?["']\s*:\s*\\?["']([A-Za-z0-9+/]{4,2000}={0,2})\\?["']/g;

function decodeBase64(s: string): string | null {
  try {
    return typeof atob === 'function' ? atob(s) : null;
  } catch {
    return null;
  }
}

function dockerAuth(text: string): string | null {
  if (!text.includes('auth')) return null;
  for (const m of text.matchAll(DOCKER_AUTH)) {
    const decoded = decodeBase64(m[1]);
    if (!decoded) continue;
    const colon = decoded.indexOf(':');
    // `user:password`, both printable and non-empty; a `user:` with nothing after it is no credential.
    if (colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded) && !decoded.includes('$')) return m[1];
  }
  return null;
}

function localShape(text: string): SecretMatch | null {
  if (PRIVATE_KEY_HEADER.test(text)) {
    const m = PRIVATE_KEY_WITH_MATERIAL.exec(text);
    if (m) return privateKeyMatch(m[0], 'private-key-block');
  }
  for (const s of SIGNED_URL) {
    const m = s.re.exec(text);
    if (m && !m[1].includes('$')) return { kind: s.kind, rule: 'signed-url', redacted: `…sig=${redactSecret(m[1])}` };
  }
  const auth = dockerAuth(text);
  if (auth) return { kind: 'a docker config auth field (base64 user:password)', rule: 'docker-config-auth', redacted: `"auth": ${redactSecret(auth)}` };
  const g = GOOGLE_API_KEY.exec(text);
  if (g) return { kind: 'a Google API key', rule: 'google-api-key', redacted: redactSecret(g[0]) };
  const j = JWT.exec(text);
  if (j) return { kind: 'a JSON Web Token', rule: 'jwt', redacted: redactSecret(j[0]) };
  const aws = AWS_EXAMPLE_KEYS.exec(text);
  if (aws) return { kind: `an AWS ${aws[0].startsWith('AKIA') ? 'access key id' : 'secret access key'} (AWS's documented example)`, rule: 'aws-example', redacted: redactSecret(aws[0]) };
  return null;
}

function privateKeyMatch(block: string, rule: string): SecretMatch {
  const header = PRIVATE_KEY_HEADER.exec(block)?.[0] ?? '-----BEGIN PRIVATE KEY-----';
  return { kind: 'a private key', rule, redacted: `${header} … (key material redacted)` };
}

/**
 * Worth running 27 rules over? Every token the preset and the local shapes know has a run of ≥ 16 token
 * characters (not counting `-`, `.` and `/`, which names, versions and paths are made of); the others carry a
 * marker: `://…@` (basic auth, connection strings), a PEM header, a docker config or npmrc `auth`, a JWT's `eyJ`,
 * a SAS `sig=`. Names, words, paths, versions, image digests and git SHAs are skipped for free.
 */
const TOKEN_RUN = /[A-Za-z0-9_+=%]{16,}/;
const PLAIN_HASH = /^(?:(?:[a-z0-9.-]+(?::[0-9]+)?\/)*[a-z0-9._/-]*@)?(?:sha(?:256|384|512):)?[0-9a-f]{40,128}$/i;
function mayHoldShape(text: string): boolean {
  if (text.length < 12) return false;
  if (TOKEN_RUN.test(text)) return !PLAIN_HASH.test(text);
  if (text.includes('PRIVATE KEY') || text.includes('auth') || text.includes('eyJ') || text.includes('sig=')) return true;
  return text.includes('@') && text.includes('://');
}

// Values repeat across runs and catalog versions. Bounded by entries and by characters: the map keeps the strings
// alive, and a live cluster's scripts must not outlive the snapshot that held them by gigabytes.
const MEMO_LIMIT = 50_000;
const MEMO_CHARS = 32_000_000;
const memo = new Map<string, SecretMatch | null>();
let memoChars = 0;

/** For benches that time a cold scan. */
export function clearShapeMemo(): void {
  memo.clear();
  memoChars = 0;
}

/** The first credential shape in `text` (any string: a value, a script, an argument), or null. Memoised. */
export function findCredentialShape(text: string): SecretMatch | null {
  if (typeof text !== 'string') return null;
  const input = text.length > 100_000 ? text.slice(0, 100_000) : text;
  // A long text (a script) is looked up first: the same string object comes back on every scan, and V8 keeps its
  // hash, so a hit costs less than the pre-filter's pass over it.
  if (input.length > 256) {
    const cached = memo.get(input);
    if (cached !== undefined) return cached;
  }
  if (!mayHoldShape(input)) return null;
  const cached = memo.get(input);
  if (cached !== undefined) return cached;
  const found = scanShape(input);
  if (memo.size >= MEMO_LIMIT || memoChars + input.length > MEMO_CHARS) clearShapeMemo();
  memo.set(input, found);
  memoChars += input.length;
  return found;
}

/**
 * What the rules need to see of a long multi-line text (a script): only the lines that may hold a shape, since
 * every rule but the private-key and service-account-JSON ones matches within one line. Cuts the corpus's
 * 1.5 MB of scripts to about a third.
 */
function candidateText(text: string, json: boolean): string {
  if (json || text.length < 512 || !text.includes('\n') || text.includes('PRIVATE KEY')) return text;
  return text
    .split('\n')
    .filter((line) => mayHoldShape(line))
    .join('\n');
}

function scanShape(whole: string): SecretMatch | null {
  const json = /^\s*\{/.test(whole);
  const text = candidateText(whole, json);
  for (const hit of runSecretlint(text, json)) {
    if (NOT_CREDENTIALS.has(hit.messageId)) continue;
    const excerpt = text.slice(hit.range[0], hit.range[1]);
    if (excerpt.includes('$(') || excerpt.includes('${')) continue;
    const kind = kindOf(hit);
    if (hit.messageId === 'PrivateKey') return privateKeyMatch(excerpt, `secretlint:${hit.ruleId}`);
    if (hit.messageId === 'PrivateKeyJSON') return { kind, rule: `secretlint:${hit.ruleId}`, redacted: '{"type": "service_account", "private_key": … (redacted)}' };
    return { kind, rule: `secretlint:${hit.ruleId}`, redacted: redactUrlOrToken(excerpt) };
  }
  return localShape(text);
}

/** A URL keeps its scheme and host visible (`https://hooks.slack.com/…`), a token only its ends. */
function redactUrlOrToken(excerpt: string): string {
  const url = /^([a-z][a-z0-9+.-]{0,20}:\/\/)(?:[^/@\s]*@)?([^/\s:@]{1,100})/i.exec(excerpt);
  if (url) return `${url[1]}${url[2]}/… ${redactSecret(excerpt)}`;
  return redactSecret(excerpt);
}
