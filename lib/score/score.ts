import type { Finding, Outcome, Severity } from '../checks/types';

/**
 * The one scoring formula (ARCHITECTURE.md points here; the Checks page shows it):
 *
 *   score    = 100 × Σ weight(pass) / Σ weight(pass + fail + blind)  — warn, unknown, n/a, waived leave both sides
 *   blind    = an unknown the engine made because data could not be read (a 403, an unreachable or throttled
 *              apiserver: `Finding.blindedBy`). It counts as failed, in the score and in the caps, so losing read
 *              access can never raise a score or a grade: with the data the check passes or fails, and a fail is
 *              the worst it could be. It still counts as unknown everywhere else (outcomes, fails, coverage).
 *   coverage = Σ weight(evaluated) / Σ weight(applicable)             — evaluated = pass, fail, warn, waived;
 *                                                                      applicable = evaluated + unknown
 *   grade    = A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F; an unwaived failed critical caps it at D, a failed high at B
 *
 * Weights follow OpenSSF Scorecard: critical 10, high 7.5, medium 5, low 2.5.
 * Coverage gates the letter: under 80 % a card (pipeline, platform) or roll-up is "incomplete" and shows its score
 * but no grade (null: a 95 at 40 % coverage is no A); with nothing evaluated (coverage 0, or no pass/fail) there is
 * no score at all (null), never a 100.
 *
 * Roll-ups (namespace, team, cluster; `rollUp`):
 *   score    = Σ score(p) × runs(p) / Σ runs(p) over members with a score, runs(p) = max(1, totalRuns)
 *   coverage = the same run-weighted mean over every member (a member with no score counts with its coverage)
 *   grade    = gradeFor(score), never better than the best grade its capped members allow: each member with an
 *              unwaived failed critical allows at most D, one with a failed high at most B (whatever its own
 *              score); the roll-up is capped at the most lenient of those caps. Read literally: one member capped at
 *              D and the others uncapped caps the roll-up at D; members capped at B and at D cap it at B.
 *              No letter under 80 % coverage.
 *   worst    = the member with the lowest grade (capped; incomplete members by their score's grade), then lowest
 *              score; always shown beside the roll-up.
 */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };
export const INCOMPLETE_BELOW = 0.8;

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface ScoreCard {
  score: number | null;
  /** null when nothing was evaluated or coverage is under 80 % (incomplete). */
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
function better(a: Grade, b: Grade): Grade {
  return GRADE_ORDER.indexOf(a) <= GRADE_ORDER.indexOf(b) ? a : b;
}

/** The best grade a card with these failures may show: D with a failed critical, B with a failed high, else none. */
export function gradeCapFor(failsBySeverity: Pick<Record<Severity, number>, 'critical' | 'high'>): Grade | null {
  if (failsBySeverity.critical > 0) return 'D';
  if (failsBySeverity.high > 0) return 'B';
  return null;
}

/** gradeFor(score) lowered to the cap its failures allow, with the reason when the cap lowered it. */
function cappedGrade(score: number, capsBySeverity: Record<Severity, number>, failsBySeverity: Record<Severity, number> = capsBySeverity): { grade: Grade; cap: string | null } {
  const grade = gradeFor(score);
  const cap = gradeCapFor(capsBySeverity);
  if (cap === null || worse(grade, cap) === grade) return { grade, cap: null };
  const severity = cap === 'D' ? 'critical' : 'high';
  const unread = capsBySeverity[severity] > failsBySeverity[severity] ? ' (or could not be read)' : '';
  return { grade: cap, cap: cap === 'D' ? `capped at D: a critical check fails${unread}` : `capped at B: a high-severity check fails${unread}` };
}

export function emptyOutcomes(): Record<Outcome, number> {
  return { pass: 0, fail: 0, warn: 0, unknown: 0, 'not-applicable': 0, waived: 0 };
}

export function scoreFindings(findings: Pick<Finding, 'outcome' | 'severity' | 'blindedBy'>[]): ScoreCard {
  let passW = 0;
  let failW = 0;
  let evaluatedW = 0;
  let applicableW = 0;
  const outcomes = emptyOutcomes();
  const failsBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  // What the caps see: the failures plus the blind unknowns (see the file comment).
  const capsBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) {
    const w = SEVERITY_WEIGHT[f.severity];
    outcomes[f.outcome]++;
    if (f.outcome === 'not-applicable') continue;
    applicableW += w;
    if (f.outcome === 'unknown') {
      if (f.blindedBy?.length) {
        failW += w;
        capsBySeverity[f.severity]++;
      }
      continue;
    }
    evaluatedW += w;
    if (f.outcome === 'pass') passW += w;
    if (f.outcome === 'fail') {
      failW += w;
      failsBySeverity[f.severity]++;
      capsBySeverity[f.severity]++;
    }
  }
  const coverage = applicableW === 0 ? 0 : evaluatedW / applicableW;
  if (passW + failW === 0 || coverage === 0) {
    return { score: null, grade: null, coverage, incomplete: true, cap: null, outcomes, failsBySeverity };
  }
  const score = Math.round((1000 * passW) / (passW + failW)) / 10;
  const incomplete = coverage < INCOMPLETE_BELOW;
  const { grade, cap } = cappedGrade(score, capsBySeverity, failsBySeverity);
  return { score, grade: incomplete ? null : grade, coverage, incomplete, cap: incomplete ? null : cap, outcomes, failsBySeverity };
}

/** What a roll-up reads of each member (a PipelineReport fits). */
export interface RollUpMember {
  id: string;
  score: number | null;
  coverage: number;
  totalRuns: number;
  /** Unwaived failures by severity: a failed critical or high caps the roll-up (see the file comment). */
  failsBySeverity?: Pick<Record<Severity, number>, 'critical' | 'high'>;
}

export interface RollUp<T> {
  score: number | null;
  grade: Grade | null;
  coverage: number;
  incomplete: boolean;
  /** Why the grade is lower than the score alone gives (the members' caps), or null. */
  cap: string | null;
  /** The member the roll-up is always shown with: lowest capped grade, then lowest score; null when none is scored. */
  worst: T | null;
  count: number;
}

function runWeight(m: RollUpMember): number {
  return Math.max(1, Number.isFinite(m.totalRuns) ? m.totalRuns : 0);
}

/** A member's grade for ranking the worst: its score's grade under its own cap (also when incomplete). */
function memberRankGrade(m: RollUpMember): Grade {
  const g = gradeFor(m.score as number);
  const cap = m.failsBySeverity ? gradeCapFor(m.failsBySeverity) : null;
  return cap ? worse(g, cap) : g;
}

/** Roll-up of several pipelines (namespace, team, cluster), by the rules in the file comment. */
export function rollUp<T extends RollUpMember>(items: T[]): RollUp<T> {
  const scored = items.filter((i) => i.score !== null);
  let coverageSum = 0;
  let coverageWeights = 0;
  for (const i of items) {
    coverageSum += (Number.isFinite(i.coverage) ? i.coverage : 0) * runWeight(i);
    coverageWeights += runWeight(i);
  }
  const coverage = coverageWeights === 0 ? 0 : coverageSum / coverageWeights;
  if (scored.length === 0 || coverage === 0) {
    return { score: null, grade: null, coverage, incomplete: true, cap: null, worst: null, count: items.length };
  }
  let sum = 0;
  let weights = 0;
  for (const i of scored) {
    sum += (i.score as number) * runWeight(i);
    weights += runWeight(i);
  }
  const score = Math.round((10 * sum) / weights) / 10;
  const worst = scored.reduce((a, b) => {
    const ga = GRADE_ORDER.indexOf(memberRankGrade(a));
    const gb = GRADE_ORDER.indexOf(memberRankGrade(b));
    if (gb !== ga) return gb > ga ? b : a;
    if ((b.score as number) !== (a.score as number)) return (b.score as number) < (a.score as number) ? b : a;
    return b.id < a.id ? b : a;
  });

  let memberCap: Grade | null = null;
  const cappedBy: string[] = [];
  for (const i of scored) {
    const c = i.failsBySeverity ? gradeCapFor(i.failsBySeverity) : null;
    if (c === null) continue;
    memberCap = memberCap === null ? c : better(memberCap, c);
    cappedBy.push(i.id);
  }
  let grade = gradeFor(score);
  let cap: string | null = null;
  if (memberCap !== null && worse(grade, memberCap) !== grade) {
    grade = memberCap;
    const shown = cappedBy.slice(0, 3).join(', ') + (cappedBy.length > 3 ? ` and ${cappedBy.length - 3} more` : '');
    cap = `capped at ${memberCap}: ${cappedBy.length === 1 ? 'a member is' : 'members are'} capped (${shown})`;
  }
  const incomplete = coverage < INCOMPLETE_BELOW;
  return { score, grade: incomplete ? null : grade, coverage, incomplete, cap: incomplete ? null : cap, worst, count: items.length };
}
