/** Report fixtures the view tests share: a finding and a pipeline report with only what the view helpers read. */
import type { Finding, Severity } from '../checks/types';
import type { PipelineReport } from '../report/types';

export function finding(checkId: string, severity: Severity, outcome: Finding['outcome']): Finding {
  return { checkId, title: checkId, category: 'steps', severity, outcome, message: '', evidence: [] };
}

export function pipeline(id: string, findings: Finding[]): PipelineReport {
  const [namespace, name] = id.split('/');
  return {
    id, namespace, name, team: 't', identitySource: 'pipeline-object', score: null, grade: null, coverage: 1, incomplete: false, cap: null,
    outcomes: { pass: 0, fail: 0, warn: 0, unknown: 0, 'not-applicable': 0, waived: 0 },
    failsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, totalRuns: 1, lastRun: null, signingRate: null,
    serviceAccounts: [], issues: [], findings,
  };
}
