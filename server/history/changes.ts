/** How a finding's outcome at the start of a window and at its end reads to people. Pure. */
import type { Outcome } from '../../lib/checks/types';

export const CHANGE_KINDS = ['new', 'regressed', 'fixed', 'waived'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const FAILING = new Set<Outcome>(['fail', 'warn']);
const GOOD = new Set<Outcome>(['pass', 'not-applicable']);

/**
 * `before` is the outcome in force when the window opened (null: the finding did not exist), `after` the one at its
 * end (null: it is gone). Only net changes count: a finding that failed, passed and failed again did not change.
 * - new: failing now, and before it did not exist or could not be evaluated (an `unknown` that turns out failing
 *   was most likely failing all along: it is news, not a regression);
 * - regressed: failing now after passing, not applying or being waived (an expired waiver), or warn → fail;
 * - fixed: passing or not applying now after failing, warning or being waived;
 * - waived: a waiver now covers it.
 * Anything else (fail → warn, → unknown, a finding that left with its pipeline) is not reported: losing sight of a
 * finding is not fixing it.
 */
export function classifyChange(before: Outcome | null, after: Outcome | null): ChangeKind | null {
  if (after === null || before === after) return null;
  if (after === 'waived') return 'waived';
  if (FAILING.has(after)) {
    if (before === null || before === 'unknown') return 'new';
    if (before === 'fail') return null;
    return 'regressed';
  }
  if (GOOD.has(after) && before !== null && (FAILING.has(before) || before === 'waived')) return 'fixed';
  return null;
}
