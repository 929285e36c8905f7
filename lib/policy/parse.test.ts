import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from './parse';

const ROOT = join(__dirname, '..', '..');

const waiverYaml = (expires: string) => `waivers:\n  - { checkId: IDN-003, subject: a/b, reason: r, owner: o, expires: ${expires} }\n`;

function rejection(text: string): string {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${text}`);
}

describe('parsePolicy', () => {
  it("accepts the README's own example, unquoted date and all", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /## Policy config[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a policy example').toBeTruthy();
    const p = parsePolicy(block!);
    expect(p.waivers).toHaveLength(1);
    expect(p.waivers[0].expires).toBe('2027-01-31');
    expect(p.severityOverrides).toEqual({ 'SUP-009': 'medium' });
    expect(p.disabledChecks).toEqual(['NSG-004']);
  });

  it('accepts the demo policy', () => {
    const p = parsePolicy(readFileSync(join(ROOT, 'lib', 'demo', 'policy.yaml'), 'utf8'));
    expect(p.trustedRegistries).toContain('registry.example.com');
  });

  it('reads a YAML date where a date is meant, quoted or not, and keeps the text written', () => {
    expect(parsePolicy(waiverYaml('2027-01-31')).waivers[0].expires).toBe('2027-01-31');
    expect(parsePolicy(waiverYaml('"2027-01-31"')).waivers[0].expires).toBe('2027-01-31');
    expect(parsePolicy(waiverYaml('2027-01-31T18:00:00Z')).waivers[0].expires).toBe('2027-01-31T18:00:00Z');
  });

  it('rejects a date that is not on the calendar, naming the field', () => {
    for (const bad of ['2027-02-31', '2027-13-01', 'next-week', '31/01/2027', '5', '2027-01-31T10:00']) {
      expect(rejection(waiverYaml(bad)), bad).toContain('waivers.0.expires');
    }
  });

  it('reads now: as an ISO time (YAML timestamp or string) and rejects what is not one', () => {
    expect(parsePolicy('now: 2026-11-22T12:00:00Z').now).toBe('2026-11-22T12:00:00.000Z');
    expect(parsePolicy('now: "2026-11-22T13:00:00+01:00"').now).toBe('2026-11-22T12:00:00.000Z');
    expect(parsePolicy('now: 2026-11-22').now).toBe('2026-11-22T00:00:00.000Z');
    expect(parsePolicy('recentRuns: 5').now).toBeUndefined();
    expect(rejection('now: yesterday')).toContain('now');
    expect(rejection('now: 2026-02-30T00:00:00Z')).toContain('now');
  });

  it('names the field of every invalid setting', () => {
    expect(rejection('recentRuns: 0')).toContain('recentRuns');
    expect(rejection('severityOverrides: { SUP-002: urgent }')).toContain('severityOverrides.SUP-002');
    expect(rejection('disabledChecks: [sup-2]')).toContain('disabledChecks.0');
    expect(rejection('waivers:\n  - { checkId: IDN-003, subject: a/b, reason: r, expires: 2027-01-31 }')).toContain('waivers.0.owner');
    expect(rejection('allowAnnotationWaivers: "yes"')).toContain('allowAnnotationWaivers');
    expect(rejection('trustedRegistrys: [x]')).toContain('trustedRegistrys');
    expect(rejection('a: [')).toContain('not valid YAML');
  });

  it('reads a policy held in a ConfigMap, dates included', () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: posture-policy }\ndata:\n  policy.yaml: |\n    waivers:\n      - { checkId: IDN-003, subject: a/b, reason: r, owner: o, expires: 2027-01-31 }\n`;
    expect(parsePolicy(cm).waivers[0].expires).toBe('2027-01-31');
  });

  it('reads chains.publicKeys and refuses a private key or junk, naming the field', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const indent = (pem: string) => pem.trim().split('\n').map((l) => `      ${l}`).join('\n');
    const pub = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(parsePolicy(`chains:\n  publicKeys:\n    - |\n${indent(pub)}\n`).chains.publicKeys).toHaveLength(1);
    expect(parsePolicy('recentRuns: 5').chains.publicKeys).toEqual([]);
    const priv = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(rejection(`chains:\n  publicKeys:\n    - |\n${indent(priv)}\n`)).toContain('chains.publicKeys.0');
    expect(rejection('chains: { publicKeys: [nope] }')).toContain('chains.publicKeys.0');
  });

  it('keeps YAML merge keys working', () => {
    const p = parsePolicy('team: &t { labelKey: owner }\nseverityOverrides: { SUP-009: low }\n');
    expect(p.team.labelKey).toBe('owner');
  });
});
