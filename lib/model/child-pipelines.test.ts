import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../policy/defaults';
import { buildClusterModel, ModelBuilder } from './build';
import { MAX_PIPELINE_NESTING } from './child-pipelines';
import { loadYamlText } from './load';
import type { ClusterModel } from './types';

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });

function model(yaml: string, sourceKind: ClusterModel['sourceKind'] = 'files'): ClusterModel {
  const loaded = loadYamlText(yaml, 'fixture.yaml');
  if (loaded.issues.length) throw new Error(loaded.issues.map((i) => i.message).join('; '));
  return buildClusterModel(loaded.objects, { sourceKind, policy });
}

const pipeline = (m: ClusterModel, name: string) => {
  const p = m.pipelines.find((x) => x.name === name);
  if (!p) throw new Error(`no pipeline ${name}`);
  return p;
};

const INLINE = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  workspaces: [{name: shared}, {name: creds}]
  tasks:
  - name: clone
    taskSpec: {steps: [{name: clone, image: git}]}
  - name: scans
    runAfter: [clone]
    workspaces: [{name: src, workspace: shared, subPath: repo}, {name: token, workspace: creds}]
    pipelineSpec:
      workspaces: [{name: src}, {name: token}, {name: private}]
      tasks:
      - name: lint
        workspaces: [{name: source, workspace: src, subPath: app}, {name: t, workspace: token}, {name: p, workspace: private}]
        taskSpec: {steps: [{name: lint, image: linter}]}
      - name: scan
        runAfter: [lint]
        taskSpec: {steps: [{name: scan, image: scanner}]}
      - name: sbom
        taskSpec: {steps: [{name: sbom, image: syft}]}
      finally:
      - name: tidy
        taskSpec: {steps: [{name: tidy, image: busybox}]}
  - name: notify
    runAfter: [scans]
    params: [{name: report, value: "$(tasks.scans.results.report)"}]
    taskSpec: {steps: [{name: notify, image: curl}]}
`;

describe('pipelines in pipelines', () => {
  it('expands an inline child pipeline into the parent, named <parentTask>/<childTask>', () => {
    const p = pipeline(model(INLINE), 'parent');
    expect(p.spec?.tasks.map((t) => t.name)).toEqual(['clone', 'scans/lint', 'scans/scan', 'scans/sbom', 'scans/tidy', 'notify']);
    expect(p.spec?.tasks.find((t) => t.name === 'scans/scan')?.parentTask).toBe('scans');
    expect(p.issues).toEqual([]);
  });

  it('wires the DAG: child roots after the parent task\'s deps, dependants after the child\'s leaves', () => {
    const p = pipeline(model(INLINE), 'parent');
    const edges = p.dag.edges.map((e) => `${e.from} → ${e.to}`).sort();
    expect(edges).toEqual(
      [
        'clone → scans/lint',
        'clone → scans/sbom',
        'scans/lint → scans/scan',
        // the child's finally runs after every other child task
        'scans/lint → scans/tidy',
        'scans/scan → scans/tidy',
        'scans/sbom → scans/tidy',
        'scans/tidy → notify',
      ].sort(),
    );
    expect(p.dag.dangling).toEqual([]);
  });

  it('maps child workspaces to the parent\'s bindings (subPaths joined); unbound ones stay private', () => {
    const p = pipeline(model(INLINE), 'parent');
    const lint = p.spec?.tasks.find((t) => t.name === 'scans/lint');
    expect(lint?.workspaces).toEqual([
      { name: 'source', workspace: 'shared', subPath: 'repo/app' },
      { name: 't', workspace: 'creds', subPath: null },
      { name: 'p', workspace: 'scans/private', subPath: null },
    ]);
  });

  it('points evidence into the child spec within the parent object', () => {
    const p = pipeline(model(INLINE), 'parent');
    const lint = p.spec?.tasks.find((t) => t.name === 'scans/lint');
    expect(lint?.path).toBe('spec.tasks[1].pipelineSpec.tasks[0]');
    expect(lint?.taskSpec?.basePath).toBe('spec.tasks[1].pipelineSpec.tasks[0].taskSpec');
    expect(lint?.taskSpec?.owner).toMatchObject({ kind: 'Pipeline', name: 'parent' });
    expect(lint?.owner).toMatchObject({ kind: 'Pipeline', name: 'parent' });
  });

  it('resolves a child Pipeline by name in the same namespace, with that object as owner', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: child, namespace: ci}
spec:
  tasks:
  - name: build
    taskSpec: {steps: [{name: build, image: "golang:latest"}]}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  tasks:
  - name: sub
    pipelineRef: {name: child}
`);
    const sub = pipeline(m, 'parent').spec?.tasks[0];
    expect(sub).toMatchObject({ name: 'sub/build', path: 'spec.tasks[0]', owner: { kind: 'Pipeline', name: 'child' }, specSource: 'inline', isCustomTask: false });
    expect(sub?.taskSpec?.owner).toMatchObject({ kind: 'Pipeline', name: 'child' });
  });

  it('resolves a resolver-referenced child from the child PipelineRun\'s status.pipelineSpec', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  tasks:
  - name: sub
    pipelineRef:
      resolver: git
      params: [{name: url, value: https://github.com/acme/p}, {name: pathInRepo, value: child.yaml}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: parent-run-1, namespace: ci}
spec: {pipelineRef: {name: parent}}
status: {startTime: "2026-11-20T10:00:00Z"}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: parent-run-1-sub
  namespace: ci
  labels: {tekton.dev/pipelineRun: parent-run-1, tekton.dev/pipelineTask: sub}
spec: {pipelineRef: {resolver: git}}
status:
  startTime: "2026-11-20T10:00:05Z"
  pipelineSpec:
    tasks:
    - name: build
      taskSpec: {steps: [{name: build, image: kaniko}]}
`);
    const sub = pipeline(m, 'parent').spec?.tasks[0];
    expect(sub).toMatchObject({ name: 'sub/build', path: 'status.pipelineSpec.tasks[0]', owner: { kind: 'PipelineRun', name: 'parent-run-1-sub' } });
  });

  it('leaves an unresolvable child unresolved (unknown), never a custom task with no steps', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  tasks:
  - name: sub
    pipelineRef: {resolver: bundles, params: [{name: bundle, value: "ghcr.io/acme/p:1"}]}
`);
    const p = pipeline(m, 'parent');
    expect(p.spec?.tasks[0]).toMatchObject({ name: 'sub', specSource: 'unresolved', isCustomTask: false, taskSpec: null });
    expect(p.issues.join(' ')).toContain('bundles resolver');
  });

  it('reports a pipeline that includes itself as an issue, without hanging', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: a, namespace: ci}
spec:
  tasks:
  - name: again
    pipelineRef: {name: b}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: b, namespace: ci}
spec:
  tasks:
  - name: back
    pipelineRef: {name: a}
  - name: work
    taskSpec: {steps: [{name: w, image: alpine}]}
`);
    const a = pipeline(m, 'a');
    expect(a.spec?.tasks.map((t) => `${t.name}:${t.specSource}`)).toEqual(['again/back:unresolved', 'again/work:inline']);
    expect(a.issues.join(' ')).toContain('includes itself (a → b → a)');
  });

  it('caps inline nesting depth with an issue', () => {
    let spec = '{tasks: [{name: leaf, taskSpec: {steps: [{name: s, image: alpine}]}}]}';
    for (let d = 0; d < MAX_PIPELINE_NESTING + 2; d++) spec = `{tasks: [{name: n${d}, pipelineSpec: ${spec}}]}`;
    const m = model(`apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: deep, namespace: ci}\nspec: ${spec}\n`);
    const p = pipeline(m, 'deep');
    expect(p.spec?.tasks).toHaveLength(1);
    expect(p.spec?.tasks[0].specSource).toBe('unresolved');
    expect(p.spec?.tasks[0].name.split('/')).toHaveLength(MAX_PIPELINE_NESTING + 1);
    expect(p.issues.join(' ')).toContain(`nested deeper than ${MAX_PIPELINE_NESTING}`);
  });

  it('never crashes on hostile child specs', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: hostile, namespace: ci}
spec:
  tasks:
  - name: a
    pipelineSpec: {tasks: "nope"}
  - name: b
    pipelineSpec: [1, 2]
  - name: c
    pipelineRef: 7
    runAfter: [a, b]
  - pipelineSpec: {tasks: [null, 3, {name: x, runAfter: [x]}]}
`);
    const p = pipeline(m, 'hostile');
    expect(p.spec?.tasks.length).toBeGreaterThan(0);
    expect(p.issues.length).toBeGreaterThan(0);
  });

  it('gives credential reach through the parent\'s mapping and the top-level task\'s service account', () => {
    const m = model(`${INLINE}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: parent-run-1, namespace: ci}
spec:
  pipelineRef: {name: parent}
  taskRunTemplate: {serviceAccountName: builder}
  taskRunSpecs: [{pipelineTaskName: scans, serviceAccountName: scanner}]
  workspaces:
  - {name: shared, emptyDir: {}}
  - {name: creds, secret: {secretName: scan-token}}
status: {startTime: "2026-11-20T10:00:00Z"}
`);
    const reach = pipeline(m, 'parent').credentialReach.find((r) => r.task === 'scans/lint');
    expect(reach?.serviceAccountName).toBe('scanner');
    expect(reach?.credentials).toEqual([{ secretName: 'scan-token', via: 'workspace', path: 'spec.tasks[1].pipelineSpec.tasks[0].workspaces[1]' }]);
  });

  it('re-builds the parent pipeline when a child PipelineRun or its TaskRun arrives later (live)', () => {
    const base = loadYamlText(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  tasks:
  - name: sub
    pipelineRef: {resolver: git, params: [{name: url, value: https://github.com/acme/p}]}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: parent-run-1, namespace: ci}
spec: {pipelineRef: {name: parent}}
status: {startTime: "2026-11-20T10:00:00Z"}
`, 'base.yaml').objects;
    const later = loadYamlText(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: parent-run-1-sub
  namespace: ci
  labels: {tekton.dev/pipelineRun: parent-run-1, tekton.dev/pipelineTask: sub}
spec: {pipelineRef: {resolver: git}}
status:
  startTime: "2026-11-20T10:00:05Z"
  pipelineSpec:
    tasks:
    - name: build
      taskRef: {resolver: hub, params: [{name: name, value: kaniko}]}
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: parent-run-1-sub-build
  namespace: ci
  labels: {tekton.dev/pipelineRun: parent-run-1-sub, tekton.dev/pipelineTask: build}
status:
  taskSpec: {steps: [{name: build, image: kaniko, securityContext: {privileged: true}}]}
`, 'later.yaml').objects;
    const builder = new ModelBuilder(base, { sourceKind: 'live', policy });
    const before = builder.build().pipelines.find((p) => p.name === 'parent');
    expect(before?.spec?.tasks[0].specSource).toBe('unresolved');
    const childRun = later.find((o) => o.kind === 'PipelineRun')!;
    const taskRun = later.find((o) => o.kind === 'TaskRun')!;
    const parentGroups = builder.applyRun(childRun, false).groups;
    const trGroups = builder.applyRun(taskRun, false).groups;
    const { model: after } = builder.rebuild([...parentGroups, ...trGroups]);
    const sub = after.pipelines.find((p) => p.name === 'parent')?.spec?.tasks[0];
    expect(sub).toMatchObject({ name: 'sub/build', specSource: 'taskrun-status' });
    expect(sub?.taskSpec?.steps[0].securityContext?.privileged).toBe(true);
  });

  it('expands the experimental Pipelines-in-Pipelines custom task (taskRef kind Pipeline) the same way', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: child, namespace: ci}
spec:
  tasks:
  - name: build
    taskSpec: {steps: [{name: build, image: golang}]}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  tasks:
  - name: sub
    taskRef: {apiVersion: tekton.dev/v1beta1, kind: Pipeline, name: child}
  - name: other
    taskRef: {apiVersion: example.dev/v1, kind: Pipeline, name: child}
`);
    const tasks = pipeline(m, 'parent').spec?.tasks;
    expect(tasks?.map((t) => `${t.name}:${t.isCustomTask}`)).toEqual(['sub/build:false', 'other:true']);
  });

  it('keeps a child pipeline run from finally in finally, its inner result references not dangling', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: parent, namespace: ci}
spec:
  tasks:
  - name: build
    taskSpec: {steps: [{name: b, image: alpine}]}
  finally:
  - name: report
    pipelineSpec:
      tasks:
      - name: collect
        taskSpec: {results: [{name: out}], steps: [{name: c, image: alpine}]}
      - name: send
        params: [{name: x, value: "$(tasks.collect.results.out)"}]
        taskSpec: {steps: [{name: s, image: curl}]}
`);
    const p = pipeline(m, 'parent');
    expect(p.dag.finallyNodes).toEqual(['report/collect', 'report/send']);
    expect(p.dag.dangling).toEqual([]);
    expect(p.issues).toEqual([]);
  });

  it('keeps a child PipelineRun that carries its parent\'s PaC identity out of the parent\'s runs', () => {
    const m = model(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: app-on-push-abcde
  namespace: ci
  labels: {pipelinesascode.tekton.dev/original-prname: app-on-push}
spec:
  pipelineSpec:
    tasks:
    - name: images
      pipelineRef: {resolver: git, params: [{name: url, value: https://github.com/acme/p}]}
status:
  startTime: "2026-11-20T10:00:00Z"
  pipelineSpec:
    tasks:
    - name: images
      pipelineRef: {resolver: git, params: [{name: url, value: https://github.com/acme/p}]}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: app-on-push-abcde-images
  namespace: ci
  labels:
    pipelinesascode.tekton.dev/original-prname: app-on-push
    tekton.dev/pipelineRun: app-on-push-abcde
    tekton.dev/pipelineTask: images
spec: {pipelineRef: {resolver: git}}
status:
  startTime: "2026-11-20T10:00:09Z"
  pipelineSpec:
    tasks:
    - name: build
      taskSpec: {steps: [{name: build, image: kaniko}]}
`);
    const p = pipeline(m, 'app-on-push');
    expect(p.runs.map((r) => r.name)).toEqual(['app-on-push-abcde']);
    expect(p.totalRuns).toBe(1);
    expect(p.spec?.owner.name).toBe('app-on-push-abcde');
    expect(p.spec?.tasks.map((t) => t.name)).toEqual(['images/build']);
  });
});
