import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry';
import type { Finding } from '../checks/types';
import { loadYamlText, makeObject, mergeLoadResults } from '../model/load';
import { defaultPolicy } from '../policy/defaults';
import { toCsv } from '../report/formats/csv';
import { toJunit } from '../report/formats/junit';
import { toSarif } from '../report/formats/sarif';
import { toTable } from '../report/formats/table';
import type { Report } from '../report/types';
import { scan } from './scan';

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });

/**
 * Three documents: an unrelated ConfigMap first, a Task whose second step is privileged, unpinned, carries a
 * plaintext AWS key and interpolates a param into its script, and a Pipeline using it plus an inline taskSpec.
 * Traps: the first step's heredoc spells `privileged: true` and `image:`, and a comment spells `image:`.
 */
const MULTI = `# an unrelated first document
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated, namespace: ci}
data:
  a.b: "1"
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
  namespace: ci
spec:
  params:
    - name: url
  steps:
    - name: prepare
      image: registry.example.com/tools@sha256:0000000000000000000000000000000000000000000000000000000000000000
      script: |
        cat <<YAML
        securityContext:
          privileged: true
        image: alpine
        YAML
    - name: fetch # L:fetch
      # image: commented-out/evil
      image: alpine:3.19 # L:task-image
      env:
        - name: AWS_SECRET_ACCESS_KEY
          value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY # L:task-secret
      securityContext:
        privileged: true # L:task-privileged
      script: | # L:task-script
        #!/bin/sh
        curl "$(params.url)"
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ship
  namespace: ci
spec:
  params:
    - name: url
  tasks:
    - name: fetch
      taskRef:
        name: build
      params:
        - name: url
          value: $(params.url)
    - name: inline
      taskSpec:
        steps:
          - name: run
            image: "docker.io/library/busybox:latest" # L:inline-image
            securityContext:
              privileged: true # L:inline-privileged
            script: echo $(params.url) # L:inline-script
`;

/** A run of a remotely resolved pipeline: its tasks' specs are known only from the TaskRun's status. */
const RUNS = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: run-1
  namespace: ci
  creationTimestamp: "2026-11-20T10:00:00Z"
spec:
  pipelineRef:
    resolver: git
    params:
      - name: url
        value: https://github.com/acme/pipelines
      - name: revision
        value: 0123456789abcdef0123456789abcdef01234567
      - name: pathInRepo
        value: build.yaml
status:
  conditions:
    - type: Succeeded
      status: "True"
  childReferences:
    - kind: TaskRun
      name: run-1-build
      pipelineTaskName: build
  pipelineSpec:
    tasks:
      - name: build
        taskRef:
          resolver: git
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: run-1-build
  namespace: ci
  labels:
    tekton.dev/pipelineRun: run-1
    tekton.dev/pipelineTask: build
spec:
  taskRef:
    resolver: git
status:
  conditions:
    - type: Succeeded
      status: "True"
  taskSpec:
    steps:
      - name: compile
        image: golang:1.22 # L:run-image
        securityContext:
          privileged: true # L:run-privileged
`;

function lineWith(text: string, marker: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`no line with ${marker}`);
  return i + 1;
}

function scanText(text: string, file = 'tekton/ship.yaml') {
  const loaded = loadYamlText(text, file);
  expect(loaded.issues).toEqual([]);
  return scan({ objects: loaded.objects, policy, source: { kind: 'files' } }).report;
}

function allFindings(report: Report): Finding[] {
  return [...report.pipelines.flatMap((p) => p.findings), ...report.platform.findings];
}

/** The line of the evidence a check gives for `path` (exactly one such evidence item expected). */
function evidenceLine(report: Report, checkId: string, kind: string, path: string): number | undefined {
  const items = allFindings(report)
    .filter((f) => f.checkId === checkId)
    .flatMap((f) => f.evidence)
    .filter((e) => e.kind === kind && e.path === path);
  expect(items.length, `${checkId} evidence at ${kind} ${path}`).toBeGreaterThan(0);
  expect(new Set(items.map((e) => e.line)).size).toBe(1);
  return items[0].line;
}

describe('evidence lines', () => {
  const report = scanText(MULTI);

  it('STP-005 names the `privileged: true` line, in a Task that is not first in its file and in an inline taskSpec', () => {
    expect(evidenceLine(report, 'STP-005', 'Task', 'spec.steps[1].securityContext.privileged')).toBe(lineWith(MULTI, 'L:task-privileged'));
    expect(evidenceLine(report, 'STP-005', 'Pipeline', 'spec.tasks[1].taskSpec.steps[0].securityContext.privileged')).toBe(lineWith(MULTI, 'L:inline-privileged'));
  });

  it('SUP-001 names the `image:` line, not a commented-out or scripted look-alike', () => {
    expect(evidenceLine(report, 'SUP-001', 'Task', 'spec.steps[1].image')).toBe(lineWith(MULTI, 'L:task-image'));
    expect(evidenceLine(report, 'SUP-001', 'Pipeline', 'spec.tasks[1].taskSpec.steps[0].image')).toBe(lineWith(MULTI, 'L:inline-image'));
  });

  it('INJ-001 names the line inside the script that holds the substitution', () => {
    expect(evidenceLine(report, 'INJ-001', 'Task', 'spec.steps[1].script')).toBe(lineWith(MULTI, 'L:task-script') + 2);
    expect(evidenceLine(report, 'INJ-001', 'Pipeline', 'spec.tasks[1].taskSpec.steps[0].script')).toBe(lineWith(MULTI, 'L:inline-script'));
  });

  it('WSP-005 names the line of the plaintext value', () => {
    expect(evidenceLine(report, 'WSP-005', 'Task', 'spec.steps[1].env[0].value')).toBe(lineWith(MULTI, 'L:task-secret'));
  });

  it('evidence about a field that is not written names its nearest written ancestor', () => {
    expect(evidenceLine(report, 'STP-006', 'Task', 'spec.steps[1].computeResources.limits')).toBe(lineWith(MULTI, 'L:fetch'));
    expect(evidenceLine(report, 'STP-001', 'Task', 'spec.steps[1].securityContext.runAsNonRoot')).toBe(lineWith(MULTI, 'L:task-privileged') - 1);
  });

  it('every evidence item of a files scan stays inside its file', () => {
    const total = MULTI.split('\n').length;
    for (const e of allFindings(report).flatMap((f) => f.evidence)) {
      if (e.file === undefined) continue;
      expect(e.file).toBe('tekton/ship.yaml');
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(total);
    }
  });

  it('tells same-named objects of two files apart', () => {
    // b.yaml holds the same Task (ci/build) two lines further down, and the Pipeline under another name.
    const other = MULTI.replace('name: ship\n', 'name: ship-b\n');
    const a = loadYamlText(MULTI, 'a.yaml');
    const b = loadYamlText(`# padding\n# padding\n${other}`, 'b.yaml');
    const merged = mergeLoadResults([a, b]);
    const r = scan({ objects: merged.objects, policy, source: { kind: 'files' } }).report;
    const privileged = allFindings(r)
      .filter((f) => f.checkId === 'STP-005')
      .flatMap((f) => f.evidence)
      .filter((e) => e.path === 'spec.tasks[1].taskSpec.steps[0].securityContext.privileged');
    expect(privileged.find((e) => e.file === 'a.yaml')?.line).toBe(lineWith(MULTI, 'L:inline-privileged'));
    expect(privileged.find((e) => e.file === 'b.yaml')?.line).toBe(lineWith(MULTI, 'L:inline-privileged') + 2);
    for (const e of allFindings(r).flatMap((f) => f.evidence).filter((x) => x.kind === 'Task' && x.path === 'spec.steps[1].image')) {
      expect(e.line).toBe(lineWith(MULTI, 'L:task-image') + (e.file === 'b.yaml' ? 2 : 0));
    }
  });

  it('SARIF regions, CSV cells, JUnit failures and the table carry the field line', () => {
    const line = lineWith(MULTI, 'L:task-privileged');
    const sarif = toSarif(report, CHECKS) as { runs: { results: { ruleId: string; locations: { physicalLocation?: { region: { startLine: number } } }[] }[] }[] };
    const stp005 = sarif.runs[0].results.filter((r) => r.ruleId === 'STP-005').flatMap((r) => r.locations.map((l) => l.physicalLocation?.region.startLine));
    expect(stp005).toContain(line);
    expect(toCsv(report)).toContain(`spec.steps[1].securityContext.privileged = true (tekton/ship.yaml:${line})`);
    expect(toJunit(report, CHECKS)).toContain(`Task ci/build spec.steps[1].securityContext.privileged (tekton/ship.yaml:${line})`);
    expect(toTable(report)).toMatch(/FAIL STP-005[^\n]*\n\s+at tekton\/ship\.yaml:\d+ spec\./);
  });

  it('a TaskRun\'s status.taskSpec is placed inside the TaskRun', () => {
    const r = scanText(RUNS, 'runs.yaml');
    expect(evidenceLine(r, 'STP-005', 'TaskRun', 'status.taskSpec.steps[0].securityContext.privileged')).toBe(lineWith(RUNS, 'L:run-privileged'));
    expect(evidenceLine(r, 'SUP-001', 'TaskRun', 'status.taskSpec.steps[0].image')).toBe(lineWith(RUNS, 'L:run-image'));
  });

  it('objects without a text (live, generated) keep their evidence as the checks gave it', () => {
    const loaded = loadYamlText(MULTI, 'tekton/ship.yaml');
    const bare = loaded.objects.map((o) => makeObject(structuredClone(o.raw), o.kind, o.apiVersion, o.name, {}));
    const r = scan({ objects: bare, policy, source: { kind: 'live' } }).report;
    for (const e of allFindings(r).flatMap((f) => f.evidence)) {
      expect(e.line).toBeUndefined();
      expect(e.file).toBeUndefined();
    }
  });

  it('mangled files still scan, and every line stays inside its file', () => {
    const original = MULTI.split('\n');
    const edit = fc.record({ at: fc.nat(original.length - 1), op: fc.constantFrom('drop', 'indent', 'dedent', 'dup', 'flow', 'quote', 'tab') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const lines = [...original];
        for (const { at, op } of edits) {
          const i = Math.min(at, lines.length - 1);
          if (op === 'drop') lines.splice(i, 1);
          else if (op === 'indent') lines[i] = `  ${lines[i]}`;
          else if (op === 'dedent') lines[i] = lines[i].replace(/^ {1,2}/, '');
          else if (op === 'dup') lines.splice(i, 0, lines[i]);
          else if (op === 'flow') lines[i] = `${lines[i]} {`;
          else if (op === 'quote') lines[i] = lines[i].replace(':', ': "');
          else lines[i] = `\t${lines[i]}`;
        }
        const text = lines.join('\n');
        const loaded = loadYamlText(text, 'm.yaml');
        const r = scan({ objects: loaded.objects, policy, source: { kind: 'files' } }).report;
        for (const e of allFindings(r).flatMap((f) => f.evidence)) {
          if (e.line === undefined) continue;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines.length);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('lines inside a script', () => {
  it('INJ-001 evidence names the script line that holds the substitution, for block and inline scripts', async () => {
    const { loadYamlText } = await import('../model/load');
    const { scan } = await import('./scan');
    const { defaultPolicy } = await import('../policy/defaults');
    const text = [
      'apiVersion: tekton.dev/v1', // 1
      'kind: Task', // 2
      'metadata: {name: t, namespace: ci}', // 3
      'spec:', // 4
      '  params: [{name: branch}]', // 5
      '  steps:', // 6
      '    - name: block', // 7
      '      image: alpine@sha256:' + '0'.repeat(64), // 8
      '      script: |', // 9
      '        set -e', // 10
      '        git checkout $(params.branch)', // 11
      '    - name: inline', // 12
      '      image: alpine@sha256:' + '0'.repeat(64), // 13
      '      script: "echo $(params.branch)"', // 14
      '',
    ].join('\n');
    const { objects } = loadYamlText(text, 't.yaml');
    const report = scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files' } }).report;
    const inj = report.pipelines[0].findings.find((f) => f.checkId === 'INJ-001')!;
    expect(inj.outcome).toBe('fail');
    expect(inj.evidence.map((e) => e.line).sort((a, b) => a! - b!)).toEqual([11, 14]);
  });
});
