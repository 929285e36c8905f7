/**
 * Runs the STP-* and SUP-001…SUP-004 fixtures directly (without the registry), so these checks can be tested
 * while other categories are in progress. lib/checks/fixtures.test.ts runs the same fixtures through the registry.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../policy/parse';
import { evaluateYaml } from '../testing';
import type { Check } from '../types';
import { stepChecks } from './index';
import { SUP_001 } from '../supply-chain/sup-001-images-pinned-by-digest';
import { SUP_002 } from '../supply-chain/sup-002-no-floating-tags';
import { SUP_003 } from '../supply-chain/sup-003-trusted-registries';
import { SUP_004 } from '../supply-chain/sup-004-remote-tasks-pinned';

const here = dirname(fileURLToPath(import.meta.url));
const OUTCOME: Record<string, string> = { pass: 'pass', fail: 'fail', warn: 'warn', unknown: 'unknown', na: 'not-applicable' };
const checks: { check: Check; dir: string }[] = [
  ...stepChecks.map((check) => ({ check, dir: join(here, 'testdata', check.id) })),
  ...[SUP_001, SUP_002, SUP_003, SUP_004].map((check) => ({ check, dir: join(here, '..', 'supply-chain', 'testdata', check.id) })),
];

describe('STP / SUP-001..004 fixtures', () => {
  for (const { check, dir } of checks) {
    it(`${check.id} has pass and fail fixtures`, () => {
      const files = existsSync(dir) ? readdirSync(dir) : [];
      expect(files.some((f) => f.startsWith('pass'))).toBe(true);
      expect(files.some((f) => f.startsWith('fail'))).toBe(true);
    });
    if (!existsSync(dir)) continue;
    const policyFile = join(dir, 'policy.yaml');
    const policy = existsSync(policyFile) ? { ...parsePolicy(readFileSync(policyFile, 'utf8')), now: '2026-11-22T12:00:00Z' } : undefined;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'policy.yaml')) {
      const expected = OUTCOME[file.split(/[-.]/)[0]];
      it(`${check.id} ${file} → ${expected}`, () => {
        const got = evaluateYaml(check, readFileSync(join(dir, file), 'utf8'), policy);
        expect(got.pipelines.length).toBeGreaterThan(0);
        for (const r of got.pipelines) {
          expect({ pipeline: r.id, outcome: r.result.outcome, message: r.result.message }).toMatchObject({ outcome: expected });
          if (r.result.outcome === 'fail') expect(r.result.evidence.length).toBeGreaterThan(0);
        }
      });
    }
  }
});
