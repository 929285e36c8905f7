import type { Finding, Outcome, Severity } from '../checks/types';

/**
 * The one scoring formula (documented in ARCHITECTURE.md and shown on the Checks page):
 *
 *   score    = 100 × Σ weight(pass) / Σ weight(pass + fail)          — warn, unknown, n/a, waived leave both sides
 *   coverage = Σ weight(evaluated) / Σ weight(applicable)             — evaluated = pass, fail, warn, waived;
 *                                                                      applicable = evaluated + unknown
 *   grade    = A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F; an unwaived failed critical caps it at D, a failed high at B
 *
 * Weights follow OpenSSF Scorecard: critical 10, high 7.5, medium 5, low 2.5. Under 80 % coverage the score is
 * marked incomplete; with nothing evaluated there is no score at all (null), never a 100.
 */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };
export const INCOMPLETE_BELOW = 0.8;

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface ScoreCard {
  score: number | null;
  grade: Grade | null;
  coverage: number;
  incomplete: boolean;
  /** Why the grade is lower than the score alone gives, e.g. "capped at D: a critical check fails". */
  cap: string | null;
  outcomes: Record<Outcome, number>;
  failsBySeverity: Record<Severity, number>;
}

export function gradeFor(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

const GRADE_ORDER: Grade[] = ['A', 'B', 'C', 'D', 'F'];
function worse(a: Grade, b: Grade): Grade {
  return GRADE_ORDER.indexOf(a) >= GRADE_ORDER.indexOf(b) ? a : b;
}

export function emptyOutcomes(): Record<Outcome, number> {
  return { pass: 0, fail: 0, warn: 0, unknown: 0, 'not-applicable': 0, waived: 0 };
}

export function scoreFindings(findings: Pick<Finding, 'outcome' | 'severity'>[]): ScoreCard {
  let passW = 0;
  let failW = 0;
  let evaluatedW = 0;
  let applicableW = 0;
  const outcomes = emptyOutcomes();
  const failsBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) {
    const w = SEVERITY_WEIGHT[f.severity];
    outcomes[f.outcome]++;
    if (f.outcome === 'not-applicable') continue;
    applicableW += w;
    if (f.outcome === 'unknown') continue;
    evaluatedW += w;
    if (f.outcome === 'pass') passW += w;
    if (f.outcome === 'fail') {
      failW += w;
      failsBySeverity[f.severity]++;
    }
  }
  const coverage = applicableW === 0 ? 0 : evaluatedW / applicableW;
  if (passW + failW === 0) {
    return { score: null, grade: null, coverage, incomplete: true, cap: null, outcomes, failsBySeverity };
  }
  const score = Math.round((1000 * passW) / (passW + failW)) / 10;
  let grade = gradeFor(score);
  let cap: string | null = null;
  if (failsBySeverity.critical > 0 && worse(grade, 'D') !== grade) {
    grade = 'D';
    cap = 'capped at D: a critical check fails';
  } else if (failsBySeverity.high > 0 && worse(grade, 'B') !== grade) {
    grade = 'B';
    cap = 'capped at B: a high-severity check fails';
  }
  return { score, grade, coverage, incomplete: coverage < INCOMPLETE_BELOW, cap, outcomes, failsBySeverity };
}

/**
 * Roll-up of several pipelines (namespace, team, cluster): the mean of their scores weighted by how often they
 * run (a pipeline with no runs in sight weighs as one run), shown with the worst pipeline.
 */
export function rollUp<T extends { score: number | null; coverage: number; totalRuns: number; id: string }>(
  items: T[],
): { score: number | null; grade: Grade | null; coverage: number; worst: T | null; count: number } {
  const scored = items.filter((i) => i.score !== null);
  if (scored.length === 0) {
    return { score: null, grade: null, coverage: 0, worst: null, count: items.length };
  }
  let sum = 0;
  let weights = 0;
  for (const i of scored) {
    const w = Math.max(1, i.totalRuns);
    sum += (i.score as number) * w;
    weights += w;
  }
  const score = Math.round((10 * sum) / weights) / 10;
  const coverage = items.reduce((n, i) => n + i.coverage, 0) / items.length;
  const worst = scored.reduce((a, b) => ((b.score as number) < (a.score as number) ? b : a));
  return { score, grade: gradeFor(score), coverage, worst, count: items.length };
}
