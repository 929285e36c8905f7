/**
 * `/metrics` in the Prometheus text exposition format (version 0.0.4), rendered from the engine state. Pure: the
 * route handler (app/metrics/route.ts) gathers the inputs (state, live-source stats, the clock) and calls
 * `renderMetrics`.
 *
 * Label values come from the cluster (namespace, pipeline and team names are attacker-controlled strings): they are
 * escaped as the format requires (backslash, double quote, line feed) so that no value can end a label, start a new
 * series or inject a comment line.
 *
 * Series (all gauges unless noted):
 *   tekton_posture_up                                 1 once the first scan is published
 *   tekton_posture_data_ready                         1 when the first sync is done, 0 before
 *   tekton_posture_data_stale                         1 while the live source cannot reach the API server
 *   tekton_posture_source_info{kind}                  1 (live | files | demo)
 *   tekton_posture_pipelines                          pipelines scored
 *   tekton_posture_cluster_score                      roll-up score 0..100 (absent when no pipeline has a score)
 *   tekton_posture_platform_score                     platform checks score 0..100 (absent when none applies)
 *   tekton_posture_pipeline_score{namespace,pipeline,team}          0..100 (absent for unscored pipelines)
 *   tekton_posture_pipeline_grade{namespace,pipeline,team,grade}    1
 *   tekton_posture_findings{check,outcome,severity}   number of findings (pipelines and platform)
 *   tekton_posture_objects{kind}                      objects held, by kind
 *   tekton_posture_data_gaps{kind,reason}             kinds (per namespace) that could not be read
 *   tekton_posture_watch_restarts_total               counter: watches restarted (live)
 *   tekton_posture_rescans_total{type}                counter: full / incremental re-scores (live)
 *   tekton_posture_last_event_age_seconds             seconds since the last watch event (live, once one arrived)
 *   tekton_posture_scan_duration_seconds              duration of the last (re-)score, when known
 */
import { namespaceSegment } from '../model/types';
import type { Report } from '../report/types';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What the live source reports (a structural subset of server/live/source.ts `LiveStats`). */
export interface LiveStatsLike {
  objectsByKind: Record<string, number>;
  watchRestarts: number;
  lastEventAt: string | null;
  rescans?: { full: number; incremental: number; lastMs: number };
}

export interface MetricsInput {
  /** The published report; null before the first scan (only the liveness series are rendered then). */
  report: Report | null;
  ready: boolean;
  stale: boolean;
  /** Objects held by kind; for static sources count the model's objects (`countByKind`). */
  objectsByKind: Record<string, number>;
  /** Present for the live source only. */
  live?: LiveStatsLike | null;
  /** Duration of the last scan or re-score in seconds, when known (the live source's `rescans.lastMs / 1000`). */
  scanDurationSeconds?: number | null;
  /** Clock in milliseconds (Date.now()), for ages. */
  now: number;
}

/** Escapes a label value: `\` → `\\`, `"` → `\"`, line feed → `\n` (exposition format 0.0.4). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: `\` → `\\`, line feed → `\n`. */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the format writes it (`NaN`, `+Inf`, `-Inf`, else the shortest decimal). */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function labels(l: Record<string, string> | undefined): string {
  if (!l) return '';
  const keys = Object.keys(l);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(l[k])}"`).join(',')}}`;
}

type Sample = { labels?: Record<string, string>; value: number };

/** Builds the exposition text family by family; families without samples are left out. */
export class MetricsWriter {
  private readonly out: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: Sample[]): this {
    if (samples.length === 0) return this;
    this.out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const s of samples) this.out.push(`${name}${labels(s.labels)} ${formatValue(s.value)}`);
    return this;
  }

  text(): string {
    return this.out.length === 0 ? '' : `${this.out.join('\n')}\n`;
  }
}

/** Counts objects by kind (static sources: the model's objects). */
export function countByKind(objects: readonly { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
}

const sortedEntries = <T>(m: Map<string, T> | Record<string, T>): [string, T][] =>
  (m instanceof Map ? [...m.entries()] : Object.entries(m)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function renderMetrics(input: MetricsInput): string {
  const w = new MetricsWriter();
  const { report } = input;
  w.family('tekton_posture_up', 'gauge', 'Whether the engine has published a scan (1) or not yet (0).', [{ value: report ? 1 : 0 }]);
  w.family('tekton_posture_data_ready', 'gauge', 'Whether the first sync of the data source is done.', [{ value: input.ready ? 1 : 0 }]);
  w.family('tekton_posture_data_stale', 'gauge', 'Whether the data shown is stale (the API server is unreachable).', [{ value: input.stale ? 1 : 0 }]);
  if (report) {
    w.family('tekton_posture_source_info', 'gauge', 'The data source (live, files or demo).', [{ labels: { kind: report.source.kind }, value: 1 }]);
    w.family('tekton_posture_pipelines', 'gauge', 'Number of pipelines scored.', [{ value: report.pipelines.length }]);
    const cluster = report.summary.score;
    w.family('tekton_posture_cluster_score', 'gauge', 'Cluster-wide roll-up hardening score (0-100).', cluster === null ? [] : [{ value: cluster }]);
    const platform = report.platform.score;
    w.family('tekton_posture_platform_score', 'gauge', 'Score of the platform checks (0-100).', platform === null ? [] : [{ value: platform }]);

    const scores: Sample[] = [];
    const grades: Sample[] = [];
    const findings = new Map<string, number>();
    const addFinding = (check: string, outcome: string, severity: string) => {
      const k = `${check}\u0000${outcome}\u0000${severity}`;
      findings.set(k, (findings.get(k) ?? 0) + 1);
    };
    for (const p of report.pipelines) {
      // Same-named subjects of a files scan keep their ids' distinct `~…` suffix (one series each); the
      // unspecified namespace reads `_`, as in ids and URLs.
      const bare = `${namespaceSegment(p.namespace)}/${p.name}`;
      const suffix = p.id.startsWith(bare) ? p.id.slice(bare.length) : '';
      const l = { namespace: namespaceSegment(p.namespace), pipeline: `${p.name}${suffix}`, team: p.team ?? '' };
      if (p.score !== null) scores.push({ labels: l, value: p.score });
      if (p.grade !== null) grades.push({ labels: { ...l, grade: p.grade }, value: 1 });
      for (const f of p.findings) addFinding(f.checkId, f.outcome, f.severity);
    }
    for (const f of report.platform.findings) addFinding(f.checkId, f.outcome, f.severity);
    w.family('tekton_posture_pipeline_score', 'gauge', 'Hardening score of a pipeline (0-100).', scores);
    w.family('tekton_posture_pipeline_grade', 'gauge', 'Grade of a pipeline (the series with value 1 carries the grade label).', grades);
    w.family(
      'tekton_posture_findings',
      'gauge',
      'Findings by check, outcome and (effective) severity, over all pipelines and the platform.',
      sortedEntries(findings).map(([k, value]) => {
        const [check, outcome, severity] = k.split('\u0000');
        return { labels: { check, outcome, severity }, value };
      }),
    );

    const gaps = new Map<string, number>();
    for (const g of report.gaps) {
      const k = `${g.kind}\u0000${g.reason}`;
      gaps.set(k, (gaps.get(k) ?? 0) + 1);
    }
    w.family(
      'tekton_posture_data_gaps',
      'gauge',
      'Kinds (per namespace) the source could not read, by reason; the checks they feed report unknown.',
      sortedEntries(gaps).map(([k, value]) => {
        const [kind, reason] = k.split('\u0000');
        return { labels: { kind, reason }, value };
      }),
    );
  }

  const objects = input.live?.objectsByKind ?? input.objectsByKind;
  w.family('tekton_posture_objects', 'gauge', 'Objects held in memory, by kind.', sortedEntries(objects).map(([kind, value]) => ({ labels: { kind }, value })));

  const live = input.live ?? null;
  w.family('tekton_posture_watch_restarts_total', 'counter', 'Watches restarted (expired resource version, dropped connection).', [{ value: live?.watchRestarts ?? 0 }]);
  if (live?.rescans) {
    w.family('tekton_posture_rescans_total', 'counter', 'Re-scores of the live data, full or incremental.', [
      { labels: { type: 'full' }, value: live.rescans.full },
      { labels: { type: 'incremental' }, value: live.rescans.incremental },
    ]);
  }
  const lastEvent = live?.lastEventAt ? Date.parse(live.lastEventAt) : NaN;
  if (!Number.isNaN(lastEvent)) {
    w.family('tekton_posture_last_event_age_seconds', 'gauge', 'Seconds since the last watch event arrived.', [
      { value: Math.max(0, Math.round((input.now - lastEvent) / 100) / 10) },
    ]);
  }
  const duration = input.scanDurationSeconds ?? (live?.rescans && live.rescans.full + live.rescans.incremental > 0 ? live.rescans.lastMs / 1000 : null);
  if (duration !== null && duration !== undefined && Number.isFinite(duration)) {
    w.family('tekton_posture_scan_duration_seconds', 'gauge', 'Duration of the last scan or re-score.', [{ value: Math.round(duration * 1e6) / 1e6 }]);
  }
  return w.text();
}
