import 'server-only';
import type { Outcome, Severity } from '../../lib/checks/types';
import type { Report } from '../../lib/report/types';
import { classifyChange, type ChangeKind } from './changes';
import { migrate } from './migrate';
import { applyDiff, diffSnapshot, emptyBaseline, findingKey, snapshotOf, storedId, type Baseline, type SnapshotDiff } from './snapshot';
import { isoOf, type SqlClient, type SqlRunner } from './sql';

/**
 * The posture history: one interface, one SQL, two engines (PGlite embedded by default, a PostgreSQL server for
 * fleets; `open.ts` picks one from the environment). A scan is recorded as what changed since the last one:
 * a score row per subject whose score, grade or coverage moved, a transition per finding whose outcome moved.
 */
export interface HistoryStore {
  readonly engine: SqlClient['engine'];
  readonly cluster: string;
  /** Records a scan at `at`; writes nothing when nothing changed. */
  record(report: Report, at?: Date): Promise<RecordResult>;
  /** A subject's score series since `since`, oldest first; the first point is the one in force at `since`. */
  history(query: { pipeline: string; since?: Date; limit?: number }): Promise<ScorePoint[]>;
  /** Net finding changes between `since` and `until` (default now), worst first. */
  changes(query: { since: Date; until?: Date; kinds?: readonly ChangeKind[]; pipeline?: string; limit?: number }): Promise<ChangesPage>;
  /** Drops what is older than the retention, keeping the row in force at the cutoff of every live key. */
  prune(now?: Date): Promise<{ scores: number; transitions: number }>;
  /** Bytes the history tables take (heap, indexes and TOAST). */
  storageBytes(): Promise<number>;
  close(): Promise<void>;
}

export interface RecordResult {
  scores: number;
  transitions: number;
  /** The cluster's first snapshot: its findings are the baseline, not changes. */
  baseline: boolean;
}

export interface ScorePoint {
  at: string;
  score: number | null;
  grade: string | null;
  coverage: number;
  /** false: the pipeline left the cluster at `at`. */
  present: boolean;
}

export interface FindingChange {
  kind: ChangeKind;
  pipelineId: string;
  checkId: string;
  severity: Severity;
  before: Outcome | null;
  after: Outcome;
  /** When the finding last changed in the window. */
  at: string;
}

export interface ChangesPage {
  since: string;
  until: string;
  counts: Record<ChangeKind, number>;
  /** Critical findings that are new or regressed (the overview's "N new critical"). */
  newCritical: number;
  changes: FindingChange[];
  truncated: boolean;
}

export interface StoreOptions {
  cluster: string;
  retentionDays: number;
  /** How often `record` prunes, at most (default hourly). */
  pruneEveryMs?: number;
}

// Bind parameters per statement stay far below PostgreSQL's limits and each statement short, so the event loop
// (PGlite runs in this thread) is given back between chunks of a first snapshot.
const CHUNK = 5_000;
const DAY_MS = 86_400_000;
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export async function createHistoryStore(db: SqlClient, opts: StoreOptions): Promise<HistoryStore> {
  await migrate(db);
  return new SqlHistoryStore(db, opts);
}

class SqlHistoryStore implements HistoryStore {
  readonly engine: SqlClient['engine'];
  readonly cluster: string;
  private baseline: Baseline | null = null;
  /** The cluster's generation the cached baseline matches; null: the cluster has never been recorded. */
  private generation: number | null = null;
  private lastAt = 0;
  private lastPrunedAt = 0;

  constructor(
    private readonly db: SqlClient,
    private readonly opts: StoreOptions,
  ) {
    this.engine = db.engine;
    this.cluster = opts.cluster;
  }

  async record(report: Report, at = new Date()): Promise<RecordResult> {
    // Rows of one key are ordered by time: two scans within one millisecond still get distinct, growing times.
    const time = Math.max(at.getTime(), this.lastAt + 1);
    const next = snapshotOf(report);
    const generation = await this.currentGeneration(this.db);
    if (this.baseline && generation === this.generation) {
      const diff = diffSnapshot(this.baseline, next);
      if (diff.scores.length === 0 && diff.transitions.length === 0) return { scores: 0, transitions: 0, baseline: false };
    }
    const result = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tekton-posture-history:${this.cluster}`]);
      const gen = await this.currentGeneration(tx);
      // Another writer (a replica of this cluster) wrote since our baseline was read: read it again.
      const baseline = this.baseline && gen === this.generation ? this.baseline : await this.loadBaseline(tx);
      const diff = diffSnapshot(baseline, next);
      const isBaseline = gen === null;
      if (diff.scores.length || diff.transitions.length) await this.writeDiff(tx, diff, new Date(time).toISOString(), isBaseline);
      const written = diff.scores.length || diff.transitions.length ? (gen ?? 0) + 1 : gen;
      if (written !== gen) {
        await tx.query(
          `INSERT INTO history_clusters (cluster, generation, last_written) VALUES ($1, $2, $3::timestamptz)
           ON CONFLICT (cluster) DO UPDATE SET generation = EXCLUDED.generation, last_written = EXCLUDED.last_written`,
          [this.cluster, written, new Date(time).toISOString()],
        );
      }
      return { baseline, diff, written, isBaseline };
    });
    // The cache follows the database only once the transaction committed.
    applyDiff(result.baseline, result.diff);
    this.baseline = result.baseline;
    this.generation = result.written;
    this.lastAt = time;
    if (time - this.lastPrunedAt >= (this.opts.pruneEveryMs ?? 3_600_000)) {
      this.lastPrunedAt = time;
      await this.prune(new Date(time));
    }
    return { scores: result.diff.scores.length, transitions: result.diff.transitions.length, baseline: result.isBaseline };
  }

  private async currentGeneration(q: SqlRunner): Promise<number | null> {
    const rows = await q.query<{ generation: number }>('SELECT generation FROM history_clusters WHERE cluster = $1', [this.cluster]);
    return rows.length ? Number(rows[0].generation) : null;
  }

  private async loadBaseline(q: SqlRunner): Promise<Baseline> {
    const baseline = emptyBaseline();
    const scores = await q.query<{ pipeline_id: string; score: number | null; grade: string | null; coverage: number; present: boolean }>(
      `SELECT DISTINCT ON (pipeline_id) pipeline_id, score, grade, coverage, present
       FROM score_history WHERE cluster = $1 ORDER BY pipeline_id, recorded_at DESC`,
      [this.cluster],
    );
    for (const r of scores) if (r.present) baseline.scores.set(r.pipeline_id, { score: r.score === null ? null : Number(r.score), grade: r.grade, coverage: Number(r.coverage) });
    const findings = await q.query<{ pipeline_id: string; check_id: string; outcome: Outcome | null; severity: Severity }>(
      `SELECT DISTINCT ON (pipeline_id, check_id) pipeline_id, check_id, outcome, severity
       FROM finding_transitions WHERE cluster = $1 ORDER BY pipeline_id, check_id, recorded_at DESC`,
      [this.cluster],
    );
    for (const r of findings) if (r.outcome !== null) baseline.findings.set(findingKey(r.pipeline_id, r.check_id), { outcome: r.outcome, severity: r.severity });
    return baseline;
  }

  private async writeDiff(tx: SqlRunner, diff: SnapshotDiff, at: string, isBaseline: boolean): Promise<void> {
    for (let i = 0; i < diff.scores.length; i += CHUNK) {
      const rows = diff.scores.slice(i, i + CHUNK);
      await tx.query(
        `INSERT INTO score_history (cluster, pipeline_id, recorded_at, score, grade, coverage, present)
         SELECT $1, p, $2::timestamptz, s, g, c, pr FROM unnest($3::text[], $4::float8[], $5::text[], $6::float8[], $7::boolean[]) AS t(p, s, g, c, pr)
         ON CONFLICT DO NOTHING`,
        [this.cluster, at, rows.map((r) => r.pipelineId), rows.map((r) => r.score), rows.map((r) => r.grade), rows.map((r) => r.coverage), rows.map((r) => r.present)],
      );
    }
    for (let i = 0; i < diff.transitions.length; i += CHUNK) {
      const rows = diff.transitions.slice(i, i + CHUNK);
      await tx.query(
        `INSERT INTO finding_transitions (cluster, pipeline_id, check_id, recorded_at, outcome, previous, severity, baseline)
         SELECT $1, p, c, $2::timestamptz, o, pr, s, $3 FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(p, c, o, pr, s)
         ON CONFLICT DO NOTHING`,
        [this.cluster, at, isBaseline, rows.map((r) => r.pipelineId), rows.map((r) => r.checkId), rows.map((r) => r.outcome), rows.map((r) => r.previous), rows.map((r) => r.severity)],
      );
    }
  }

  async history({ pipeline, since, limit = 2_000 }: { pipeline: string; since?: Date; limit?: number }): Promise<ScorePoint[]> {
    const from = (since ?? new Date(Date.now() - this.opts.retentionDays * DAY_MS)).toISOString();
    const rows = await this.db.query<{ recorded_at: unknown; score: number | null; grade: string | null; coverage: number; present: boolean }>(
      `(SELECT recorded_at, score, grade, coverage, present FROM score_history
         WHERE cluster = $1 AND pipeline_id = $2 AND recorded_at <= $3::timestamptz ORDER BY recorded_at DESC LIMIT 1)
       UNION ALL
       (SELECT recorded_at, score, grade, coverage, present FROM score_history
         WHERE cluster = $1 AND pipeline_id = $2 AND recorded_at > $3::timestamptz ORDER BY recorded_at DESC LIMIT $4)`,
      [this.cluster, storedId(pipeline), from, limit],
    );
    const points = rows.map((r) => ({ at: isoOf(r.recorded_at), score: r.score === null ? null : Number(r.score), grade: r.grade, coverage: Number(r.coverage), present: r.present }));
    points.sort((a, b) => a.at.localeCompare(b.at));
    // Past the limit the newest points are kept; the one in force at `since` is then no longer adjacent: drop it.
    return points.length > limit ? points.slice(points.length - limit) : points;
  }

  async changes(query: { since: Date; until?: Date; kinds?: readonly ChangeKind[]; pipeline?: string; limit?: number }): Promise<ChangesPage> {
    const since = query.since.toISOString();
    const until = (query.until ?? new Date()).toISOString();
    const limit = query.limit ?? 1_000;
    // Per key: the state when the window opened (the `previous` of its first row in the window: each row's
    // `previous` is the outcome of the row before it) and the state at its end (its last row). Baseline rows are
    // what was already there, not changes; keys without rows in the window did not change.
    const rows = await this.db.query<{ pipeline_id: string; check_id: string; before: Outcome | null; after: Outcome | null; severity: Severity; at: unknown }>(
      `SELECT DISTINCT ON (pipeline_id, check_id) pipeline_id, check_id,
              first_value(previous) OVER (PARTITION BY pipeline_id, check_id ORDER BY recorded_at ASC) AS before,
              outcome AS after, severity, recorded_at AS at
       FROM finding_transitions
       WHERE cluster = $1 AND recorded_at > $2::timestamptz AND recorded_at <= $3::timestamptz AND NOT baseline
         AND ($4::text IS NULL OR pipeline_id = $4::text)
       ORDER BY pipeline_id, check_id, recorded_at DESC`,
      [this.cluster, since, until, query.pipeline === undefined ? null : storedId(query.pipeline)],
    );
    const wanted = new Set<ChangeKind>(query.kinds ?? ['new', 'regressed', 'fixed', 'waived']);
    const counts: Record<ChangeKind, number> = { new: 0, regressed: 0, fixed: 0, waived: 0 };
    let newCritical = 0;
    const all: FindingChange[] = [];
    for (const r of rows) {
      const kind = classifyChange(r.before, r.after);
      if (!kind || r.after === null) continue;
      if ((kind === 'new' || kind === 'regressed') && r.after === 'fail' && r.severity === 'critical') newCritical++;
      if (!wanted.has(kind)) continue;
      counts[kind]++;
      all.push({ kind, pipelineId: r.pipeline_id, checkId: r.check_id, severity: r.severity, before: r.before, after: r.after, at: isoOf(r.at) });
    }
    all.sort(
      (a, b) =>
        (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
        b.at.localeCompare(a.at) ||
        a.pipelineId.localeCompare(b.pipelineId) ||
        a.checkId.localeCompare(b.checkId),
    );
    return { since, until, counts, newCritical, changes: all.slice(0, limit), truncated: all.length > limit };
  }

  async prune(now = new Date()): Promise<{ scores: number; transitions: number }> {
    const cutoff = new Date(now.getTime() - this.opts.retentionDays * DAY_MS).toISOString();
    return this.db.transaction(async (tx) => {
      // A row older than the cutoff goes when a newer row of its key is also older (it no longer says anything
      // about the retained window), or when it records a departure (the key is gone; the baseline agrees).
      const scores = await tx.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM score_history s WHERE s.cluster = $1 AND s.recorded_at < $2::timestamptz
             AND (NOT s.present OR EXISTS (SELECT 1 FROM score_history n WHERE n.cluster = s.cluster AND n.pipeline_id = s.pipeline_id
                                           AND n.recorded_at > s.recorded_at AND n.recorded_at < $2::timestamptz))
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [this.cluster, cutoff],
      );
      const transitions = await tx.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM finding_transitions t WHERE t.cluster = $1 AND t.recorded_at < $2::timestamptz
             AND (t.outcome IS NULL OR EXISTS (SELECT 1 FROM finding_transitions n WHERE n.cluster = t.cluster AND n.pipeline_id = t.pipeline_id
                                               AND n.check_id = t.check_id AND n.recorded_at > t.recorded_at AND n.recorded_at < $2::timestamptz))
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [this.cluster, cutoff],
      );
      await tx.query('UPDATE history_clusters SET last_pruned = $2::timestamptz WHERE cluster = $1', [this.cluster, now.toISOString()]);
      return { scores: Number(scores[0]?.n ?? 0), transitions: Number(transitions[0]?.n ?? 0) };
    });
  }

  async storageBytes(): Promise<number> {
    const rows = await this.db.query<{ bytes: string | number }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint::text AS bytes FROM pg_class c
       WHERE c.relname IN ('history_clusters', 'score_history', 'finding_transitions', 'schema_migrations') AND c.relkind = 'r'`,
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
