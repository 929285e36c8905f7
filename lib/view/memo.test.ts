import { describe, expect, it } from 'vitest';
import { memoByIdentity } from './memo';

describe('memoByIdentity', () => {
  it('computes once per key object and returns the same value', () => {
    let calls = 0;
    const total = memoByIdentity((xs: number[]) => {
      calls++;
      return xs.reduce((a, b) => a + b, 0);
    });
    const xs = [1, 2, 3];
    expect(total(xs)).toBe(6);
    expect(total(xs)).toBe(6);
    expect(calls).toBe(1);
    // An equal but different object is another state: computed afresh.
    expect(total([1, 2, 3])).toBe(6);
    expect(calls).toBe(2);
  });

  it('recomputes when a further argument differs', () => {
    let calls = 0;
    const top = memoByIdentity((xs: number[], limit: number, other: object) => {
      calls++;
      return xs.slice(0, limit).length + Object.keys(other).length;
    });
    const xs = [1, 2, 3];
    const o = {};
    top(xs, 2, o);
    top(xs, 2, o);
    expect(calls).toBe(1);
    expect(top(xs, 1, o)).toBe(1);
    expect(calls).toBe(2);
    top(xs, 1, {});
    expect(calls).toBe(3);
  });
});
