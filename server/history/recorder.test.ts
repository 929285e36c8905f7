import { afterEach, describe, expect, it, vi } from 'vitest';
import { historyConfig } from './config';
import { createHistoryRecorder } from './recorder';
import type { HistoryStore } from './store';
import { fakeReport } from './testing';

const quiet = { info: () => {}, warn: () => {}, error: vi.fn() };

function fakeStore(fail = 0) {
  const recorded: string[] = [];
  let failures = fail;
  const store = {
    engine: 'pglite',
    cluster: 'default',
    async record(report: { generatedAt: string }) {
      if (failures-- > 0) throw new Error('database down');
      recorded.push(report.generatedAt);
      return { scores: 1, transitions: 0, baseline: false };
    },
    close: async () => {},
  } as unknown as HistoryStore;
  return { store, recorded };
}

const reportAt = (n: number) => ({ ...fakeReport([]), generatedAt: `r${n}` });

describe('history recorder', () => {
  afterEach(() => vi.useRealTimers());

  it('writes a burst of publishes once, with the newest state, and at most once per interval', async () => {
    vi.useFakeTimers();
    const { store, recorded } = fakeStore();
    const rec = createHistoryRecorder({ config: historyConfig({}), open: async () => store, log: quiet });
    for (let i = 0; i < 50; i++) rec.recordPublished(reportAt(i));
    await vi.advanceTimersByTimeAsync(10);
    expect(recorded).toEqual(['r49']);
    rec.recordPublished(reportAt(50));
    rec.recordPublished(reportAt(51));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(recorded).toEqual(['r49']);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(recorded).toEqual(['r49', 'r51']);
  });

  it('logs a failed write and retries it with backoff, never throwing to the publisher', async () => {
    vi.useFakeTimers();
    const { store, recorded } = fakeStore(2);
    const log = { ...quiet, error: vi.fn() };
    const rec = createHistoryRecorder({ config: historyConfig({}), open: async () => store, log });
    expect(() => rec.recordPublished(reportAt(1))).not.toThrow();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log.error).toHaveBeenCalledTimes(2);
    expect(recorded).toEqual(['r1']);
  });

  it('reopens a store that failed to open, and reports none to readers meanwhile', async () => {
    vi.useFakeTimers();
    const { store, recorded } = fakeStore();
    let opens = 0;
    const rec = createHistoryRecorder({
      config: historyConfig({}),
      open: async () => {
        if (opens++ === 0) throw new Error('no server');
        return store;
      },
      log: quiet,
    });
    rec.recordPublished(reportAt(1));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(recorded).toEqual(['r1']);
    expect(await rec.store()).toBe(store);
  });
});

describe('history config', () => {
  it('defaults to embedded PGlite in memory, cluster default, 90 days', () => {
    const c = historyConfig({});
    expect([c.enabled, c.engine, c.dataDir, c.cluster, c.retentionDays, c.warnings]).toEqual([true, 'pglite', null, 'default', 90, []]);
  });
  it('uses PostgreSQL with a URL, and replaces bad values by defaults with a warning', () => {
    const c = historyConfig({ POSTURE_DATABASE_URL: 'postgres://u:p@h/db', POSTURE_HISTORY_DAYS: '-3', POSTURE_CLUSTER_NAME: 'a\nb' });
    expect([c.engine, c.retentionDays, c.cluster, c.warnings.length]).toEqual(['postgres', 90, 'default', 2]);
    expect(historyConfig({ POSTURE_HISTORY: 'off' }).enabled).toBe(false);
  });
});
