/**
 * What one scan looks like to the history, and what changed against the last recorded state. Pure: the store
 * feeds it the report and its cached baseline, and writes the rows it returns.
 */
import type { Finding, Outcome, Severity } from '../../lib/checks/types';
import type { Report } from '../../lib/report/types';

/** Reserved subject ids; pipeline ids always hold a '/', so these cannot collide with one. */
export const CLUSTER_SUBJECT = '@cluster';
export const PLATFORM_SUBJECT = '@platform';

export interface ScoreState {
  score: number | null;
  grade: string | null;
  coverage: number;
}

export interface FindingState {
  outcome: Outcome;
  severity: Severity;
}

export interface Snapshot {
  scores: Map<string, ScoreState>;
  /** Key: findingKey(pipeline id, check id). */
  findings: Map<string, FindingState>;
}

/** The last recorded state of every subject and finding still present (what the next scan is compared with). */
export type Baseline = Snapshot;

export interface ScoreRow extends ScoreState {
  pipelineId: string;
  present: boolean;
}

export interface TransitionRow {
  pipelineId: string;
  checkId: string;
  /** null: the finding is gone. */
  outcome: Outcome | null;
  /** null: the key was not in the previous snapshot. */
  previous: Outcome | null;
  severity: Severity;
}

export interface SnapshotDiff {
  scores: ScoreRow[];
  transitions: TransitionRow[];
}

const SEP = '\u0000';

/**
 * A subject id as stored: PostgreSQL text cannot hold NUL, and NUL separates the parts of a finding key. Ids come
 * from the cluster's own names, so a hostile one must not break a write; readers look ids up the same way.
 */
export const storedId = (id: string): string => (id.includes(SEP) ? id.replaceAll(SEP, '\uFFFD') : id);
export const findingKey = (pipelineId: string, checkId: string): string => `${pipelineId}${SEP}${checkId}`;
export function splitFindingKey(key: string): [pipelineId: string, checkId: string] {
  const at = key.indexOf(SEP);
  return [key.slice(0, at), key.slice(at + 1)];
}

// Scores are compared after rounding, so float noise in a re-score writes no row, and what is cached compares
// equal to what is read back after a restart.
const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const scoreState = (s: { score: number | null; grade: string | null; coverage: number }): ScoreState => ({
  score: s.score === null || !Number.isFinite(s.score) ? null : round(s.score, 2),
  grade: s.grade,
  coverage: Number.isFinite(s.coverage) ? round(s.coverage, 4) : 0,
});

function addFindings(out: Map<string, FindingState>, subject: string, findings: Finding[]): void {
  for (const f of findings) {
    const key = findingKey(subject, storedId(f.checkId));
    // One finding per check and subject is the engine's rule; should two ever share a key, the first one counts,
    // so the recorded outcome does not depend on which one a later scan happens to list last.
    if (!out.has(key)) out.set(key, { outcome: f.outcome, severity: f.severity });
  }
}

export function snapshotOf(report: Report): Snapshot {
  const scores = new Map<string, ScoreState>();
  const findings = new Map<string, FindingState>();
  scores.set(CLUSTER_SUBJECT, scoreState(report.summary));
  scores.set(PLATFORM_SUBJECT, scoreState(report.platform));
  addFindings(findings, PLATFORM_SUBJECT, report.platform.findings);
  for (const p of report.pipelines) {
    const id = storedId(p.id);
    if (!scores.has(id)) scores.set(id, scoreState(p));
    addFindings(findings, id, p.findings);
  }
  return { scores, findings };
}

export const emptyBaseline = (): Baseline => ({ scores: new Map(), findings: new Map() });

const sameScore = (a: ScoreState, b: ScoreState) => a.score === b.score && a.grade === b.grade && a.coverage === b.coverage;

/** The rows that bring the baseline to the snapshot: changed, new and departed subjects and findings. */
export function diffSnapshot(baseline: Baseline, next: Snapshot): SnapshotDiff {
  const scores: ScoreRow[] = [];
  const transitions: TransitionRow[] = [];
  for (const [id, s] of next.scores) {
    const before = baseline.scores.get(id);
    if (!before || !sameScore(before, s)) scores.push({ pipelineId: id, ...s, present: true });
  }
  for (const id of baseline.scores.keys()) {
    if (!next.scores.has(id)) scores.push({ pipelineId: id, score: null, grade: null, coverage: 0, present: false });
  }
  for (const [key, f] of next.findings) {
    const before = baseline.findings.get(key);
    if (before?.outcome === f.outcome) continue;
    const [pipelineId, checkId] = splitFindingKey(key);
    transitions.push({ pipelineId, checkId, outcome: f.outcome, previous: before?.outcome ?? null, severity: f.severity });
  }
  for (const [key, f] of baseline.findings) {
    if (next.findings.has(key)) continue;
    const [pipelineId, checkId] = splitFindingKey(key);
    transitions.push({ pipelineId, checkId, outcome: null, previous: f.outcome, severity: f.severity });
  }
  return { scores, transitions };
}

/** The baseline once the diff is written (mutates it: at 100,000 findings a copy per scan is waste). */
export function applyDiff(baseline: Baseline, diff: SnapshotDiff): void {
  for (const r of diff.scores) {
    if (r.present) baseline.scores.set(r.pipelineId, { score: r.score, grade: r.grade, coverage: r.coverage });
    else baseline.scores.delete(r.pipelineId);
  }
  for (const t of diff.transitions) {
    const key = findingKey(t.pipelineId, t.checkId);
    if (t.outcome === null) baseline.findings.delete(key);
    else baseline.findings.set(key, { outcome: t.outcome, severity: t.severity });
  }
}
