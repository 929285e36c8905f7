import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../checks/types';
import type { PipelineReport, Report } from '../report/types';
import { rankFixes, topFailingChecks } from './insights';

function finding(checkId: string, severity: Severity, outcome: Finding['outcome']): Finding {
  return { checkId, title: checkId, category: 'steps', severity, outcome, message: '', evidence: [] };
}

function pipeline(id: string, findings: Finding[]): PipelineReport {
  const [namespace, name] = id.split('/');
  return {
    id, namespace, name, team: 't', identitySource: 'pipeline-object', score: null, grade: null, coverage: 1, incomplete: false, cap: null,
    outcomes: { pass: 0, fail: 0, warn: 0, unknown: 0, 'not-applicable': 0, waived: 0 },
    failsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, totalRuns: 1, lastRun: null, signingRate: null,
    serviceAccounts: [], issues: [], findings,
  };
}

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
