import { describe, expect, it } from 'vitest';
import type { Finding } from '../checks/types';
import { generateCluster } from '../demo/generate';
import { buildClusterModel } from '../model/build';
import { loadYamlText, toObjects, type LoadResult } from '../model/load';
import type { PipelineModel } from '../model/types';
import { defaultPolicy } from '../policy/defaults';
import { layoutPipelineGraph, type GraphNode, type PipelineGraph, type TaskNodeData, type WorkspaceNodeData } from './dag-layout';

function pipelineFrom(yamlText: string, name?: string): PipelineModel {
  const model = buildClusterModel(loadYamlText(yamlText).objects, { sourceKind: 'files', policy: defaultPolicy() });
  const p = name ? model.pipelines.find((x) => x.name === name) : model.pipelines[0];
  if (!p) throw new Error(`no pipeline ${name ?? ''}`);
  return p;
}

function finding(checkId: string, outcome: Finding['outcome'], evidence: Finding['evidence']): Finding {
  return { checkId, title: `${checkId} title`, category: 'steps', severity: 'high', outcome, message: `${checkId} message`, evidence };
}

const task = (g: PipelineGraph, name: string) => g.nodes.find((n) => n.id === `task:${name}`) as GraphNode<TaskNodeData>;
const ws = (g: PipelineGraph, name: string) => g.nodes.find((n) => n.id === `ws:${name}`) as GraphNode<WorkspaceNodeData>;

/** No two drawable nodes overlap (the finally group box is meant to contain its tasks). */
function expectNoOverlap(g: PipelineGraph): void {
  const boxes = g.nodes.filter((n) => n.type !== 'finallyGroup');
  for (const n of g.nodes) {
    expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), n.id).toBe(true);
    expect(n.position.x + n.width, n.id).toBeLessThanOrEqual(g.width);
    expect(n.position.y + n.height, n.id).toBeLessThanOrEqual(g.height);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const overlap = a.position.x < b.position.x + b.width && b.position.x < a.position.x + a.width && a.position.y < b.position.y + b.height && b.position.y < a.position.y + a.height;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
}

const THREE_TASKS = `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: git-clone, namespace: ci}
spec:
  steps:
  - name: clone
    image: cgr.dev/chainguard/git@sha256:${'a'.repeat(64)}
    securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: build, namespace: ci}
spec:
  tasks:
  - name: clone
    taskRef: {name: git-clone}
  - name: build
    runAfter: [clone]
    taskRef:
      resolver: git
      params:
      - {name: url, value: https://github.com/acme/tasks.git}
      - {name: revision, value: main}
      - {name: pathInRepo, value: tasks/kaniko.yaml}
  - name: push
    params: [{name: digest, value: "$(tasks.build.results.IMAGE_DIGEST)"}]
    taskSpec:
      steps:
      - {name: push, image: docker.io/library/alpine:3.20, securityContext: {privileged: true}}
      - {name: sign, image: "$(params.signer)"}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-run-2, namespace: ci, creationTimestamp: "2026-11-21T10:00:00Z"}
spec:
  pipelineRef: {name: build}
status:
  conditions: [{type: Succeeded, status: "False", reason: Failed}]
  startTime: "2026-11-21T10:00:00Z"
  completionTime: "2026-11-21T10:05:00Z"
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: build-run-2-build
  namespace: ci
  labels: {tekton.dev/pipelineRun: build-run-2, tekton.dev/pipelineTask: build}
  annotations: {chains.tekton.dev/signed: "failed"}
  ownerReferences: [{apiVersion: tekton.dev/v1, kind: PipelineRun, name: build-run-2}]
spec: {taskRef: {name: kaniko}}
status:
  conditions: [{type: Succeeded, status: "False", reason: Failed}]
  startTime: "2026-11-21T10:01:00Z"
  completionTime: "2026-11-21T10:03:00Z"
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-run-1, namespace: ci, creationTimestamp: "2026-11-20T10:00:00Z"}
spec:
  pipelineRef: {name: build}
status:
  conditions: [{type: Succeeded, status: "True", reason: Succeeded}]
  startTime: "2026-11-20T10:00:00Z"
  completionTime: "2026-11-20T10:05:00Z"
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: build-run-1-clone
  namespace: ci
  labels: {tekton.dev/pipelineRun: build-run-1, tekton.dev/pipelineTask: clone}
  annotations: {chains.tekton.dev/signed: "true", chains.tekton.dev/transparency: "https://rekor.sigstore.dev/api/v1/log/entries?logIndex=1"}
  ownerReferences: [{apiVersion: tekton.dev/v1, kind: PipelineRun, name: build-run-1}]
spec: {taskRef: {name: git-clone}}
status:
  conditions: [{type: Succeeded, status: "True", reason: Succeeded}]
  startTime: "2026-11-20T10:01:00Z"
  completionTime: "2026-11-20T10:02:00Z"
`;

describe('layoutPipelineGraph: three tasks', () => {
  const p = pipelineFrom(THREE_TASKS, 'build');

  it('places tasks left to right in run order, with edges of the right kind', () => {
    const g = layoutPipelineGraph(p, []);
    const [clone, build, push] = ['clone', 'build', 'push'].map((n) => task(g, n));
    expect(clone.position.x).toBeLessThan(build.position.x);
    expect(build.position.x).toBeLessThan(push.position.x);
    const deps = g.edges.filter((e) => e.kind !== 'workspace').map((e) => [e.source, e.target, e.kind, e.cycle]);
    expect(deps).toEqual([
      ['task:clone', 'task:build', 'runAfter', false],
      ['task:build', 'task:push', 'result', false],
    ]);
    expect(g.compact).toBe(false);
    expect(g.legend.edges.find((l) => l.key === 'result')?.present).toBe(true);
    expect(g.legend.edges.find((l) => l.key === 'cycle')?.present).toBe(false);
    expectNoOverlap(g);
  });

  it('describes each task: source, images and their pinning, security context', () => {
    const g = layoutPipelineGraph(p, []);
    const clone = task(g, 'clone').data;
    expect(clone.source).toMatchObject({ kind: 'task', label: 'Task git-clone', specSource: 'task-object' });
    expect(clone.images).toEqual([{ container: 'clone', image: `cgr.dev/chainguard/git@sha256:${'a'.repeat(64)}`, pin: 'digest' }]);
    expect(clone.security).toEqual({ nonRoot: 'ok', notPrivileged: 'ok', noEscalation: 'ok' });
    const build = task(g, 'build').data;
    expect(build.source).toMatchObject({ kind: 'remote', resolver: 'git', pinned: false, label: 'git resolver · kaniko.yaml' });
    const push = task(g, 'push').data;
    expect(push.source.kind).toBe('inline');
    expect(push.images.map((i) => i.pin)).toEqual(['tag', 'param']);
    expect(push.imageCounts).toEqual({ total: 2, unpinned: 2 });
    expect(push.security).toEqual({ nonRoot: 'unset', notPrivileged: 'bad', noEscalation: 'bad' });
    // nodes are sized from their content, and the size is what the canvas gets
    expect(task(g, 'push').height).toBeGreaterThan(task(g, 'clone').height);
  });

  it('attaches findings whose evidence points into a task (pipeline path, Task object, TaskRun)', () => {
    const findings = [
      finding('SUP-001', 'fail', [{ kind: 'Pipeline', namespace: 'ci', name: 'build', path: 'spec.tasks[2].taskSpec.steps[0].image' }]),
      finding('STP-005', 'fail', [{ kind: 'Task', namespace: 'ci', name: 'git-clone', path: 'spec.steps[0].securityContext' }]),
      finding('SUP-005', 'warn', [{ kind: 'TaskRun', namespace: 'ci', name: 'build-run-2-build', path: 'metadata.annotations' }]),
      finding('SUP-004', 'fail', [{ kind: 'Pipeline', namespace: 'ci', name: 'build', path: 'spec.tasks[1].taskRef.params[1]' }]),
      // prefixes are exact: tasks[1] must not match tasks[10]; other pipelines' objects do not match
      finding('X-001', 'fail', [{ kind: 'Pipeline', namespace: 'ci', name: 'build', path: 'spec.tasks[10].name' }]),
      finding('X-002', 'fail', [{ kind: 'Pipeline', namespace: 'other', name: 'build', path: 'spec.tasks[0]' }]),
      finding('X-003', 'pass', [{ kind: 'Pipeline', namespace: 'ci', name: 'build', path: 'spec.tasks[0]' }]),
    ];
    const g = layoutPipelineGraph(p, findings);
    expect(task(g, 'push').data.findings.map((f) => f.checkId)).toEqual(['SUP-001']);
    expect(task(g, 'push').data.findings[0]).toMatchObject({ title: 'SUP-001 title', severity: 'high', outcome: 'fail', message: 'SUP-001 message', paths: ['spec.tasks[2].taskSpec.steps[0].image'] });
    expect(task(g, 'clone').data.findings.map((f) => f.checkId)).toEqual(['STP-005']);
    expect(task(g, 'build').data.findings.map((f) => [f.checkId, f.outcome])).toEqual([
      ['SUP-004', 'fail'],
      ['SUP-005', 'warn'],
    ]);
    expect(task(g, 'build').data.failedFindings).toBe(1);
  });

  it('shows the newest run by default, and a chosen run by name (joined by pipelineTaskName)', () => {
    const newest = layoutPipelineGraph(p, []);
    expect(newest.run).toMatchObject({ name: 'build-run-2', status: 'failed' });
    expect(task(newest, 'build').data.run).toEqual({ runName: 'build-run-2', taskRunName: 'build-run-2-build', status: 'failed', chains: 'failed' });
    expect(task(newest, 'clone').data.run).toMatchObject({ taskRunName: null, status: 'not-run', chains: null });

    const older = layoutPipelineGraph(p, [], { runName: 'build-run-1' });
    expect(older.run?.name).toBe('build-run-1');
    expect(task(older, 'clone').data.run).toEqual({ runName: 'build-run-1', taskRunName: 'build-run-1-clone', status: 'succeeded', chains: 'signed-with-evidence' });

    const missing = layoutPipelineGraph(p, [], { runName: 'nope' });
    expect(missing.runNotFound).toBe(true);
    expect(missing.run).toBeNull();
    expect(task(missing, 'clone').data.run).toBeNull();
  });
});

const FINALLY_AND_WORKSPACES = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared-cache, namespace: ci}
spec: {accessModes: [ReadWriteMany]}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: release, namespace: ci}
spec:
  workspaces:
  - {name: source}
  - {name: registry-creds}
  - {name: cache}
  - {name: scratch}
  - {name: settings}
  - {name: never-bound, optional: true}
  tasks:
  - name: clone
    workspaces: [{name: output, workspace: source}]
    taskSpec:
      workspaces: [{name: output}]
      steps: [{name: clone, image: alpine}]
  - name: build
    runAfter: [clone]
    workspaces: [{name: src, workspace: source}, {name: c, workspace: cache}, {name: tmp, workspace: scratch}]
    taskSpec:
      workspaces: [{name: src, readOnly: true}, {name: c}, {name: tmp}]
      steps: [{name: build, image: alpine}]
  - name: push
    runAfter: [build]
    workspaces: [{name: src, workspace: source}, {name: dockerconfig, workspace: registry-creds}, {name: s, workspace: settings}]
    taskSpec:
      workspaces: [{name: src}, {name: dockerconfig}, {name: s}]
      steps: [{name: push, image: alpine}]
  finally:
  - name: notify
    params: [{name: digest, value: "$(tasks.push.results.IMAGE_DIGEST)"}]
    taskSpec:
      steps: [{name: notify, image: alpine}]
  - name: cleanup
    workspaces: [{name: c, workspace: cache}]
    taskSpec:
      workspaces: [{name: c}]
      steps: [{name: cleanup, image: alpine}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: release-1, namespace: ci}
spec:
  pipelineRef: {name: release}
  workspaces:
  - name: source
    volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}
  - {name: registry-creds, secret: {secretName: registry-credentials}}
  - {name: cache, persistentVolumeClaim: {claimName: shared-cache}}
  - {name: scratch, emptyDir: {}}
  - {name: settings, configMap: {name: build-settings}}
status:
  conditions: [{type: Succeeded, status: "True", reason: Succeeded}]
`;

describe('layoutPipelineGraph: finally and workspaces', () => {
  const p = pipelineFrom(FINALLY_AND_WORKSPACES, 'release');
  const g = layoutPipelineGraph(p, []);

  it('puts finally tasks in their own group after the last rank', () => {
    const group = g.nodes.find((n) => n.type === 'finallyGroup');
    expect(group?.data).toEqual({ kind: 'group', label: 'finally', count: 2 });
    expect(group?.selectable).toBe(false);
    expect(group?.focusable).toBe(false);
    const mainRight = Math.max(...['clone', 'build', 'push'].map((n) => task(g, n).position.x + task(g, n).width));
    for (const name of ['notify', 'cleanup']) {
      const t = task(g, name);
      expect(t.data.isFinally).toBe(true);
      expect(t.position.x).toBeGreaterThan(mainRight);
      expect(t.position.x).toBeGreaterThanOrEqual(group!.position.x);
      expect(t.position.y).toBeGreaterThanOrEqual(group!.position.y);
      expect(t.position.x + t.width).toBeLessThanOrEqual(group!.position.x + group!.width);
      expect(t.position.y + t.height).toBeLessThanOrEqual(group!.position.y + group!.height);
    }
    // the group precedes its tasks so it is drawn beneath them
    expect(g.nodes.indexOf(group!)).toBeLessThan(g.nodes.indexOf(task(g, 'notify')));
    // a finally task consuming a result gets a result edge
    expect(g.edges.some((e) => e.source === 'task:push' && e.target === 'task:notify' && e.kind === 'result')).toBe(true);
    expectNoOverlap(g);
  });

  it('colours workspaces by binding and draws a dotted mount edge per task', () => {
    expect(ws(g, 'registry-creds').data).toMatchObject({ binding: 'credential', badge: 'credential', detail: 'Secret registry-credentials', mountedBy: ['push'] });
    expect(ws(g, 'cache').data).toMatchObject({ binding: 'pvc-rwx', badge: 'RWX PVC', mountedBy: ['build', 'cleanup'] });
    expect(ws(g, 'cache').data.detail).toContain('ReadWriteMany');
    expect(ws(g, 'source').data).toMatchObject({ binding: 'claim-template', mountedBy: ['clone', 'build', 'push'] });
    expect(ws(g, 'scratch').data.binding).toBe('empty-dir');
    expect(ws(g, 'settings').data.binding).toBe('config-map');
    expect(ws(g, 'never-bound').data).toMatchObject({ binding: 'unbound', optional: true, mountedBy: [] });
    const mountEdges = g.edges.filter((e) => e.kind === 'workspace');
    expect(mountEdges).toHaveLength(8);
    expect(mountEdges.find((e) => e.source === 'task:build' && e.target === 'ws:source')?.readOnly).toBe(true);
    expect(mountEdges.every((e) => e.sourceHandle === 'ws' && e.targetHandle === 'in')).toBe(true);
    // the lane sits below every task, each workspace near the tasks that mount it
    const lowest = Math.max(...g.nodes.filter((n) => n.type !== 'workspace').map((n) => n.position.y + n.height));
    for (const n of g.nodes.filter((x) => x.type === 'workspace')) expect(n.position.y).toBeGreaterThan(lowest);
    expect(ws(g, 'registry-creds').position.x).toBeGreaterThan(ws(g, 'source').position.x - 1);
    // the secret reaches the task that mounts it
    expect(task(g, 'push').data.credentials).toEqual([{ name: 'registry-credentials', via: ['workspace'] }]);
    expect(task(g, 'build').data.workspaces.map((w) => w.binding)).toEqual(['claim-template', 'pvc-rwx', 'empty-dir']);
    const present = g.legend.bindings.filter((b) => b.present).map((b) => b.key);
    expect(present.sort()).toEqual(['claim-template', 'config-map', 'credential', 'empty-dir', 'pvc-rwx', 'unbound']);
    expect(g.legend.bindings.every((b) => b.label && b.description)).toBe(true);
  });

  it('without a run, every workspace is unbound', () => {
    const noRun = pipelineFrom(FINALLY_AND_WORKSPACES.split('---').slice(0, 2).join('---'), 'release');
    const g2 = layoutPipelineGraph(noRun, []);
    expect(g2.run).toBeNull();
    expect(g2.nodes.filter((n) => n.type === 'workspace').every((n) => (n.data as WorkspaceNodeData).binding === 'unbound')).toBe(true);
  });
});

describe('layoutPipelineGraph: broken graphs', () => {
  it('lays out cycles (edges marked) and dangling references (placeholder nodes) without throwing', () => {
    const p = pipelineFrom(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: loop, namespace: ci}
spec:
  tasks:
  - {name: a, runAfter: [c], taskRef: {name: t}}
  - {name: b, runAfter: [a], taskRef: {name: t}}
  - {name: c, runAfter: [b], taskRef: {name: t}}
  - {name: d, runAfter: [a, ghost, d], taskRef: {name: t}}
  finally:
  - {name: f, params: [{name: x, value: "$(tasks.phantom.results.y)"}], taskRef: {name: t}}
`);
    const g = layoutPipelineGraph(p, []);
    expect(g.stats.cycles).toBe(1);
    const cycleEdges = g.edges.filter((e) => e.cycle).map((e) => `${e.source}>${e.target}`);
    expect(cycleEdges.sort()).toEqual(['task:a>task:b', 'task:b>task:c', 'task:c>task:a']);
    expect(g.edges.find((e) => e.source === 'task:a' && e.target === 'task:d')?.cycle).toBe(false);
    expect(task(g, 'a').data.onCycle).toBe(true);
    expect(task(g, 'a').data.issues).toContain('on a dependency cycle');
    expect(task(g, 'd').data.issues).toContain('runs after itself');
    const ghosts = g.nodes.filter((n) => n.type === 'missing').map((n) => n.data);
    expect(ghosts).toEqual([
      { kind: 'missing', name: 'ghost', referencedBy: ['d'] },
      { kind: 'missing', name: 'phantom', referencedBy: ['f'] },
    ]);
    expect(g.edges.filter((e) => e.kind === 'dangling').map((e) => `${e.source}>${e.target}`)).toEqual(['missing:ghost>task:d', 'missing:phantom>task:f']);
    expect(g.legend.edges.find((l) => l.key === 'cycle')?.present).toBe(true);
    expectNoOverlap(g);
  });

  it('keeps node ids unique when a hostile spec repeats a task name', () => {
    const p = pipelineFrom(`
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: dup, namespace: ci}
spec:
  tasks:
  - {name: same, taskRef: {name: t}}
  - {name: same, taskRef: {name: t}}
`);
    const g = layoutPipelineGraph(p, []);
    const ids = g.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['task:same', 'task:same#2']);
  });

  it('returns an empty, marked graph when the spec is unresolved', () => {
    const p = pipelineFrom(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: r1, namespace: ci, labels: {tekton.dev/pipeline: remote}}
spec:
  pipelineRef:
    resolver: git
    params: [{name: url, value: https://example.com/x.git}]
status:
  conditions: [{type: Succeeded, status: "True", reason: Succeeded}]
`);
    const g = layoutPipelineGraph(p, []);
    expect(g.unresolved).toBe(true);
    expect(g.nodes).toEqual([]);
  });
});

describe('layoutPipelineGraph: 150 tasks', () => {
  function bench(p: PipelineModel): { g: PipelineGraph; best: number } {
    let best = Number.POSITIVE_INFINITY;
    let g = layoutPipelineGraph(p, []); // warm-up (JIT)
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      g = layoutPipelineGraph(p, []);
      best = Math.min(best, performance.now() - t);
    }
    return { g, best };
  }

  it('lays out the generated benchmark pipeline (150 tasks) in well under 100 ms', () => {
    const out: LoadResult = { objects: [], issues: [], ignored: 0 };
    for (const raw of generateCluster({ pipelines: 1, runsPerPipeline: 2, taskRunsPerRun: 3, namespaces: 1, bigPipelineTasks: 150 })) toObjects(raw, {}, out);
    const model = buildClusterModel(out.objects, { sourceKind: 'files', policy: defaultPolicy() });
    const p = model.pipelines.find((x) => x.name === 'pipeline-0')!;
    const { g, best } = bench(p);
    expect(g.compact).toBe(true);
    expect(g.nodes.filter((n) => n.type === 'task')).toHaveLength(150);
    expect(g.edges.filter((e) => e.kind === 'runAfter')).toHaveLength(149);
    expect(task(g, 'task-1').data.images).toHaveLength(1); // data kept; the canvas shows counts only
    expectNoOverlap(g);
    expect(best).toBeGreaterThan(0); // timing is bench:ui's business, not a unit test's
  });

  it('lays out a 150-task chain-and-fan YAML pipeline', () => {
    const tasks = Array.from({ length: 150 }, (_, i) => `  - {name: t${i}, runAfter: [${i ? `t${Math.floor(i / 3)}` : ''}], taskSpec: {steps: [{image: alpine}]}}`).join('\n');
    const p = pipelineFrom(`apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: big, namespace: ci}\nspec:\n  tasks:\n${tasks}\n`);
    const { g, best } = bench(p);
    expect(g.nodes).toHaveLength(150);
    expectNoOverlap(g);
    expect(best).toBeGreaterThan(0);
  });

  const bigPipeline = (n: number, chained: boolean) =>
    pipelineFrom(
      `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: big, namespace: ci}\nspec:\n  tasks:\n${Array.from(
        { length: n },
        (_, i) => `  - {name: t${i}, runAfter: [${chained && i ? `t${i - 1}` : ''}], taskSpec: {steps: [{image: alpine}]}}`,
      ).join('\n')}\n`,
    );

  it('lays out graphs past dagre\'s bound in layers by depth, without recursion, chained or parallel', () => {
    const chain = layoutPipelineGraph(bigPipeline(1200, true), []);
    expect(chain.tooBig).toBeFalsy();
    expect(chain.nodes).toHaveLength(1200);
    const xs = Array.from({ length: 1200 }, (_, i) => task(chain, `t${i}`).position.x);
    expect(xs.every((x, i) => i === 0 || x > xs[i - 1])).toBe(true);
    const par = layoutPipelineGraph(bigPipeline(1200, false), []);
    expect(new Set(par.nodes.map((n) => n.position.x)).size).toBe(1);
    expectNoOverlap({ ...par, nodes: par.nodes.slice(0, 50) });
  });

  it('draws no canvas past GRAPH_MAX_TASKS but keeps the counts (the page lists the tasks)', () => {
    const g = layoutPipelineGraph(bigPipeline(5000, true), []);
    expect(g).toMatchObject({ tooBig: true, unresolved: false, nodes: [], edges: [] });
    expect(g.stats.tasks).toBe(5000);
  });
});

describe('layoutPipelineGraph: pipelines in pipelines', () => {
  it('draws a child pipeline\'s tasks and attaches findings that point into the child Pipeline object', () => {
    const p = pipelineFrom(
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: scan, namespace: ci}
spec:
  tasks:
  - name: trivy
    taskSpec: {steps: [{name: trivy, image: "aquasec/trivy:latest"}]}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: release, namespace: ci}
spec:
  tasks:
  - name: build
    taskSpec: {steps: [{name: build, image: golang}]}
  - name: security
    runAfter: [build]
    pipelineRef: {name: scan}
`,
      'release',
    );
    const ev = { kind: 'Pipeline', namespace: 'ci', name: 'scan', path: 'spec.tasks[0].taskSpec.steps[0].image' };
    const g = layoutPipelineGraph(p, [finding('SUP-002', 'fail', [ev])]);
    expect(task(g, 'security/trivy').data.findings.map((f) => f.checkId)).toEqual(['SUP-002']);
    expect(task(g, 'build').data.findings).toEqual([]);
    expect(g.edges.some((e) => e.source === 'task:build' && e.target === 'task:security/trivy')).toBe(true);
  });
});
