/**
 * secretlint's recommended ruleset, run synchronously over one string.
 *
 * `@secretlint/core`'s `lintSource` is async, but the checks are synchronous and pure. Each preset rule is a
 * `create(context, options)` that returns a `file(source)` handler which scans `source.content` with regexes and
 * calls `context.report({message, range})`; for a text source without a file path every rule used here does that
 * synchronously (the only async path, the GCP rule's `.p12` reader, needs `ext: '.p12'` and a file on disk and is
 * never reached). So the rules are created once against a minimal context whose `report` appends to the current
 * scan's list, and each handler is called directly. A handler that returns a promise anyway (a future rule version)
 * is ignored and counted in `asyncRuleIds` (a unit test asserts it stays empty), never awaited.
 *
 * The comment filter (`secretlint-rule-filter-comments`, `secretlint-disable` comments) is left out: spec values
 * are not source files, and an author must not silence the check from inside the spec.
 */
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';

export interface RuleHit {
  /** The rule's id without the `@secretlint/secretlint-rule-` prefix: `aws`, `docker`, `slack`… */
  ruleId: string;
  /** The rule's message id, e.g. `IncomingWebhook`, `DOCKER_PERSONAL_ACCESS_TOKEN`. */
  messageId: string;
  range: readonly [number, number];
}

interface MinimalSource {
  hasBOM: boolean;
  content: string;
  filePath: undefined;
  physicalFilePath: undefined;
  contentType: 'text';
  ext: string;
  getFilePath(): undefined;
  getPhysicalFilePath(): undefined;
}

type FileHandler = (source: MinimalSource) => unknown;

/** Rules that are not scanners of a string's content. */
const LEFT_OUT = new Set(['filter-comments']);
/**
 * Each rule's keywords (as gitleaks' `keywords`): literal substrings, lower-cased, that every pattern of the rule
 * needs, read off the rule's regexes in 13.1. A rule runs only on a text holding one of them: 27 regex passes
 * over every script became the bulk of WSP-005's cost. A rule missing here always runs (and a unit test flags it).
 */
export const RULE_KEYWORDS: Record<string, readonly string[]> = {
  aws: ['akia', 'asia', 'a3t', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'secret'],
  gcp: ['private_key'],
  privatekey: ['private key'],
  npm: ['npm_', '_authtoken', 'x-oauth-basic'],
  basicauth: ['://'],
  slack: ['xox', 'xapp', 'hooks.slack.com'],
  sendgrid: ['sg.'],
  shopify: ['shp'],
  stripe: ['sk_', 'rk_'],
  github: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  gitlab: ['glpat-'],
  grafana: ['glc_', 'glsa_'],
  openai: ['sk-'],
  anthropic: ['sk-ant-'],
  groq: ['gsk_'],
  huggingface: ['hf_'],
  linear: ['lin_api_'],
  notion: ['ntn_'],
  '1password': ['ops_'],
  'database-connection-string': ['://'],
  'hashicorp-vault': ['hvs.', 'hvb.', 'hvr.'],
  vercel: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
  databricks: ['dapi'],
  docker: ['dckr_pat_'],
  figma: ['figd_'],
  cloudflare: ['cfk_', 'cfut_', 'cfat_'],
  tailscale: ['tskey-'],
};

/** Per-rule options: the AWS rule scans access key ids only when asked. */
const RULE_OPTIONS: Record<string, object> = { aws: { enableIDScanRule: true } };

let collecting: RuleHit[] | null = null;
let currentRule = '';
export const asyncRuleIds = new Set<string>();

function shortId(id: string): string {
  return id.replace(/^@secretlint\/secretlint-rule-/, '');
}

const handlers: { ruleId: string; keywords: readonly string[] | undefined; file: FileHandler }[] = [];
for (const rule of presetRules as unknown as { meta: { id: string }; create(ctx: unknown, options: unknown): { file?: FileHandler } }[]) {
  const ruleId = shortId(rule.meta.id);
  if (LEFT_OUT.has(ruleId)) continue;
  const context = {
    sharedOptions: {},
    createTranslator: () => (messageId: string) => ({ message: messageId, messageId, data: {} }),
    report(d: { message: { messageId?: string } | string; range: readonly [number, number] }) {
      const messageId = typeof d.message === 'string' ? d.message : (d.message?.messageId ?? '');
      collecting?.push({ ruleId: currentRule, messageId, range: d.range });
    },
    ignore() {},
  };
  try {
    const h = rule.create(context, RULE_OPTIONS[ruleId] ?? {});
    if (typeof h.file === 'function') handlers.push({ ruleId, keywords: RULE_KEYWORDS[ruleId], file: h.file.bind(h) });
  } catch {
    /* a rule that cannot be created is left out rather than breaking every scan */
  }
}

/** Ids of the rules in use, for the tests and the bench. */
export const secretlintRuleIds: readonly string[] = handlers.map((h) => h.ruleId);

/**
 * Every rule hit in `content`. `json` makes the GCP rule parse it as a service-account key file (a JSON object);
 * `ignoreKeywords` runs every rule (for the test that the keywords hide nothing).
 * Never throws; a rule that throws on hostile input reports nothing.
 */
export function runSecretlint(content: string, json = false, opts: { ignoreKeywords?: boolean } = {}): RuleHit[] {
  const hits: RuleHit[] = [];
  const source: MinimalSource = {
    hasBOM: false,
    content,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: json ? '.json' : '.txt',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
  };
  const lower = content.toLowerCase();
  collecting = hits;
  try {
    for (const h of handlers) {
      if (!opts.ignoreKeywords && h.keywords && !h.keywords.some((k) => lower.includes(k))) continue;
      currentRule = h.ruleId;
      try {
        const r = h.file(source);
        if (r && typeof (r as Promise<void>).then === 'function') {
          asyncRuleIds.add(h.ruleId);
          (r as Promise<void>).catch(() => undefined);
        }
      } catch {
        /* see above */
      }
    }
  } finally {
    collecting = null;
  }
  return hits;
}
