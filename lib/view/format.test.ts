import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeAgo } from './format';

const REPORT = '2026-11-22T12:00:00.000Z';

afterEach(() => {
  vi.useRealTimers();
});

describe('timeAgo', () => {
  it('measures against the report time', () => {
    expect(timeAgo('2026-11-22T11:57:00Z', REPORT)).toBe('3 minutes ago');
    expect(timeAgo('2026-11-22T11:59:00Z', REPORT)).toBe('1 minute ago');
    expect(timeAgo('2026-11-22T09:00:00Z', REPORT)).toBe('3 hours ago');
    expect(timeAgo('2026-11-15T12:00:00Z', REPORT)).toBe('7 days ago');
    expect(timeAgo('2026-11-22T11:59:40Z', REPORT)).toBe('just now');
    expect(timeAgo('2026-11-22T12:05:00Z', REPORT)).toBe('just now');
  });

  it('does not drift with the viewer clock', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2028-01-01T00:00:00Z'));
    expect(timeAgo('2026-11-22T11:57:00Z', REPORT)).toBe('3 minutes ago');
  });

  it('shows a dash for missing or invalid times', () => {
    expect(timeAgo(null, REPORT)).toBe('—');
    expect(timeAgo('2026-11-22T11:57:00Z', undefined)).toBe('—');
    expect(timeAgo('not a time', REPORT)).toBe('—');
  });
});
