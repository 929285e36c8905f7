/**
 * Catalog v1.1 "Subjects and files", end to end over small repositories written to a temporary directory:
 * the unspecified namespace, proximity, no shadowing, stable ids and Task subjects.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFromPaths } from '../../server/sources/files';
import { defaultPolicy } from '../policy/defaults';
import type { PipelineReport, Report } from '../report/types';
import { CHECKS } from '../checks/registry';
import { toSarif } from '../report/formats/sarif';
import { scan } from './scan';

function sarifResults(r: Report): { partialFingerprints: Record<string, string> }[] {
  return (toSarif(r, CHECKS) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }).runs[0].results;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writeTree(files: Record<string, string>, into?: string): string {
  const root = into ?? mkdtempSync(join(tmpdir(), 'files-fidelity-'));
  if (!into) dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function scanDir(root: string): Report {
  const loaded = loadFromPaths([root], root);
  return scan({ objects: loaded.objects, loadIssues: loaded.issues, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files' } }).report;
}

function subject(report: Report, name: string, where?: (p: PipelineReport) => boolean): PipelineReport {
  const found = report.pipelines.filter((p) => p.name === name && (!where || where(p)));
  expect(found.map((p) => p.id), `exactly one subject named ${name}`).toHaveLength(1);
  return found[0];
}

function outcome(p: PipelineReport, checkId: string): string {
  return p.findings.find((f) => f.checkId === checkId)?.outcome ?? 'absent';
}

const pipeline = (name: string, taskRef: string, ns?: string) => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
spec:
  tasks:
  - name: run
    taskRef: {name: ${taskRef}}
`;

const inlinePipeline = (name: string, ns?: string) => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
spec:
  tasks:
  - name: hello
    taskSpec:
      steps: [{name: echo, image: alpine, script: "echo hi"}]
`;

const task = (name: string, opts: { privileged?: boolean; limits?: boolean } = {}) => `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ${name}}
spec:
  steps:
  - name: main
    image: alpine@sha256:${'a'.repeat(64)}
    script: echo hi
${opts.privileged ? '    securityContext: {privileged: true}\n' : ''}${opts.limits ? '    computeResources: {limits: {cpu: "1", memory: 1Gi}}\n' : ''}`;

const limitRange = `apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
  - type: Container
    default: {cpu: "1", memory: 1Gi}
`;

const run = (name: string, sa: string, pipelineRef: string, ns?: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
spec:
  pipelineRef: {name: ${pipelineRef}}
  taskRunTemplate: {serviceAccountName: ${sa}}
`;

const clusterAdminFor = (subject: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: make-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
${subject}
`;

describe('the unspecified namespace', () => {
  it('is not default: NSG checks are unknown, NSG-006 fails only for an explicit default', () => {
    const report = scanDir(
      writeTree({
        'a/none.yaml': inlinePipeline('no-ns'),
        'a/explicit-default.yaml': inlinePipeline('in-default', 'default'),
        'a/explicit-ci.yaml': inlinePipeline('in-ci', 'ci'),
      }),
    );
    const none = subject(report, 'no-ns');
    expect(none.namespace).toBe('');
    expect(none.id).toMatch(/^_\/no-ns~[0-9a-f]{8}$/);
    for (const id of ['NSG-001', 'NSG-002', 'NSG-003', 'NSG-004', 'NSG-005', 'NSG-006']) expect(outcome(none, id), id).toBe('unknown');
    expect(outcome(subject(report, 'in-default'), 'NSG-006')).toBe('fail');
    expect(subject(report, 'in-default').id).toBe('default/in-default');
    expect(outcome(subject(report, 'in-ci'), 'NSG-006')).toBe('pass');
  });

  it('a Pipeline without a namespace runs where the explicit runs beside it say', () => {
    const report = scanDir(writeTree({ 'a/all.yaml': run('r1', 'builder', 'datree', 'default') + '---\n' + inlinePipeline('datree') }));
    const p = subject(report, 'datree');
    expect(p.id).toBe('default/datree');
    expect(p.totalRuns).toBe(1);
    expect(outcome(p, 'NSG-006')).toBe('fail');
    expect(outcome(p, 'STP-005')).toBe('pass');
  });

  it('takes guardrails only from its own file, directory or a directory above', () => {
    const report = scanDir(
      writeTree({
        'examples/a/pipeline.yaml': inlinePipeline('near-limits'),
        'examples/a/limitrange.yaml': limitRange,
        'examples/b/pipeline.yaml': inlinePipeline('far-from-limits'),
        'repo/limitrange.yaml': limitRange,
        'repo/deep/er/pipeline.yaml': inlinePipeline('below-limits'),
      }),
    );
    const near = subject(report, 'near-limits');
    expect(outcome(near, 'STP-006')).toBe('pass');
    expect(outcome(near, 'NSG-004')).toBe('pass');
    // The LimitRange of a sibling example folder is not applied with this one.
    const far = subject(report, 'far-from-limits');
    expect(outcome(far, 'STP-006')).toBe('fail');
    expect(outcome(far, 'NSG-004')).toBe('unknown');
    // Precision trap: a LimitRange in a folder above is applied with everything below it.
    expect(outcome(subject(report, 'below-limits'), 'STP-006')).toBe('pass');
  });

  it('does not pick up a cluster-admin binding of an unrelated example, but an explicit subject counts everywhere', () => {
    const report = scanDir(
      writeTree({
        'a/rbac.yaml': clusterAdminFor('- {kind: Group, name: "system:serviceaccounts", apiGroup: rbac.authorization.k8s.io}'),
        'a/run.yaml': run('run-a', 'builder', 'pipe-a') + '---\n' + inlinePipeline('pipe-a'),
        'b/run.yaml': run('run-b', 'builder', 'pipe-b') + '---\n' + inlinePipeline('pipe-b'),
        'c/rbac.yaml': clusterAdminFor('- {kind: ServiceAccount, name: deployer, namespace: ci}'),
        'd/run.yaml': run('run-d', 'deployer', 'pipe-d', 'ci') + '---\n' + inlinePipeline('pipe-d', 'ci'),
        'e/run.yaml': run('run-e', 'deployer', 'pipe-e') + '---\n' + inlinePipeline('pipe-e'),
      }),
    );
    expect(outcome(subject(report, 'pipe-a'), 'IDN-003')).toBe('fail');
    // Both folders have a ClusterRoleBinding `make-admin`: the evidence names the one that matched.
    const files = subject(report, 'pipe-a').findings.find((f) => f.checkId === 'IDN-003')?.evidence.map((e) => e.file ?? '');
    expect(files?.some((f) => f.endsWith('a/rbac.yaml'))).toBe(true);
    expect(files?.some((f) => f.endsWith('c/rbac.yaml'))).toBe(false);
    expect(outcome(subject(report, 'pipe-b'), 'IDN-003')).toBe('pass');
    // `ci/deployer` is named explicitly: the binding means that SA, wherever the files sit.
    expect(outcome(subject(report, 'pipe-d'), 'IDN-003')).toBe('fail');
    // Precision trap: a `deployer` of the unspecified namespace is not `ci/deployer`.
    expect(outcome(subject(report, 'pipe-e'), 'IDN-003')).toBe('pass');
  });

  it('does not share a service account between unrelated example folders', () => {
    const files: Record<string, string> = {};
    for (const d of ['a', 'b', 'c', 'd', 'e']) files[`${d}/run.yaml`] = run(`run-${d}`, 'builder', `pipe-${d}`) + '---\n' + inlinePipeline(`pipe-${d}`);
    files['a/second.yaml'] = run('run-a2', 'builder', 'pipe-a2') + '---\n' + inlinePipeline('pipe-a2');
    const report = scanDir(writeTree(files));
    expect(outcome(subject(report, 'pipe-b'), 'IDN-002')).toBe('pass');
    // Two pipelines of one folder using one `builder` do share it.
    expect(outcome(subject(report, 'pipe-a'), 'IDN-002')).toBe('warn');
  });
});

describe('references resolve by proximity', () => {
  const tree = {
    'task/git-clone/0.9/git-clone.yaml': task('git-clone', { limits: true }),
    'task/other/0.1/samples/git-clone.yaml': task('git-clone', { privileged: true }),
    'task/other/0.1/samples/pipeline.yaml': pipeline('uses-local-copy', 'git-clone'),
    'pipeline/p/0.1/p.yaml': pipeline('uses-catalog', 'git-clone'),
    // Its own copy is also a candidate for the others, as near as the catalog's (common ancestor: the root) but deeper.
    'misc/a/b/c/q.yaml': pipeline('own-file', 'git-clone') + '---\n' + task('git-clone', { limits: true, privileged: true }),
  };

  it('uses the same file, then the same directory, and reports equally near candidates', () => {
    const report = scanDir(writeTree(tree));
    // Same directory: the sample's own (privileged) copy.
    expect(outcome(subject(report, 'uses-local-copy'), 'STP-005')).toBe('fail');
    // Same file beats everything.
    expect(outcome(subject(report, 'own-file'), 'STP-005')).toBe('fail');
    // Equally near (common ancestor: the repository root): an ambiguity naming both, the shallower one used.
    const catalog = subject(report, 'uses-catalog');
    expect(outcome(catalog, 'STP-005')).toBe('pass');
    const note = catalog.issues.find((i) => i.startsWith('Ambiguous reference: Task "git-clone"'));
    expect(note).toContain('task/git-clone/0.9/git-clone.yaml');
    expect(note).toContain('task/other/0.1/samples/git-clone.yaml');
    expect(note).toMatch(/using \S*task\/git-clone\/0\.9\/git-clone\.yaml/);
    expect(report.loadIssues.filter((i) => i.message === note)).toHaveLength(1);
  });

  it('lets an explicit namespace use an unspecified-namespace candidate of its own file, directory or one above', () => {
    const report = scanDir(
      writeTree({
        'a/all.yaml': pipeline('mixed', 'priv-a', 'ci') + '---\n' + task('priv-a', { privileged: true }),
        'task/x/0.1/x.yaml': task('x', { privileged: true }),
        'task/x/0.1/samples/run.yaml': pipeline('sample', 'x', 'default'),
        'b/pipeline.yaml': pipeline('far', 'priv-c', 'ci'),
        'c/task.yaml': task('priv-c', { privileged: true }),
      }),
    );
    expect(outcome(subject(report, 'mixed'), 'STP-005')).toBe('fail');
    expect(outcome(subject(report, 'sample'), 'STP-005')).toBe('fail');
    // Another folder's unspecified-namespace Task is not `ci/priv-c`: unresolved, and scored on its own.
    expect(outcome(subject(report, 'far'), 'STP-005')).toBe('unknown');
    expect(outcome(subject(report, 'priv-c'), 'STP-005')).toBe('fail');
  });

  it('live-like objects (no files) resolve by namespace alone, with no Task subjects', () => {
    const loaded = loadFromPaths([writeTree(tree)]);
    const objects = loaded.objects.map((o) => ({ ...o, namespace: 'ci', source: {} }));
    const { report } = scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'live' } });
    expect(report.pipelines.every((p) => !p.subjectKind)).toBe(true);
    expect(report.pipelines.map((p) => p.id).sort()).toEqual(['ci/own-file', 'ci/uses-catalog', 'ci/uses-local-copy']);
  });
});

describe('no shadowing, stable ids', () => {
  it('scores both same-named Pipelines as distinct subjects', () => {
    const report = scanDir(
      writeTree({
        'a/build.yaml': inlinePipeline('build'),
        'b/build.yaml': inlinePipeline('build'),
        'c/build.yaml': inlinePipeline('build', 'ci'),
        'd/build.yaml': inlinePipeline('build', 'ci'),
      }),
    );
    const ids = report.pipelines.filter((p) => p.name === 'build').map((p) => p.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids.filter((id) => id.startsWith('ci/build~'))).toHaveLength(2);
  });

  it('adding an unrelated file with a same-named pipeline elsewhere changes no other id', () => {
    const root = writeTree({
      'x/build.yaml': inlinePipeline('build'),
      'y/build.yaml': inlinePipeline('build'),
      'y/lint.yaml': inlinePipeline('lint'),
      'z/ci.yaml': inlinePipeline('lint', 'ci'),
      'z/run.yaml': run('release-run', 'builder', 'release'),
    });
    const first = scanDir(root);
    const before = first.pipelines.map((p) => p.id);
    writeTree({ 'a-first/build.yaml': inlinePipeline('build'), 'a-first/lint.yaml': inlinePipeline('lint') }, root);
    const second = scanDir(root);
    const after = second.pipelines.map((p) => p.id);
    expect(after.length).toBe(before.length + 2);
    for (const id of before) expect(after).toContain(id);
    // SARIF fingerprints follow the ids: every one of the first scan is still there.
    const fingerprints = (r: Report) => new Set(sarifResults(r).map((x) => x.partialFingerprints['tektonPosture/v1']));
    const later = fingerprints(second);
    for (const f of fingerprints(first)) expect(later.has(f)).toBe(true);
  });

  it('ids do not depend on the working directory', () => {
    const root = writeTree({ 'x/build.yaml': inlinePipeline('build') });
    const a = loadFromPaths([root], root);
    const b = loadFromPaths([root], '/');
    const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
    const idA = scan({ objects: a.objects, policy, source: { kind: 'files' } }).report.pipelines[0].id;
    const idB = scan({ objects: b.objects, policy, source: { kind: 'files' } }).report.pipelines[0].id;
    expect(idA).toBe(idB);
  });
});

describe('Tasks as subjects', () => {
  it('scores a Task or StepAction no pipeline uses by the step, supply-chain and injection checks only', () => {
    const report = scanDir(
      writeTree({
        'task/priv/0.1/priv.yaml': task('priv', { privileged: true }),
        'task/used/0.1/used.yaml': task('used', { limits: true }),
        'pipeline/p/p.yaml': pipeline('p', 'used'),
        'stepaction/s/s.yaml': `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: lonely}
spec:
  image: alpine:latest
  script: echo $(params.x)
  params: [{name: x}]
`,
      }),
    );
    const priv = subject(report, 'priv');
    expect(priv.subjectKind).toBe('task');
    expect(priv.id).toMatch(/^_\/priv~task-[0-9a-f]{8}$/);
    expect(outcome(priv, 'STP-005')).toBe('fail');
    for (const id of ['IDN-001', 'WSP-003', 'NSG-006']) expect(outcome(priv, id), id).toBe('not-applicable');
    // A Task a pipeline uses is scored inside that pipeline, not again on its own.
    expect(report.pipelines.filter((p) => p.name === 'used')).toHaveLength(0);
    const lonely = subject(report, 'lonely');
    expect(lonely.subjectKind).toBe('stepaction');
    expect(outcome(lonely, 'SUP-002')).toBe('fail');
    expect(outcome(lonely, 'INJ-001')).toBe('fail');
    const evidence = lonely.findings.find((f) => f.checkId === 'SUP-002')?.evidence[0];
    expect(evidence).toMatchObject({ kind: 'StepAction', name: 'lonely', path: 'spec.image' });
  });

  it('scores a direct TaskRun that carries its own task spec, not one that only references a Task', () => {
    const report = scanDir(
      writeTree({
        'a/taskrun.yaml': `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {generateName: adhoc-}
spec:
  taskSpec:
    steps: [{name: s, image: alpine, script: "echo", securityContext: {privileged: true}}]
`,
        'b/taskrun.yaml': `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: uses-ref}
spec:
  taskRef: {name: t}
`,
        'b/task.yaml': task('t'),
      }),
    );
    const adhoc = subject(report, 'adhoc-');
    expect(adhoc.subjectKind).toBe('task');
    expect(outcome(adhoc, 'STP-005')).toBe('fail');
    expect(adhoc.findings.find((f) => f.checkId === 'STP-005')?.evidence[0]).toMatchObject({ kind: 'TaskRun', path: 'spec.taskSpec.steps[0].securityContext.privileged' });
    expect(report.pipelines.filter((p) => p.name === 'uses-ref')).toHaveLength(0);
    expect(subject(report, 't').subjectKind).toBe('task');
  });

  it('a same-named Task that lost the proximity contest is still a subject, not dropped', () => {
    const report = scanDir(
      writeTree({
        'a/pipeline.yaml': pipeline('p', 'build'),
        'a/build.yaml': task('build', { limits: true }),
        'b/build.yaml': task('build', { privileged: true }),
      }),
    );
    expect(outcome(subject(report, 'p'), 'STP-005')).toBe('pass');
    const other = subject(report, 'build');
    expect(other.subjectKind).toBe('task');
    expect(outcome(other, 'STP-005')).toBe('fail');
  });
});
