import { describe, expect, it } from 'vitest';
import { sparklinePath } from './sparkline';

const T = Date.parse('2026-01-01T00:00:00Z');
const iso = (h: number) => new Date(T + h * 3_600_000).toISOString();

describe('sparklinePath', () => {
  it('draws each score until the next change, the last one until now', () => {
    expect(sparklinePath([{ at: iso(0), score: 50 }, { at: iso(1), score: 100 }], T + 2 * 3_600_000, 100, 20)).toBe('M0.0 10.0H50.0M50.0 0.0H100.0');
  });
  it('leaves a gap where there is no score, and draws nothing without points', () => {
    expect(sparklinePath([{ at: iso(0), score: null }, { at: iso(1), score: 0 }], T + 2 * 3_600_000, 100, 20)).toBe('M50.0 20.0H100.0');
    expect(sparklinePath([], T, 100, 20)).toBe('');
  });
  it('clamps scores and a point older than the box', () => {
    expect(sparklinePath([{ at: iso(0), score: 150 }], T, 10, 10)).toBe('M0.0 0.0H0.0');
  });
});
