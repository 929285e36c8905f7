/**
 * The history store's behaviour, run against every engine: PGlite in memory (store.test.ts, unit) and a real
 * PostgreSQL server (store.integration.test.ts). `freshDb` must hand out an empty database each call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from './migrate';
import type { SqlClient } from './sql';
import { createHistoryStore } from './store';
import { fakeReport } from './testing';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const DAY = 24 * 60;

export function storeSuite(label: string, freshDb: () => Promise<SqlClient>): void {
  describe(`history store on ${label}`, () => {
    const open: SqlClient[] = [];
    const db = async () => {
      const d = await freshDb();
      open.push(d);
      return d;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((d) => d.close().catch(() => {})));
    });
    const store = async (d: SqlClient, cluster = 'c1', retentionDays = 90) => createHistoryStore(d, { cluster, retentionDays, pruneEveryMs: Number.MAX_SAFE_INTEGER });

    it('applies the migrations once, in order, and records them', async () => {
      const d = await db();
      await store(d);
      const rows = await d.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
      expect((await migrate(d)).applied).toEqual([]);
    });

    it('refuses a migration whose file changed after it was applied, and rolls back a failing one', async () => {
      const d = await db();
      const ms = readMigrations();
      await migrate(d, ms);
      await expect(migrate(d, [{ ...ms[0], checksum: 'changed' }])).rejects.toThrow(/changed after it was applied/);
      const broken = { version: 999, name: '999_broken.sql', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();', checksum: 'x' };
      await expect(migrate(d, [...ms, broken])).rejects.toThrow();
      expect(await d.query("SELECT 1 FROM pg_class WHERE relname = 'half_done'")).toEqual([]);
      expect(await d.query('SELECT 1 FROM schema_migrations WHERE version = 999')).toEqual([]);
    });

    it('records the first scan as a baseline, not as changes, and writes nothing for an unchanged scan', async () => {
      const s = await store(await db());
      const report = fakeReport([{ id: 'ns/a', findings: { 'SEC-001': ['fail', 'critical'], 'SUP-001': 'pass' } }]);
      expect(await s.record(report, at(0))).toEqual({ scores: 3, transitions: 2, baseline: true });
      expect(await s.record(report, at(5))).toEqual({ scores: 0, transitions: 0, baseline: false });
      const changes = await s.changes({ since: at(-1), until: at(10) });
      expect(changes.changes).toEqual([]);
      expect(changes.newCritical).toBe(0);
    });

    it('appends a transition only for the finding that changed, and reports net changes in a window', async () => {
      const s = await store(await db());
      await s.record(fakeReport([{ id: 'ns/a', findings: { 'SEC-001': ['fail', 'critical'], 'SUP-001': 'pass', 'STP-001': 'fail' } }]), at(0));
      const r = await s.record(fakeReport([{ id: 'ns/a', score: 80, findings: { 'SEC-001': ['pass', 'critical'], 'SUP-001': 'pass', 'STP-001': 'fail' } }]), at(10));
      expect(r).toEqual({ scores: 1, transitions: 1, baseline: false });
      const c = await s.changes({ since: at(5), until: at(20) });
      expect(c.changes).toEqual([{ kind: 'fixed', pipelineId: 'ns/a', checkId: 'SEC-001', severity: 'critical', before: 'fail', after: 'pass', at: at(10).toISOString() }]);
      expect(c.counts).toEqual({ new: 0, regressed: 0, fixed: 1, waived: 0 });
      // A window that starts before the baseline still sees the change after it.
      expect((await s.changes({ since: at(-5), until: at(20) })).counts.fixed).toBe(1);
      // A window after the change sees nothing.
      expect((await s.changes({ since: at(11), until: at(20) })).changes).toEqual([]);
    });

    it('classifies new, regressed, waived and leaves flaps, unknowns and departures out', async () => {
      const s = await store(await db());
      await s.record(
        fakeReport([
          { id: 'ns/a', findings: { FLAP: 'fail', REG: 'pass', WAIV: 'fail', BLIND: 'fail', EXP: 'waived', SEEN: 'unknown' } },
          { id: 'ns/gone', findings: { X: 'fail' } },
        ]),
        at(0),
      );
      await s.record(fakeReport([{ id: 'ns/a', findings: { FLAP: 'pass', REG: 'pass', WAIV: 'fail', BLIND: 'fail', EXP: 'waived', SEEN: 'unknown' } }]), at(10));
      await s.record(
        fakeReport([
          { id: 'ns/a', findings: { FLAP: 'fail', REG: ['fail', 'critical'], WAIV: 'waived', BLIND: 'unknown', EXP: 'fail', SEEN: ['fail', 'critical'] } },
          { id: 'ns/new', findings: { Y: ['fail', 'critical'], Z: 'pass' } },
        ]),
        at(20),
      );
      const c = await s.changes({ since: at(5), until: at(30) });
      const kinds = Object.fromEntries(c.changes.map((x) => [`${x.pipelineId} ${x.checkId}`, x.kind]));
      expect(kinds).toEqual({ 'ns/a REG': 'regressed', 'ns/a WAIV': 'waived', 'ns/a EXP': 'regressed', 'ns/a SEEN': 'new', 'ns/new Y': 'new' });
      expect(c.newCritical).toBe(3);
      expect(c.changes[0].severity).toBe('critical');
      const only = await s.changes({ since: at(5), until: at(30), kinds: ['waived'] });
      expect(only.changes.map((x) => x.checkId)).toEqual(['WAIV']);
      const limited = await s.changes({ since: at(5), until: at(30), limit: 2 });
      expect(limited.changes).toHaveLength(2);
      expect(limited.truncated).toBe(true);
    });

    it('gives a score series whose first point is the one in force at since, and marks departures', async () => {
      const s = await store(await db());
      await s.record(fakeReport([{ id: 'ns/a', score: 40, findings: {} }]), at(0));
      await s.record(fakeReport([{ id: 'ns/a', score: 60, findings: {} }]), at(10));
      await s.record(fakeReport([{ id: 'ns/a', score: 60, findings: {} }]), at(20));
      await s.record(fakeReport([{ id: 'ns/a', score: null, findings: {} }]), at(30));
      await s.record(fakeReport([]), at(40));
      const points = await s.history({ pipeline: 'ns/a', since: at(15) });
      expect(points.map((p) => [p.at, p.score, p.present])).toEqual([
        [at(10).toISOString(), 60, true],
        [at(30).toISOString(), null, true],
        [at(40).toISOString(), null, false],
      ]);
      expect(await s.history({ pipeline: 'ns/none', since: at(0) })).toEqual([]);
      expect((await s.history({ pipeline: 'ns/a', since: at(-1), limit: 2 })).map((p) => p.at)).toEqual([at(30).toISOString(), at(40).toISOString()]);
    });

    it('picks up where it left off after a restart, and keeps clusters of a fleet apart', async () => {
      const d = await db();
      const report = fakeReport([{ id: 'ns/a', findings: { A: 'fail', B: 'pass' } }]);
      await (await store(d, 'east')).record(report, at(0));
      expect(await (await store(d, 'east')).record(report, at(10))).toEqual({ scores: 0, transitions: 0, baseline: false });
      const west = await store(d, 'west');
      expect((await west.record(report, at(10))).baseline).toBe(true);
      expect(await west.history({ pipeline: 'ns/a', since: at(-1) })).toHaveLength(1);
      const rows = await d.query<{ cluster: string; n: number }>('SELECT cluster, count(*)::int AS n FROM finding_transitions GROUP BY cluster ORDER BY cluster');
      expect(rows).toEqual([{ cluster: 'east', n: 2 }, { cluster: 'west', n: 2 }]);
    });

    it('notices another writer of the same cluster and does not write its rows twice', async () => {
      const d = await db();
      const one = await store(d);
      const two = await store(d);
      await one.record(fakeReport([{ id: 'ns/a', findings: { A: 'fail' } }]), at(0));
      await two.record(fakeReport([{ id: 'ns/a', findings: { A: 'fail' } }]), at(1));
      await one.record(fakeReport([{ id: 'ns/a', findings: { A: 'pass' } }]), at(2));
      expect(await two.record(fakeReport([{ id: 'ns/a', findings: { A: 'pass' } }]), at(3))).toEqual({ scores: 0, transitions: 0, baseline: false });
      expect(await d.query('SELECT outcome FROM finding_transitions ORDER BY recorded_at')).toEqual([{ outcome: 'fail' }, { outcome: 'pass' }]);
    });

    it('prunes past the retention but keeps what is in force, so nothing reads as new afterwards', async () => {
      const d = await db();
      const s = await store(d, 'c1', 7);
      await s.record(fakeReport([{ id: 'ns/a', score: 10, findings: { A: 'fail', B: 'fail' } }, { id: 'ns/old', findings: { C: 'fail' } }]), at(0));
      await s.record(fakeReport([{ id: 'ns/a', score: 20, findings: { A: 'pass', B: 'fail' } }]), at(DAY));
      await s.record(fakeReport([{ id: 'ns/a', score: 30, findings: { A: 'fail', B: 'fail' } }]), at(2 * DAY));
      const pruned = await s.prune(at(30 * DAY));
      expect(pruned.scores).toBeGreaterThan(0);
      expect(pruned.transitions).toBeGreaterThan(0);
      const left = await d.query<{ pipeline_id: string; check_id: string; outcome: string }>('SELECT pipeline_id, check_id, outcome FROM finding_transitions ORDER BY pipeline_id, check_id');
      expect(left).toEqual([
        { pipeline_id: 'ns/a', check_id: 'A', outcome: 'fail' },
        { pipeline_id: 'ns/a', check_id: 'B', outcome: 'fail' },
      ]);
      const again = await store(d, 'c1', 7);
      expect(await again.record(fakeReport([{ id: 'ns/a', score: 30, findings: { A: 'fail', B: 'fail' } }]), at(30 * DAY))).toEqual({ scores: 0, transitions: 0, baseline: false });
      expect((await again.history({ pipeline: 'ns/a', since: at(29 * DAY) })).map((p) => p.score)).toEqual([30]);
    });

    it('writes a snapshot larger than one statement chunk, and stores hostile ids as text', async () => {
      const s = await store(await db());
      const findings = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`C-${i}`, i % 3 === 0 ? ('fail' as const) : ('pass' as const)]));
      const pipelines = Array.from({ length: 120 }, (_, i) => ({ id: `ns-${i % 7}/p-${i}`, findings }));
      pipelines.push({ id: "ns/'; DROP TABLE score_history; --\u0000\u202e名", findings: { A: 'fail' } });
      const r = await s.record(fakeReport(pipelines), at(0));
      expect(r.transitions).toBe(120 * 60 + 1);
      expect(await s.history({ pipeline: "ns/'; DROP TABLE score_history; --\u0000\u202e名", since: at(-1) })).toHaveLength(1);
      expect(await s.storageBytes()).toBeGreaterThan(0);
    });
  });
}
