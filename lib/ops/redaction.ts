/**
 * Secret-leak detection for tests and tooling (pure): finds credential-shaped strings in a text (the planted
 * demo secrets, or anything a scan may have echoed) and reports where a known secret value appears in full.
 * Deliberately independent of WSP-005's recogniser (lib/checks/workspaces/secrets.ts, secretlint's ruleset): a
 * second opinion on what the demo plants, so a regression in the recogniser cannot also blind the leak test. A
 * private key is represented by its base64 body lines, since the BEGIN/END armour alone is not secret.
 */
export interface SecretLike {
  kind: string;
  value: string;
}

const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g },
  { kind: 'github-fine-grained-token', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}/g },
  { kind: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,64}/g },
  { kind: 'slack-token', re: /\bxox[baprs]-[A-Za-z0-9-]{10,255}/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'stripe-live-key', re: /\b[sr]k_live_[0-9A-Za-z]{20,255}/g },
];

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END [A-Z ]*PRIVATE KEY-----/g;

/** Credential-shaped values in `text`, deduplicated (private keys: each base64 body line of ≥ 16 characters). */
export function findSecretLikes(text: string): SecretLike[] {
  const seen = new Map<string, SecretLike>();
  for (const { kind, re } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      if (m[0].endsWith('EXAMPLE')) continue;
      seen.set(m[0], { kind, value: m[0] });
    }
  }
  for (const m of text.matchAll(PRIVATE_KEY_BLOCK)) {
    for (const line of m[1].split(/\\n|\r?\n/)) {
      const body = line.trim().replace(/^["']|["',]$/g, '');
      if (/^[A-Za-z0-9+/=]{16,}$/.test(body)) seen.set(body, { kind: 'private-key-material', value: body });
    }
  }
  return [...seen.values()];
}

export interface Leak {
  kind: string;
  /** The secret, shown redacted (first and last 2 characters). */
  secret: string;
  /** 0-based line and a short excerpt around the first occurrence (the secret itself masked). */
  line: number;
  excerpt: string;
}

function mask(v: string): string {
  return v.length > 6 ? `${v.slice(0, 2)}…${v.slice(-2)}` : '…';
}

/** Where each of `secrets` appears in full in `text`. */
export function findLeaks(text: string, secrets: readonly SecretLike[]): Leak[] {
  const leaks: Leak[] = [];
  for (const s of secrets) {
    const i = text.indexOf(s.value);
    if (i < 0) continue;
    const line = text.slice(0, i).split('\n').length - 1;
    const excerpt = text.slice(Math.max(0, i - 80), i + s.value.length + 40).split(s.value).join(`<${s.kind}:${mask(s.value)}>`);
    leaks.push({ kind: s.kind, secret: mask(s.value), line, excerpt });
  }
  return leaks;
}
