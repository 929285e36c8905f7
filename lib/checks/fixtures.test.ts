import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/parse';
import { CHECKS, checkById } from './registry';
import { evaluateYaml } from './testing';

const here = dirname(fileURLToPath(import.meta.url));
const OUTCOME_PREFIX: Record<string, string> = { pass: 'pass', fail: 'fail', warn: 'warn', unknown: 'unknown', na: 'not-applicable' };

function fixtureDirs(): { id: string; dir: string }[] {
  const out: { id: string; dir: string }[] = [];
  for (const category of readdirSync(here, { withFileTypes: true })) {
    const testdata = join(here, category.name, 'testdata');
    if (!category.isDirectory() || !existsSync(testdata)) continue;
    for (const id of readdirSync(testdata)) out.push({ id, dir: join(testdata, id) });
  }
  return out;
}

describe('check fixtures', () => {
  for (const { id, dir } of fixtureDirs()) {
    const check = checkById(id);
    const policyFile = join(dir, 'policy.yaml');
    const policy = existsSync(policyFile)
      ? { ...parsePolicy(readFileSync(policyFile, 'utf8')), now: '2026-11-22T12:00:00Z' }
      : undefined;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'policy.yaml')) {
      const expected = OUTCOME_PREFIX[file.split(/[-.]/)[0]];
      it(`${id} ${file} → ${expected}`, () => {
        expect(check, `no check registered with id ${id}`).toBeDefined();
        expect(expected, `fixture name must start with pass/fail/warn/unknown/na`).toBeDefined();
        const got = evaluateYaml(check!, readFileSync(join(dir, file), 'utf8'), policy);
        const results = check!.scope === 'platform' ? [{ id: 'platform', result: got.platform! }] : got.pipelines;
        expect(results.length, 'the fixture defines no pipeline').toBeGreaterThan(0);
        for (const r of results) {
          expect({ pipeline: r.id, outcome: r.result.outcome, message: r.result.message }).toMatchObject({ outcome: expected });
          if (r.result.outcome === 'fail') expect(r.result.evidence.length, 'a fail carries evidence').toBeGreaterThan(0);
        }
      });
    }
  }
});

describe('catalog', () => {
  // Warn-only checks (WSP-002: "medium (warn)" in the catalog) never fail, so their negative fixture is a warn.
  it('has 54 checks with unique IDs, each with a pass and a fail (or warn) fixture', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(54);
    const dirs = new Map(fixtureDirs().map((d) => [d.id, readdirSync(d.dir)]));
    const missing = ids.filter((id) => {
      const files = dirs.get(id) ?? [];
      return !files.some((f) => f.startsWith('pass')) || !files.some((f) => f.startsWith('fail') || f.startsWith('warn'));
    });
    expect(missing).toEqual([]);
  });
});
