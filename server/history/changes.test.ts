import { describe, expect, it } from 'vitest';
import { classifyChange } from './changes';
import { changesQuery, historyQuery } from './query';

describe('classifyChange', () => {
  it.each([
    [null, 'fail', 'new'],
    ['unknown', 'fail', 'new'],
    ['pass', 'fail', 'regressed'],
    ['waived', 'fail', 'regressed'],
    ['warn', 'fail', 'regressed'],
    ['fail', 'pass', 'fixed'],
    ['waived', 'pass', 'fixed'],
    ['fail', 'not-applicable', 'fixed'],
    ['fail', 'waived', 'waived'],
    // precision traps: none of these is news
    ['fail', 'fail', null],
    ['fail', 'warn', null],
    ['fail', 'unknown', null],
    ['pass', 'unknown', null],
    ['fail', null, null],
    [null, 'pass', null],
    ['pass', 'not-applicable', null],
  ] as const)('%s → %s is %s', (before, after, kind) => {
    expect(classifyChange(before, after)).toBe(kind);
  });
});

describe('history queries', () => {
  it('validates ids, times and kinds', () => {
    expect(historyQuery.safeParse({ pipeline: 'ns/a', since: '2026-01-01T00:00:00Z' }).success).toBe(true);
    expect(historyQuery.safeParse({ pipeline: '' }).success).toBe(false);
    expect(historyQuery.safeParse({ pipeline: 'a', since: 'yesterday' }).success).toBe(false);
    expect(changesQuery.parse({ kind: 'new,fixed' }).kind).toEqual(['new', 'fixed']);
    expect(changesQuery.safeParse({ kind: 'new,drop' }).success).toBe(false);
    expect(changesQuery.safeParse({ limit: '0' }).success).toBe(false);
  });
});
