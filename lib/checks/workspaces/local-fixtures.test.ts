/**
 * Runs the WSP-*, INJ-* and NSG-* fixtures directly (without the registry), so these checks are tested while other
 * categories are in progress. lib/checks/fixtures.test.ts runs the same fixtures through the registry.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../policy/parse';
import { evaluateYaml } from '../testing';
import type { Check } from '../types';
import { injectionChecks } from '../injection';
import { namespaceChecks } from '../namespace';
import { workspaceChecks } from './index';

const here = dirname(fileURLToPath(import.meta.url));
const OUTCOME: Record<string, string> = { pass: 'pass', fail: 'fail', warn: 'warn', unknown: 'unknown', na: 'not-applicable' };
const checks: { check: Check; dir: string }[] = [
  ...workspaceChecks.map((check) => ({ check, dir: join(here, 'testdata', check.id) })),
  ...injectionChecks.map((check) => ({ check, dir: join(here, '..', 'injection', 'testdata', check.id) })),
  ...namespaceChecks.map((check) => ({ check, dir: join(here, '..', 'namespace', 'testdata', check.id) })),
];

describe('WSP / INJ / NSG fixtures', () => {
  for (const { check, dir } of checks) {
    const files = existsSync(dir) ? readdirSync(dir) : [];
    it(`${check.id} has pass and fail (or warn, for warn-only checks) fixtures`, () => {
      expect(files.some((f) => f.startsWith('pass'))).toBe(true);
      expect(files.some((f) => f.startsWith('fail') || (check.id === 'WSP-002' && f.startsWith('warn')))).toBe(true);
    });
    const policyFile = join(dir, 'policy.yaml');
    const policy = existsSync(policyFile) ? { ...parsePolicy(readFileSync(policyFile, 'utf8')), now: '2026-11-22T12:00:00Z' } : undefined;
    for (const file of files.filter((f) => f.endsWith('.yaml') && f !== 'policy.yaml')) {
      const expected = OUTCOME[file.split(/[-.]/)[0]];
      it(`${check.id} ${file} → ${expected}`, () => {
        const got = evaluateYaml(check, readFileSync(join(dir, file), 'utf8'), policy);
        expect(got.pipelines.length).toBeGreaterThan(0);
        for (const r of got.pipelines) {
          expect({ pipeline: r.id, outcome: r.result.outcome, message: r.result.message }).toMatchObject({ outcome: expected });
          if (r.result.outcome === 'fail' || r.result.outcome === 'warn') expect(r.result.evidence.length).toBeGreaterThan(0);
        }
      });
    }
  }
});
