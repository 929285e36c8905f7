/**
 * `/metrics` in the Prometheus text exposition format, built on prom-client (which does the escaping of
 * attacker-controlled label values and the format itself). Two registries are merged at every scrape:
 *   - the **process registry** (long-lived, `processMetrics()`): Node and process metrics (prom-client's defaults),
 *     `tekton_posture_build_info`, the HTTP request duration histogram per route (fed by the request timer in
 *     server/http-hardening.cjs), the scan duration histogram (fed at every publish) and watch restarts;
 *   - the **state registry** (made per scrape from the current report, `stateRegistry()`), so a pipeline that is
 *     gone is gone from the next scrape too.
 *
 * Series (gauges unless noted). Pipeline series are keyed by the stable pipeline ID; cluster names are never put in a
 * label called `namespace`, `pod`, `job` or `instance`, which Prometheus would rename or overwrite with the target's
 * own labels (`pipeline_namespace` instead).
 *   tekton_posture_build_info{version,node_version}                  1
 *   tekton_posture_up                                                1 once the first scan is published
 *   tekton_posture_data_ready                                        1 when the first sync is done
 *   tekton_posture_data_stale                                        1 while the data may be out of date
 *   tekton_posture_source_info{source}                               1 (live | files | demo)
 *   tekton_posture_pipelines                                         pipelines scored
 *   tekton_posture_cluster_score_ratio                               roll-up score 0..1 (absent when unscored)
 *   tekton_posture_platform_score_ratio                              platform card score 0..1 (absent when none applies)
 *   tekton_posture_pipeline_score_ratio{pipeline_id,pipeline_namespace,pipeline,team}         0..1
 *   tekton_posture_pipeline_coverage_ratio{pipeline_id,…}                                     0..1
 *   tekton_posture_pipeline_grade{pipeline_id,…,grade}               1 (the series carrying the grade)
 *   tekton_posture_pipeline_grade_points{pipeline_id,…}              the grade as a number, caps included: A 4 … F 0
 *                                                                    (so an alert can compare it with an hour ago)
 *   tekton_posture_pipeline_failed_checks{pipeline_id,…,severity}    unwaived failed checks per severity
 *   tekton_posture_findings{check,outcome,severity}                  findings over all pipelines and the platform
 *   tekton_posture_objects{kind}                                     objects held, by kind
 *   tekton_posture_data_gaps{kind,reason}                            kinds (per namespace) that could not be read
 *   tekton_posture_last_event_age_seconds                            since the last watch event (live)
 *   tekton_posture_watch_restarts_total                              counter (live)
 *   tekton_posture_rescans_total{type}                               counter: full / incremental re-scores (live)
 *   tekton_posture_scan_duration_seconds                             histogram of (re-)score durations
 *   tekton_posture_http_request_duration_seconds{route,method,code}  histogram of HTTP responses
 * Scores are ratios (0..1) as Prometheus base units want; the UI's 0..100 is `100 * ratio`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Report } from '../report/types';
import { VERSION } from '../version';

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

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
  /** Clock in milliseconds (Date.now()), for ages. */
  now: number;
}

/** One HTTP response, as server/http-hardening.cjs records it. */
export interface HttpObservation {
  route: string;
  method: string;
  code: number;
  seconds: number;
}

export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const SCAN_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Counts objects by kind (static sources: the model's objects). */
export function countByKind(objects: readonly { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
}

export interface ProcessMetrics {
  registry: Registry;
  observeScan(seconds: number): void;
  observeHttp(o: HttpObservation): void;
}

/** The long-lived registry of one server process (`defaults: false` in tests, to keep the output small). */
export function processMetrics(opts: { defaults?: boolean } = {}): ProcessMetrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'tekton_posture_build_info', help: 'Version of Tekton Posture and of Node.js serving it (value 1).', labelNames: ['version', 'node_version'], registers: [registry] })
    .labels(VERSION, process.versions.node)
    .set(1);
  const scan = new Histogram({ name: 'tekton_posture_scan_duration_seconds', help: 'Duration of a full or incremental scoring of the data.', buckets: SCAN_BUCKETS, registers: [registry] });
  const http = new Histogram({
    name: 'tekton_posture_http_request_duration_seconds',
    help: 'HTTP responses by route template, method and status code.',
    labelNames: ['route', 'method', 'code'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observeScan: (seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) scan.observe(seconds);
    },
    observeHttp: (o) => http.labels(o.route, o.method, String(o.code)).observe(o.seconds),
  };
}

function pipelineLabels(p: Report['pipelines'][number]) {
  return { pipeline_id: p.id, pipeline_namespace: p.namespace, pipeline: p.name, team: p.team ?? '' };
}

const PIPELINE_LABELS = ['pipeline_id', 'pipeline_namespace', 'pipeline', 'team'] as const;
const GRADE_POINTS: Record<string, number> = { A: 4, B: 3, C: 2, D: 1, F: 0 };

/** The series derived from the current state, in a fresh registry. */
export function stateRegistry(input: MetricsInput): Registry {
  const r = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge<L>({ name, help, labelNames, registers: [r] });
  const { report } = input;
  gauge('tekton_posture_up', 'Whether the engine has published a scan (1) or not yet (0).').set(report ? 1 : 0);
  gauge('tekton_posture_data_ready', 'Whether the first sync of the data source is done.').set(input.ready ? 1 : 0);
  gauge('tekton_posture_data_stale', 'Whether the data shown may be out of date (the source has not heard from the API server).').set(input.stale ? 1 : 0);

  const objects = input.live?.objectsByKind ?? input.objectsByKind;
  const objectsGauge = gauge('tekton_posture_objects', 'Objects held in memory, by kind.', ['kind']);
  for (const [kind, n] of Object.entries(objects)) objectsGauge.labels(kind).set(n);

  const live = input.live ?? null;
  if (live) {
    new Counter({ name: 'tekton_posture_watch_restarts_total', help: 'Watches restarted (expired resource version, dropped connection).', registers: [r] }).inc(live.watchRestarts);
    if (live.rescans) {
      const rescans = new Counter({ name: 'tekton_posture_rescans_total', help: 'Re-scores of the live data, full or incremental.', labelNames: ['type'], registers: [r] });
      rescans.labels('full').inc(live.rescans.full);
      rescans.labels('incremental').inc(live.rescans.incremental);
    }
    const last = live.lastEventAt ? Date.parse(live.lastEventAt) : NaN;
    if (!Number.isNaN(last)) gauge('tekton_posture_last_event_age_seconds', 'Seconds since the last watch event arrived.').set(Math.max(0, (input.now - last) / 1000));
  }
  if (!report) return r;

  gauge('tekton_posture_source_info', 'The data source (value 1).', ['source']).labels(report.source.kind).set(1);
  gauge('tekton_posture_pipelines', 'Number of pipelines scored.').set(report.pipelines.length);
  if (report.summary.score !== null) gauge('tekton_posture_cluster_score_ratio', 'Cluster-wide roll-up hardening score (0-1).').set(report.summary.score / 100);
  if (report.platform.score !== null) gauge('tekton_posture_platform_score_ratio', 'Score of the platform checks (0-1).').set(report.platform.score / 100);

  const score = gauge('tekton_posture_pipeline_score_ratio', 'Hardening score of a pipeline (0-1); absent when it has none.', PIPELINE_LABELS);
  const coverage = gauge('tekton_posture_pipeline_coverage_ratio', 'Share of the applicable check weight that could be evaluated (0-1).', PIPELINE_LABELS);
  const grade = gauge('tekton_posture_pipeline_grade', 'Grade of a pipeline: the series with value 1 carries the grade label.', [...PIPELINE_LABELS, 'grade']);
  const points = gauge('tekton_posture_pipeline_grade_points', 'Grade of a pipeline as a number (A 4, B 3, C 2, D 1, F 0), caps included.', PIPELINE_LABELS);
  const failed = gauge('tekton_posture_pipeline_failed_checks', 'Unwaived failed checks of a pipeline, by severity.', [...PIPELINE_LABELS, 'severity']);
  const findings = new Map<string, number>();
  const addFinding = (check: string, outcome: string, severity: string) => {
    const k = `${check}\u0000${outcome}\u0000${severity}`;
    findings.set(k, (findings.get(k) ?? 0) + 1);
  };
  for (const p of report.pipelines) {
    const l = pipelineLabels(p);
    if (p.score !== null) score.labels(l).set(p.score / 100);
    coverage.labels(l).set(p.coverage);
    if (p.grade !== null) {
      grade.labels({ ...l, grade: p.grade }).set(1);
      points.labels(l).set(GRADE_POINTS[p.grade] ?? 0);
    }
    for (const [severity, n] of Object.entries(p.failsBySeverity)) failed.labels({ ...l, severity }).set(n);
    for (const f of p.findings) addFinding(f.checkId, f.outcome, f.severity);
  }
  for (const f of report.platform.findings) addFinding(f.checkId, f.outcome, f.severity);
  const findingGauge = gauge('tekton_posture_findings', 'Findings by check, outcome and effective severity, over all pipelines and the platform.', ['check', 'outcome', 'severity']);
  for (const [k, n] of findings) {
    const [check, outcome, severity] = k.split('\u0000');
    findingGauge.labels(check, outcome, severity).set(n);
  }
  const gaps = gauge('tekton_posture_data_gaps', 'Kinds (per namespace) the source could not read, by reason; the checks they feed report unknown.', ['kind', 'reason']);
  for (const g of report.gaps) gaps.labels(g.kind, g.reason).inc();
  return r;
}

/** The exposition text: the process registry (when given) merged with the state's series. */
export async function renderMetrics(input: MetricsInput, proc?: ProcessMetrics): Promise<string> {
  const state = stateRegistry(input);
  const text = await (proc ? Registry.merge([proc.registry, state]) : state).metrics();
  // prom-client writes NaN (event-loop lag before its first sample) as `Nan`; the format spells it `NaN`.
  return text.replace(/ Nan$/gm, ' NaN');
}
