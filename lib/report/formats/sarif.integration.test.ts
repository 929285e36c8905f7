/**
 * The SARIF the CLI writes, checked by Microsoft's SARIF Multitool (`validate`, the SARIF SDK's own rules plus the
 * GitHub Advanced Security ingestion rules, "Sarif;Gh") on the demo and the whole shared corpus.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/registry';
import { corpusDir } from '../../engine/corpus-dir';
import { scan } from '../../engine/scan';
import { defaultPolicy } from '../../policy/defaults';
import { loadDemo } from '../../../server/sources/demo';
import { loadFromPaths } from '../../../server/sources/files';
import { toSarif } from './sarif';

const require = createRequire(import.meta.url);
const multitool = require('@microsoft/sarif-multitool-linux') as string;
chmodSync(multitool, 0o755); // npm may skip the package's postinstall chmod
const work = mkdtempSync(join(tmpdir(), 'sarif-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function problems(name: string, log: object): { ruleId: string; level?: string; message: { id?: string; arguments?: string[] } }[] {
  const input = join(work, `${name}.sarif`);
  const output = join(work, `${name}.validation.sarif`);
  writeFileSync(input, JSON.stringify(log));
  execFileSync(multitool, ['validate', '--rule-kind', 'Sarif;Gh', '-o', output, input], { stdio: 'pipe', timeout: 240_000 });
  return JSON.parse(readFileSync(output, 'utf8')).runs[0].results ?? [];
}

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });

describe('SARIF Multitool validation (SARIF SDK + GitHub ingestion rules)', () => {
  it('finds no error or warning in the demo', () => {
    const report = scan({ objects: loadDemo().objects, policy, source: { kind: 'demo' } }).report;
    const found = problems('demo', toSarif(report, CHECKS));
    expect(found.filter((p) => p.level !== 'note').map((p) => `${p.ruleId} ${p.message.id} ${p.message.arguments?.join(' ')}`)).toEqual([]);
  });

  const dir = corpusDir();
  it.skipIf(!dir)('finds no error or warning in the whole corpus (URIs relative to its root)', () => {
    const loaded = loadFromPaths([dir!], dir!);
    const report = scan({ objects: loaded.objects, loadIssues: loaded.issues, policy, source: { kind: 'files' } }).report;
    const log = toSarif(report, CHECKS, { uriOf: (f) => relative(dir!, join(dir!, f)) });
    const found = problems('corpus', log);
    expect(found.filter((p) => p.level !== 'note').map((p) => `${p.ruleId} ${p.message.id} ${p.message.arguments?.join(' ')}`)).toEqual([]);
  });

  it('and the validator does catch a result GitHub would refuse', () => {
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'A' }] } }, results: [{ ruleId: 'A', message: { text: 'm' } }] }] };
    expect(problems('bad', bad).some((p) => p.ruleId.startsWith('GH'))).toBe(true);
  });
});
