import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry';
import { scan } from '../engine/scan';
import { loadYamlText } from '../model/load';
import { defaultPolicy } from '../policy/defaults';
import type { Report } from '../report/types';
import { countByKind, processMetrics, renderMetrics, type MetricsInput } from './metrics';

/** A strict reader of the text format: every line is a HELP, a TYPE or a sample; returns samples by name. */
function parseExposition(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  expect(text.endsWith('\n')).toBe(true);
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  const typed = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue; // empty lines are allowed between families
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['gauge', 'counter', 'histogram', 'summary']).toContain(meta[3]);
        expect(typed.has(meta[2]), `duplicate TYPE ${meta[2]}`).toBe(false);
        typed.add(meta[2]);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `not a sample line: ${JSON.stringify(line)}`).not.toBeNull();
    const [, name, body, v] = m!;
    const family = name.replace(/_(bucket|sum|count)$/, '');
    expect(typed.has(name) || typed.has(family), `sample before TYPE: ${name}`).toBe(true);
    const labels: Record<string, string> = {};
    if (body) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/y;
      let pos = 0;
      while (pos < body.length) {
        re.lastIndex = pos;
        const lm = re.exec(body);
        expect(lm, `bad labels: ${body}`).not.toBeNull();
        labels[lm![1]] = lm![2].replace(/\\(\\|"|n)/g, (_, c: string) => (c === 'n' ? '\n' : c));
        pos = re.lastIndex;
      }
    }
    const value = v === 'NaN' ? NaN : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
    expect(Number.isNaN(value) && v !== 'NaN', `bad value ${v}`).toBe(false);
    out.set(name, [...(out.get(name) ?? []), { labels, value }]);
  }
  return out;
}

const FIXTURE = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: build, namespace: ci, labels: { team: payments } }
spec:
  tasks:
    - name: compile
      taskSpec:
        steps:
          - name: go
            image: golang:1.23
            script: go build ./...
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: release, namespace: ci }
spec:
  tasks:
    - name: push
      taskSpec:
        steps:
          - name: push
            image: gcr.io/kaniko-project/executor@sha256:0000000000000000000000000000000000000000000000000000000000000000
            securityContext: { privileged: true }
`;

function fixtureReport(): { report: Report; objects: number } {
  const loaded = loadYamlText(FIXTURE, 'fixture.yaml');
  const r = scan({ objects: loaded.objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files', detail: 'fixture.yaml' }, checks: CHECKS });
  return { report: r.report, objects: loaded.objects.length };
}

function input(over: Partial<MetricsInput> = {}): MetricsInput {
  const { report } = fixtureReport();
  return { report, ready: true, stale: false, objectsByKind: { Pipeline: 2 }, now: Date.parse('2026-11-22T12:00:00Z'), ...over };
}

describe('renderMetrics', () => {
  it('renders every series from a scanned report, in valid exposition format', async () => {
    const base = input();
    // The fixture's pipelines have no runs, so their coverage is under 80 % and they carry no letter: give them one
    // to see the grade series rendered.
    const inp = { ...base, report: { ...base.report!, pipelines: base.report!.pipelines.map((p) => ({ ...p, grade: p.grade ?? ('D' as const) })) } };
    const m = parseExposition(await renderMetrics(inp));
    expect(m.get('tekton_posture_up')).toEqual([{ labels: {}, value: 1 }]);
    expect(m.get('tekton_posture_data_stale')).toEqual([{ labels: {}, value: 0 }]);
    expect(m.get('tekton_posture_pipelines')).toEqual([{ labels: {}, value: 2 }]);
    const scores = m.get('tekton_posture_pipeline_score_ratio')!;
    expect(scores.map((s) => s.labels)).toEqual([
      { pipeline_id: 'ci/build', pipeline_namespace: 'ci', pipeline: 'build', team: 'payments' },
      { pipeline_id: 'ci/release', pipeline_namespace: 'ci', pipeline: 'release', team: '' },
    ]);
    for (const s of scores) expect(s.value).toBeCloseTo(inp.report!.pipelines.find((p) => p.id === s.labels.pipeline_id)!.score! / 100, 10);
    const grades = m.get('tekton_posture_pipeline_grade')!;
    expect(grades).toHaveLength(2);
    for (const g of grades) {
      expect(g.value).toBe(1);
      expect(['A', 'B', 'C', 'D', 'F']).toContain(g.labels.grade);
    }
    expect(m.get('tekton_posture_cluster_score_ratio')![0].value).toBeCloseTo(inp.report!.summary.score! / 100, 10);
    const findings = m.get('tekton_posture_findings')!;
    const total = inp.report!.pipelines.reduce((n, p) => n + p.findings.length, 0) + inp.report!.platform.findings.length;
    expect(findings.reduce((n, f) => n + f.value, 0)).toBe(total);
    expect(findings).toContainEqual({ labels: { check: 'STP-005', outcome: 'fail', severity: 'critical' }, value: 1 });
    expect(findings).toContainEqual({ labels: { check: 'STP-005', outcome: 'pass', severity: 'critical' }, value: 1 });
    expect(m.get('tekton_posture_objects')).toEqual([{ labels: { kind: 'Pipeline' }, value: 2 }]);
    const failed = m.get('tekton_posture_pipeline_failed_checks')!.filter((s) => s.labels.pipeline_id === 'ci/release' && s.labels.severity === 'critical');
    expect(failed).toEqual([{ labels: expect.objectContaining({ severity: 'critical' }), value: inp.report!.pipelines.find((p) => p.id === 'ci/release')!.failsBySeverity.critical }]);
    // Static sources: no live-only series.
    expect(m.has('tekton_posture_last_event_age_seconds')).toBe(false);
    expect(m.has('tekton_posture_watch_restarts_total')).toBe(false);
  });

  it('never uses a label Prometheus reserves for the target (namespace, pod, job, instance)', async () => {
    const text = await renderMetrics(input(), processMetrics({ defaults: true }));
    for (const [, samples] of parseExposition(text)) {
      for (const s of samples) for (const l of ['namespace', 'pod', 'job', 'instance']) expect(s.labels[l]).toBeUndefined();
    }
  });

  it('has no duplicate series, even for pipelines sharing a name in one namespace', async () => {
    const base = input();
    const twin = { ...base.report!.pipelines[0], id: 'ci/build~a1b2' };
    const report: Report = { ...base.report!, pipelines: [...base.report!.pipelines, twin] };
    const m = parseExposition(await renderMetrics({ ...base, report }));
    for (const [name, samples] of m) {
      const keys = samples.map((s) => JSON.stringify(Object.entries(s.labels).sort()));
      expect(new Set(keys).size, name).toBe(keys.length);
    }
    expect(m.get('tekton_posture_pipeline_score_ratio')).toHaveLength(3);
  });

  it('renders the live source stats: restarts, event age, rescans, gaps, stale', async () => {
    const base = input();
    const report: Report = {
      ...base.report!,
      gaps: [
        { kind: 'ClusterRole', namespace: null, reason: 'forbidden', message: '403' },
        { kind: 'LimitRange', namespace: 'a', reason: 'forbidden', message: '403' },
        { kind: 'LimitRange', namespace: 'b', reason: 'forbidden', message: '403' },
        { kind: 'StepAction', namespace: null, reason: 'not-installed', message: '404' },
      ],
    };
    const m = parseExposition(
      await renderMetrics({
        ...base,
        report,
        stale: true,
        live: { objectsByKind: { Pipeline: 2000, PipelineRun: 20000 }, watchRestarts: 3, lastEventAt: '2026-11-22T11:59:30.000Z', rescans: { full: 2, incremental: 40, lastMs: 123.4567 } },
      }),
    );
    expect(m.get('tekton_posture_data_stale')![0].value).toBe(1);
    expect(m.get('tekton_posture_watch_restarts_total')![0].value).toBe(3);
    expect(m.get('tekton_posture_last_event_age_seconds')![0].value).toBe(30);
    expect(m.get('tekton_posture_rescans_total')).toEqual([
      { labels: { type: 'full' }, value: 2 },
      { labels: { type: 'incremental' }, value: 40 },
    ]);
    expect(m.get('tekton_posture_objects')).toEqual([
      { labels: { kind: 'Pipeline' }, value: 2000 },
      { labels: { kind: 'PipelineRun' }, value: 20000 },
    ]);
    expect(m.get('tekton_posture_data_gaps')).toEqual([
      { labels: { kind: 'ClusterRole', reason: 'forbidden' }, value: 1 },
      { labels: { kind: 'LimitRange', reason: 'forbidden' }, value: 2 },
      { labels: { kind: 'StepAction', reason: 'not-installed' }, value: 1 },
    ]);
  });

  it('merges the process registry: build info, Node defaults, scan and HTTP histograms', async () => {
    const proc = processMetrics();
    proc.observeScan(0.42);
    proc.observeHttp({ route: '/pipelines/:namespace/:name', method: 'GET', code: 200, seconds: 0.03 });
    const m = parseExposition(await renderMetrics(input(), proc));
    expect(m.get('tekton_posture_build_info')![0]).toMatchObject({ labels: { version: expect.any(String), node_version: process.versions.node }, value: 1 });
    expect(m.has('process_cpu_user_seconds_total')).toBe(true);
    expect(m.has('nodejs_heap_size_used_bytes')).toBe(true);
    expect(m.get('tekton_posture_scan_duration_seconds_count')).toEqual([{ labels: {}, value: 1 }]);
    expect(m.get('tekton_posture_http_request_duration_seconds_count')).toEqual([{ labels: { route: '/pipelines/:namespace/:name', method: 'GET', code: '200' }, value: 1 }]);
  });

  it('before the first scan: only liveness series, up 0', async () => {
    const m = parseExposition(await renderMetrics({ report: null, ready: false, stale: false, objectsByKind: {}, now: 0 }));
    expect(m.get('tekton_posture_up')![0].value).toBe(0);
    expect(m.get('tekton_posture_data_ready')![0].value).toBe(0);
    expect(m.has('tekton_posture_pipeline_score_ratio')).toBe(false);
    expect(m.has('tekton_posture_cluster_score_ratio')).toBe(false);
  });

  it('escapes hostile names from the cluster: no label can break out or start a new series', async () => {
    const base = input();
    const evil = 'x"} 1\ntekton_posture_cluster_score_ratio 100\n# \\';
    const report: Report = {
      ...base.report!,
      pipelines: base.report!.pipelines.map((p, i) => (i === 0 ? { ...p, name: evil, namespace: 'ns\\"', team: 'a\nb' } : p)),
    };
    const text = await renderMetrics({ ...base, report });
    const m = parseExposition(text);
    expect(m.get('tekton_posture_cluster_score_ratio')).toHaveLength(1);
    const s = m.get('tekton_posture_pipeline_score_ratio')!.find((x) => x.labels.pipeline === evil);
    expect(s?.labels).toMatchObject({ pipeline_namespace: 'ns\\"', pipeline: evil, team: 'a\nb' });
    expect(text.split('\n').filter((l) => l.startsWith('tekton_posture_cluster_score_ratio'))).toHaveLength(1);
  });

  it('omits scores of unscored pipelines instead of writing null', async () => {
    const base = input();
    const report: Report = { ...base.report!, pipelines: base.report!.pipelines.map((p) => ({ ...p, score: null, grade: null })), summary: { ...base.report!.summary, score: null } };
    const text = await renderMetrics({ ...base, report });
    expect(text).not.toMatch(/null|undefined/);
    const m = parseExposition(text);
    expect(m.has('tekton_posture_pipeline_score_ratio')).toBe(false);
    expect(m.has('tekton_posture_cluster_score_ratio')).toBe(false);
  });
});

describe('helpers', () => {
  it('countByKind', () => {
    expect(countByKind([{ kind: 'Task' }, { kind: 'Task' }, { kind: 'Pipeline' }])).toEqual({ Task: 2, Pipeline: 1 });
  });
});
