/**
 * Losing read access never improves a verdict, a score or a grade (issue: revoking VerificationPolicy raised the
 * cluster from F 59.8 to D 61.0). For every kind the engine reads, the demo scored with that kind unreadable is
 * compared with the full-data report: each finding is the same or unknown, and no score or grade is better.
 */
import { describe, expect, it } from 'vitest';
import { KINDS } from '../kinds';
import { defaultPolicy } from '../policy/defaults';
import { parsePolicy } from '../policy/parse';
import type { Grade } from '../score/score';
import { demoPolicyText, loadDemo } from '../../server/sources/demo';
import { scan } from './scan';

const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'F'];
const rank = (g: Grade | null) => (g === null ? -1 : GRADES.indexOf(g));

describe('data loss never raises a verdict, a score or a grade', () => {
  const text = demoPolicyText();
  const policy = text ? parsePolicy(text, 'demo') : defaultPolicy();
  const pinned = { ...policy, now: '2026-11-22T12:00:00Z' };
  const { objects } = loadDemo();
  const full = scan({ objects, policy: pinned, source: { kind: 'live' } }).report;
  for (const kind of KINDS.map((k) => k.kind)) {
    it(`with ${kind} unreadable`, () => {
      const kept = objects.filter((o) => o.kind !== kind);
      const gap = scan({ objects: kept, policy: pinned, source: { kind: 'live' }, gaps: [{ kind, namespace: null, reason: 'forbidden', message: `${kind} is forbidden` }] }).report;
      expect(gap.summary.incomplete).toBe(true);
      for (const p of full.pipelines) {
        const q = gap.pipelines.find((x) => x.id === p.id);
        if (!q) continue; // a pipeline known only through an unreadable kind: reported as a gap
        for (const f of p.findings) {
          const g = q.findings.find((x) => x.checkId === f.checkId)!;
          expect([f.outcome, 'unknown'], `${p.id} ${f.checkId}: ${f.outcome} → ${g.outcome} (${g.message})`).toContain(g.outcome);
        }
        if (p.score !== null && q.score !== null) expect(q.score, `${p.id} score`).toBeLessThanOrEqual(p.score);
        if (p.grade !== null && q.grade !== null) expect(rank(q.grade), `${p.id} grade ${p.grade} → ${q.grade}`).toBeGreaterThanOrEqual(rank(p.grade));
      }
      if (full.summary.score !== null && gap.summary.score !== null) expect(gap.summary.score).toBeLessThanOrEqual(full.summary.score);
      if (full.platform.score !== null && gap.platform.score !== null) expect(gap.platform.score).toBeLessThanOrEqual(full.platform.score);
    });
  }
});
