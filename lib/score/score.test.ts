import { describe, expect, it } from 'vitest';
import type { Outcome, Severity } from '../checks/types';
import { rollUp, scoreFindings } from './score';

const f = (severity: Severity, outcome: Outcome) => ({ severity, outcome });
const fails = (critical = 0, high = 0) => ({ critical, high });

describe('scoring formula', () => {
  it('weights pass and fail by severity; other outcomes stay out of the score', () => {
    const card = scoreFindings([f('critical', 'pass'), f('high', 'fail'), f('medium', 'warn'), f('low', 'unknown'), f('low', 'not-applicable'), f('medium', 'waived')]);
    expect(card.score).toBeCloseTo((100 * 10) / 17.5, 1);
    expect(card.coverage).toBeCloseTo(27.5 / 30); // waived counts as evaluated, not-applicable leaves both sides
    expect(card.outcomes).toMatchObject({ pass: 1, fail: 1, warn: 1, unknown: 1, 'not-applicable': 1, waived: 1 });
  });

  it('caps the grade: a failed critical at D, a failed high at B', () => {
    const many = Array.from({ length: 40 }, () => f('critical', 'pass'));
    expect(scoreFindings([...many, f('low', 'fail')]).grade).toBe('A');
    expect(scoreFindings([...many, f('high', 'fail')])).toMatchObject({ grade: 'B', cap: expect.stringContaining('B') });
    expect(scoreFindings([...many, f('critical', 'fail')])).toMatchObject({ grade: 'D', cap: expect.stringContaining('D') });
  });

  it('has no score without evaluated pass/fail, and marks low coverage incomplete', () => {
    expect(scoreFindings([f('high', 'unknown'), f('low', 'not-applicable')])).toMatchObject({ score: null, grade: null, coverage: 0 });
    const card = scoreFindings([f('low', 'pass'), f('critical', 'unknown')]);
    expect(card).toMatchObject({ score: 100, incomplete: true });
  });

  it('shows no letter under 80 % coverage: a 100 at 5 % coverage is no A', () => {
    const unknowns = Array.from({ length: 19 }, () => f('medium', 'unknown'));
    const card = scoreFindings([f('medium', 'pass'), ...unknowns]);
    expect(card.coverage).toBeCloseTo(0.05);
    expect(card).toMatchObject({ score: 100, grade: null, incomplete: true, cap: null });
  });

  it('gives the letter at exactly 80 % coverage, not just below', () => {
    const at = scoreFindings([...Array.from({ length: 4 }, () => f('medium', 'pass')), f('medium', 'unknown')]);
    expect(at).toMatchObject({ coverage: 0.8, grade: 'A', incomplete: false });
    const below = scoreFindings([...Array.from({ length: 3 }, () => f('medium', 'pass')), f('low', 'pass'), f('medium', 'unknown'), f('low', 'unknown')]);
    expect(below.coverage).toBeLessThan(0.8);
    expect(below.grade).toBeNull();
  });
});

describe('roll-ups', () => {
  it('is the mean of member scores weighted by runs, shown with its worst pipeline', () => {
    const r = rollUp([
      { id: 'a', score: 100, coverage: 1, totalRuns: 3 },
      { id: 'b', score: 50, coverage: 1, totalRuns: 1 },
      { id: 'c', score: null, coverage: 1, totalRuns: 0 },
    ]);
    expect(r.score).toBe(87.5);
    expect(r.worst?.id).toBe('b');
    expect(r.count).toBe(3);
  });

  it('is never better than the best grade its capped members allow: one member at D caps a green team at D', () => {
    const r = rollUp([
      { id: 'green-1', score: 100, coverage: 1, totalRuns: 50, failsBySeverity: fails() },
      { id: 'green-2', score: 100, coverage: 1, totalRuns: 50, failsBySeverity: fails() },
      { id: 'capped', score: 95, coverage: 1, totalRuns: 1, failsBySeverity: fails(1) },
    ]);
    expect(r.score).toBeGreaterThan(99);
    expect(r.grade).toBe('D');
    expect(r.cap).toContain('capped');
    // The capped member is the worst even though its score is the lowest only by a little.
    expect(r.worst?.id).toBe('capped');
  });

  it('takes the most lenient of its members\' caps (B and D → B)', () => {
    const r = rollUp([
      { id: 'b', score: 95, coverage: 1, totalRuns: 1, failsBySeverity: fails(0, 1) },
      { id: 'd', score: 96, coverage: 1, totalRuns: 1, failsBySeverity: fails(2, 0) },
    ]);
    expect(r.grade).toBe('B');
    expect(r.worst?.id).toBe('d');
  });

  it('leaves a grade the caps do not lower as it is, with no cap note', () => {
    const r = rollUp([
      { id: 'x', score: 50, coverage: 1, totalRuns: 1, failsBySeverity: fails(1) },
      { id: 'y', score: 60, coverage: 1, totalRuns: 1, failsBySeverity: fails() },
    ]);
    expect(r).toMatchObject({ score: 55, grade: 'F', cap: null });
  });

  it('counts a capped member whose own card is incomplete (its failures still stand)', () => {
    const r = rollUp([
      { id: 'a', score: 100, coverage: 1, totalRuns: 9, failsBySeverity: fails() },
      { id: 'b', score: 90, coverage: 0.5, totalRuns: 1, failsBySeverity: fails(1) },
    ]);
    expect(r.coverage).toBeCloseTo(0.95);
    expect(r.grade).toBe('D');
  });

  it('shows no letter under 80 % coverage and no score at 0 %', () => {
    const low = rollUp([
      { id: 'a', score: 100, coverage: 0.1, totalRuns: 1 },
      { id: 'b', score: 100, coverage: 0.2, totalRuns: 1 },
    ]);
    expect(low).toMatchObject({ score: 100, grade: null, incomplete: true });
    expect(low.worst).not.toBeNull();
    const none = rollUp([{ id: 'a', score: null, coverage: 0, totalRuns: 4 }]);
    expect(none).toMatchObject({ score: null, grade: null, incomplete: true, worst: null });
    expect(rollUp([])).toMatchObject({ score: null, grade: null, count: 0 });
  });

  it('never crashes on hostile run counts or coverages', () => {
    const r = rollUp([
      { id: 'a', score: 80, coverage: Number.NaN, totalRuns: Number.NaN },
      { id: 'b', score: 90, coverage: 1, totalRuns: -5 },
    ]);
    expect(r.score).toBe(85);
    expect(Number.isFinite(r.coverage)).toBe(true);
  });
});

describe('blind unknowns (data that could not be read)', () => {
  it('count as failed in the score and the caps, and as unknown everywhere else', () => {
    const seen = scoreFindings([
      { outcome: 'pass', severity: 'high' },
      { outcome: 'pass', severity: 'critical' },
    ]);
    const blind = scoreFindings([
      { outcome: 'pass', severity: 'high' },
      { outcome: 'unknown', severity: 'critical', blindedBy: ['ClusterRoleBinding'] },
    ]);
    const plainUnknown = scoreFindings([
      { outcome: 'pass', severity: 'high' },
      { outcome: 'unknown', severity: 'critical' },
    ]);
    expect(seen.score).toBe(100);
    expect(plainUnknown.score).toBe(100); // an ordinary unknown (no runs yet) leaves both sides
    expect(blind.score).toBe(42.9); // 7.5 / (7.5 + 10)
    expect(blind.failsBySeverity.critical).toBe(0);
    expect(blind.outcomes.unknown).toBe(1);
    expect(blind.coverage).toBeCloseTo(7.5 / 17.5, 5);
    const capped = scoreFindings([
      ...Array.from({ length: 30 }, () => ({ outcome: 'pass' as const, severity: 'high' as const })),
      { outcome: 'unknown', severity: 'critical', blindedBy: ['Role'] },
      ...Array.from({ length: 5 }, () => ({ outcome: 'pass' as const, severity: 'critical' as const })),
    ]);
    expect(capped.grade).toBe('D');
    expect(capped.cap).toBe('capped at D: a critical check fails (or could not be read)');
  });
});
