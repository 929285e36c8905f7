/** Small reports for the history tests: only what the history reads. */
import type { Finding, Outcome, Severity } from '../../lib/checks/types';
import type { PipelineReport, Report } from '../../lib/report/types';

export interface FakePipeline {
  id: string;
  score?: number | null;
  findings: Record<string, Outcome | [Outcome, Severity]>;
}

const finding = (checkId: string, v: Outcome | [Outcome, Severity]): Finding => {
  const [outcome, severity] = Array.isArray(v) ? v : [v, 'high' as Severity];
  return { checkId, title: checkId, category: 'steps', severity, outcome, message: '', evidence: [] } as unknown as Finding;
};

export function fakeReport(pipelines: FakePipeline[], platform: Record<string, Outcome> = {}): Report {
  return {
    schemaVersion: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    source: { kind: 'files' },
    summary: { score: 50, grade: 'F', coverage: 1, incomplete: false, pipelines: pipelines.length, worstPipeline: null },
    platform: { score: 80, grade: 'B', coverage: 1, incomplete: false, cap: null, findings: Object.entries(platform).map(([c, o]) => finding(c, o)) },
    pipelines: pipelines.map(
      (p) =>
        ({
          id: p.id,
          namespace: p.id.split('/')[0],
          name: p.id.split('/')[1] ?? p.id,
          score: p.score === undefined ? 70 : p.score,
          grade: p.score === null ? null : 'C',
          coverage: 1,
          findings: Object.entries(p.findings).map(([c, v]) => finding(c, v)),
        }) as unknown as PipelineReport,
    ),
    gaps: [],
    loadIssues: [],
  };
}
