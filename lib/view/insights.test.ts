import { describe, expect, it } from 'vitest';
import { finding, pipeline } from './testing';
import type { Report } from '../report/types';
import { rankFixes, topFailingChecks } from './insights';


// A medium check failing in three pipelines, a critical one failing in one: the critical still comes first.
const PIPELINES = [
  pipeline('a/one', [finding('STP-005', 'critical', 'fail'), finding('STP-003', 'medium', 'fail'), finding('STP-008', 'low', 'fail'), finding('SUP-001', 'high', 'pass')]),
  pipeline('a/two', [finding('STP-003', 'medium', 'fail'), finding('STP-004', 'medium', 'fail'), finding('SUP-001', 'high', 'pass')]),
  pipeline('a/three', [finding('STP-003', 'medium', 'fail'), finding('STP-004', 'medium', 'pass'), finding('SUP-001', 'high', 'pass')]),
];

describe('what to fix first', () => {
  it('orders by severity, then by how many pipelines a fix lifts', () => {
    const fixes = rankFixes(PIPELINES);
    expect(fixes.map((f) => f.checkId)).toEqual(['STP-005', 'STP-003', 'STP-004', 'STP-008']);
    expect(fixes.find((f) => f.checkId === 'STP-003')?.lifted).toBe(3);
  });

  it('lists the most severe failing checks first on the overview too', () => {
    const report = { pipelines: PIPELINES, platform: { findings: [] } } as unknown as Report;
    expect(topFailingChecks(report).map((t) => t.checkId)).toEqual(['STP-005', 'STP-003', 'STP-004', 'STP-008']);
  });
});
