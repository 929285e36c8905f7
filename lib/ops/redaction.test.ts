// Every export format of a scan of the demo cluster must show the planted credentials only redacted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry';
import { scan } from '../engine/scan';
import { defaultPolicy } from '../policy/defaults';
import { FORMATS, renderReport } from '../report/render';
import type { Report } from '../report/types';
import { demoSnapshotDir, loadDemo } from '../../server/sources/demo';
import { findLeaks, findSecretLikes, type SecretLike } from './redaction';

function readTree(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? readTree(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? readFileSync(join(dir, e.name), 'utf8') : ''))
    .join('\n');
}

let secrets: SecretLike[] = [];
let report: Report;

beforeAll(() => {
  secrets = findSecretLikes(readTree(demoSnapshotDir()));
  const loaded = loadDemo();
  report = scan({ objects: loaded.objects, loadIssues: loaded.issues, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'demo' } }).report;
});

describe('redaction of credentials in exports (demo cluster)', () => {
  it('the demo plants an AWS key, a GitHub token and a private key', () => {
    const kinds = new Set(secrets.map((s) => s.kind));
    expect(kinds).toContain('aws-access-key-id');
    expect(kinds).toContain('github-token');
    expect(kinds).toContain('private-key-material');
  });

  it('WSP-005 finds them (the test is not vacuous): redacted forms are in the report', () => {
    const json = renderReport(report, 'json', CHECKS);
    expect(json).toMatch(/AK…[A-Z0-9]{2} \(20 chars\)/);
    expect(json).toMatch(/gh…[A-Za-z0-9]{2} \(40 chars\)/);
    expect(json).toMatch(/PRIVATE KEY-----[^"]*redacted/);
  });

  it.each(FORMATS)('%s export contains no planted secret in full', (fmt) => {
    const text = renderReport(report, fmt, CHECKS);
    expect(text.length).toBeGreaterThan(1000);
    const leaks = findLeaks(text, secrets);
    expect(leaks, leaks.map((l) => `${l.kind} ${l.secret} at line ${l.line + 1}: ${l.excerpt}`).join('\n')).toEqual([]);
  });

  it('the raw report object holds no planted secret either (what /api/* would serialise)', () => {
    const leaks = findLeaks(JSON.stringify(report), secrets);
    expect(leaks.map((l) => l.excerpt)).toEqual([]);
  });
});

describe('findSecretLikes / findLeaks', () => {
  it('finds tokens and private key material, skips documented example keys', () => {
    const text = [
      'AKIAIOSFODNN7EXAMPLE',
      'key: AKIAJ7QX3NWDLT2ERK9Q',
      'token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\\n-----END OPENSSH PRIVATE KEY-----',
    ].join('\n');
    const found = findSecretLikes(text).map((s) => `${s.kind}:${s.value}`);
    expect(found).toEqual([
      'aws-access-key-id:AKIAJ7QX3NWDLT2ERK9Q',
      'github-token:ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'private-key-material:b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE',
    ]);
  });

  it('reports where a secret leaks without repeating it', () => {
    const s = { kind: 'github-token', value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' };
    const [leak] = findLeaks(`line one\nvalue: ${s.value} end`, [s]);
    expect(leak.line).toBe(1);
    expect(leak.excerpt).not.toContain(s.value);
    expect(leak.excerpt).toContain('<github-token:gh…89>');
    expect(findLeaks('gh…89 (40 chars)', [s])).toEqual([]);
  });
});
