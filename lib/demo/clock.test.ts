import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePolicy } from '../policy/parse';
import type { Report } from '../report/types';
import { demoPolicyText, demoSnapshotDir, scanDemo } from '../../server/sources/demo';
import { DEMO_SNAPSHOT_TIME } from './clock';

const YEAR_MS = 365 * 24 * 3600 * 1000;

function snapshotTimes(dir: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...snapshotTimes(p));
    else if (/\.ya?ml$/.test(entry.name)) {
      for (const m of readFileSync(p, 'utf8').matchAll(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g)) out.push(Date.parse(m[0]));
    }
  }
  return out;
}

/** Everything a verdict is made of, without the report time itself. */
function verdicts(r: Report) {
  return {
    summary: r.summary,
    platform: r.platform,
    pipelines: r.pipelines.map((p) => ({ id: p.id, score: p.score, grade: p.grade, coverage: p.coverage, findings: p.findings })),
  };
}

const demoPolicy = () => parsePolicy(demoPolicyText() ?? '', 'lib/demo/policy.yaml');
const finding = (r: Report, pipeline: string, checkId: string) => r.pipelines.find((p) => p.id === pipeline)?.findings.find((f) => f.checkId === checkId);

afterEach(() => {
  vi.useRealTimers();
});

describe('the demo clock', () => {
  it('is just after the newest timestamp in the snapshot', () => {
    const newest = Math.max(...snapshotTimes(demoSnapshotDir()));
    const snapshot = Date.parse(DEMO_SNAPSHOT_TIME);
    expect(snapshot).toBeGreaterThanOrEqual(newest);
    expect(snapshot - newest).toBeLessThan(10 * 60_000);
  });

  it('scores the demo at the snapshot time whatever the calendar says', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(DEMO_SNAPSHOT_TIME) + 60_000);
    const atSnapshot = scanDemo(demoPolicy()).report;
    vi.setSystemTime(Date.parse(DEMO_SNAPSHOT_TIME) + YEAR_MS);
    const aYearLater = scanDemo(demoPolicy()).report;
    expect(aYearLater.generatedAt).toBe(DEMO_SNAPSHOT_TIME);
    expect(verdicts(aYearLater)).toEqual(verdicts(atSnapshot));
  });

  it('keeps the verdicts the demo README documents for time-based checks', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(DEMO_SNAPSHOT_TIME) + YEAR_MS);
    const r = scanDemo(demoPolicy()).report;
    // 8x7kq finished 3 minutes before the snapshot: Chains has it pending, which is not a failure
    expect(finding(r, 'web-ci/web-frontend-pr', 'SUP-005')?.outcome).not.toBe('fail');
    expect(finding(r, 'data-ci/ml-model-train', 'SUP-005')?.outcome).toBe('fail');
    expect(r.platform.findings.find((f) => f.checkId === 'PLT-009')?.outcome).toBe('pass');
  });

  it("gives way to a now: the user's policy pins", () => {
    const later = '2026-12-22T12:00:00.000Z';
    const r = scanDemo({ ...demoPolicy(), now: later }).report;
    expect(r.generatedAt).toBe(later);
    // a month on, the run that was "3 minutes ago" is a month old and unsigned
    expect(finding(r, 'web-ci/web-frontend-pr', 'SUP-005')?.outcome).toBe('fail');
  });
});
