import { describe, expect, it } from 'vitest';
import type { Outcome, Severity } from '../checks/types';
import { rollUp, scoreFindings } from './score';

const f = (severity: Severity, outcome: Outcome) => ({ severity, outcome });

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

  it('rolls up by run frequency and names the worst pipeline', () => {
    const r = rollUp([
      { id: 'a', score: 100, coverage: 1, totalRuns: 3 },
      { id: 'b', score: 50, coverage: 0.5, totalRuns: 1 },
      { id: 'c', score: null, coverage: 0, totalRuns: 9 },
    ]);
    expect(r.score).toBe(87.5);
    expect(r.worst?.id).toBe('b');
    expect(r.count).toBe(3);
  });
});
