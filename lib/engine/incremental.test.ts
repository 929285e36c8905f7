import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadYamlText, makeObject } from '../model/load';
import type { K8sObject } from '../model/types';
import { defaultPolicy } from '../policy/defaults';
import type { Report } from '../report/types';
import { IncrementalScan } from './incremental';
import { scan } from './scan';

/**
 * The live source feeds run changes to IncrementalScan.applyRuns one batch at a time. Whatever the sequence of
 * PipelineRun/TaskRun additions, changes and deletions, the result must be the report a full scan of the final
 * objects gives. The report time is pinned, so time-based verdicts compare too.
 */
const NOW = '2026-11-22T12:00:00.000Z';
const policy = defaultPolicy({ now: NOW, waivers: [{ checkId: 'SUP-005', subject: 'team-b/*', reason: 'r', owner: 'o', expires: '2027-01-01' }] });
const source = { kind: 'files' as const };

const BASE = loadYamlText(
  `
apiVersion: v1
kind: Namespace
metadata: { name: team-a, labels: { team: alpha, pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: v1
kind: Namespace
metadata: { name: team-b }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: builder, namespace: team-a }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: builder, namespace: team-b }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: builder-edit, namespace: team-b }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
subjects: [{ kind: ServiceAccount, name: builder, namespace: team-b }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: chains-config, namespace: tekton-chains }
data: { artifacts.pipelinerun.format: slsa/v1, artifacts.pipelinerun.storage: tekton }
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: build, namespace: team-a }
spec:
  params: [{ name: revision, type: string }]
  tasks:
    - name: compile
      params: [{ name: revision, value: $(params.revision) }]
      taskSpec:
        params: [{ name: revision }]
        results: [{ name: IMAGE_URL }, { name: IMAGE_DIGEST }]
        steps:
          - name: make
            image: registry.example.com/tools/make@sha256:${'a'.repeat(64)}
            script: make build
`,
  'base.yaml',
).objects;

const RUN_NAMES = ['r0', 'r1', 'r2', 'r3'];
const TASKRUN_NAMES = ['t0', 't1', 't2', 't3', 't4'];
const NAMESPACES = ['team-a', 'team-b'];
/** Minutes before NOW: inside SUP-005's signing grace, days, weeks. */
const AGES = [2, 3 * 24 * 60, 40 * 24 * 60];

const minutesBefore = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

const pipelineRunArb = fc.record({
  name: fc.constantFrom(...RUN_NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  // which pipeline it belongs to: the Pipeline object, a ref with no object, an inline spec, a PaC run
  identity: fc.constantFrom('ref-build', 'ref-deploy', 'inline', 'pac'),
  status: fc.constantFrom('True', 'False', 'Unknown', 'none'),
  age: fc.constantFrom(...AGES),
  started: fc.integer({ min: 0, max: 500 }),
  signed: fc.constantFrom('none', 'true', 'failed', 'evidence', 'retrying'),
  finalizer: fc.boolean(),
  serviceAccount: fc.constantFrom('builder', 'default', ''),
  // STP-007 reads the raw step of an inline spec (hostPort) from the run object itself
  hostPort: fc.boolean(),
});

const taskRunArb = fc.record({
  name: fc.constantFrom(...TASKRUN_NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  parent: fc.constantFrom(...RUN_NAMES, null),
  status: fc.constantFrom('True', 'False', 'Unknown'),
  age: fc.constantFrom(...AGES),
  signed: fc.constantFrom('none', 'true', 'failed', 'evidence'),
  image: fc.constantFrom('alpine:latest', `registry.example.com/x@sha256:${'b'.repeat(64)}`),
});

type PipelineRunSpec = typeof pipelineRunArb extends fc.Arbitrary<infer T> ? T : never;
type TaskRunSpec = typeof taskRunArb extends fc.Arbitrary<infer T> ? T : never;

type Change = { op: 'upsert'; run: PipelineRunSpec } | { op: 'upsert-task'; run: TaskRunSpec } | { op: 'delete'; which: number };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 3, arbitrary: pipelineRunArb.map((run) => ({ op: 'upsert' as const, run })) },
  { weight: 3, arbitrary: taskRunArb.map((run) => ({ op: 'upsert-task' as const, run })) },
  { weight: 2, arbitrary: fc.nat().map((which) => ({ op: 'delete' as const, which })) },
);

function chainsAnnotations(signed: string, kind: 'pipelinerun' | 'taskrun', uid: string): Record<string, string> {
  if (signed === 'true') return { 'chains.tekton.dev/signed': 'true' };
  if (signed === 'failed') return { 'chains.tekton.dev/signed': 'failed', 'chains.tekton.dev/retries': '3' };
  if (signed === 'retrying') return { 'chains.tekton.dev/retries': '2' };
  if (signed === 'evidence') {
    return { 'chains.tekton.dev/signed': 'true', [`chains.tekton.dev/payload-${kind}-${uid}`]: 'e30=', [`chains.tekton.dev/signature-${kind}-${uid}`]: 'e30=', 'chains.tekton.dev/transparency': 'https://rekor.example.com/api/v1/log/entries?logIndex=1' };
  }
  return {};
}

function condition(status: string, completed: string) {
  if (status === 'none') return {};
  const reason = status === 'True' ? 'Succeeded' : status === 'False' ? 'Failed' : 'Running';
  return { conditions: [{ type: 'Succeeded', status, reason }], ...(status === 'Unknown' ? {} : { completionTime: completed }) };
}

function pipelineRun(r: PipelineRunSpec): K8sObject {
  const uid = `uid-pr-${r.namespace}-${r.name}`;
  const completed = minutesBefore(r.age);
  // distinct start times per run name keep the "recent runs" order free of ties
  const started = minutesBefore(r.age + 10 + r.started * 10 + RUN_NAMES.indexOf(r.name));
  const spec: Record<string, unknown> = { taskRunTemplate: r.serviceAccount ? { serviceAccountName: r.serviceAccount } : {} };
  const labels: Record<string, string> = {};
  if (r.identity === 'ref-build') spec.pipelineRef = { name: 'build' };
  else if (r.identity === 'ref-deploy') spec.pipelineRef = { name: 'deploy' };
  else {
    const ports = r.hostPort ? { ports: [{ containerPort: 8080, hostPort: 8080 }] } : {};
    spec.pipelineSpec = { tasks: [{ name: 'lint', taskSpec: { steps: [{ name: 'lint', image: 'node:20', script: 'npm run lint', ...ports }] } }] };
    if (r.identity === 'pac') labels['pipelinesascode.tekton.dev/original-prname'] = 'build'; // shares its display name with a Pipeline
  }
  const raw = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: r.name,
      namespace: r.namespace,
      uid,
      labels,
      annotations: chainsAnnotations(r.signed, 'pipelinerun', uid),
      creationTimestamp: started,
      ...(r.finalizer ? { finalizers: ['chains.tekton.dev/pipelinerun'] } : {}),
    },
    spec,
    status: { startTime: started, ...condition(r.status, completed) },
  };
  return makeObject(raw, 'PipelineRun', 'tekton.dev/v1', r.name, {});
}

function taskRun(t: TaskRunSpec): K8sObject {
  const uid = `uid-tr-${t.namespace}-${t.name}`;
  const completed = minutesBefore(t.age);
  const started = minutesBefore(t.age + 5 + TASKRUN_NAMES.indexOf(t.name));
  const raw = {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name: t.name,
      namespace: t.namespace,
      uid,
      labels: t.parent ? { 'tekton.dev/pipelineRun': t.parent, 'tekton.dev/pipelineTask': 'compile' } : {},
      annotations: chainsAnnotations(t.signed, 'taskrun', uid),
      ownerReferences: t.parent ? [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: t.parent, uid: `uid-pr-${t.namespace}-${t.parent}` }] : [],
      creationTimestamp: started,
    },
    spec: { serviceAccountName: 'builder', taskSpec: { steps: [{ name: 'run', image: t.image, script: 'true' }] } },
    status: {
      startTime: started,
      ...condition(t.status, completed),
      steps: [{ name: 'run', container: 'step-run', imageID: `registry.example.com/x@sha256:${'c'.repeat(64)}` }],
      results: [
        { name: 'IMAGE_URL', type: 'string', value: 'registry.example.com/app' },
        { name: 'IMAGE_DIGEST', type: 'string', value: `sha256:${'d'.repeat(64)}` },
      ],
    },
  };
  return makeObject(raw, 'TaskRun', 'tekton.dev/v1', t.name, {});
}

const keyOf = (o: K8sObject) => `${o.kind}/${o.namespace}/${o.name}`;

/** The parts of a report the scoring decides (generatedAt is pinned; the source is the same). */
function verdicts(r: Report) {
  return { summary: r.summary, platform: r.platform, pipelines: r.pipelines };
}

/** Applies the batches incrementally and returns both reports (incremental, full scan of the final objects). */
function replay(initial: Change[], batches: Change[][]) {
  const live = new Map<string, K8sObject>();
  const toChange = (c: Change): { object: K8sObject; deleted: boolean } | null => {
    if (c.op === 'delete') {
      const keys = [...live.keys()];
      if (keys.length === 0) return null;
      const key = keys[c.which % keys.length];
      const object = live.get(key)!;
      live.delete(key);
      // Kubernetes collects a PipelineRun's TaskRuns with it (ownerReferences); the live source sends only the
      // PipelineRun's deletion and the builder drops its children.
      if (object.kind === 'PipelineRun') {
        for (const [k, o] of live) if (o.kind === 'TaskRun' && o.namespace === object.namespace && o.labels['tekton.dev/pipelineRun'] === object.name) live.delete(k);
      }
      return { object, deleted: true };
    }
    const object = c.op === 'upsert' ? pipelineRun(c.run) : taskRun(c.run);
    live.set(keyOf(object), object);
    return { object, deleted: false };
  };
  for (const c of initial) toChange(c);
  const incremental = new IncrementalScan([...BASE, ...live.values()], { policy, source });
  for (const batch of batches) {
    const changes = batch.map(toChange).filter((c): c is { object: K8sObject; deleted: boolean } => c !== null);
    if (changes.length > 0) incremental.applyRuns(changes);
  }
  const full = scan({ objects: [...BASE, ...live.values()], policy, source });
  return { incremental: incremental.current().report, full: full.report };
}

const pr = (over: Partial<PipelineRunSpec>): Change => ({
  op: 'upsert',
  run: { name: 'r0', namespace: 'team-a', identity: 'ref-build', status: 'True', age: 2, started: 0, signed: 'none', finalizer: false, serviceAccount: 'builder', hostPort: false, ...over },
});
const tr = (over: Partial<TaskRunSpec>): Change => ({ op: 'upsert-task', run: { name: 't0', namespace: 'team-a', parent: 'r0', status: 'True', age: 2, signed: 'none', image: 'alpine:latest', ...over } });

/** Counterexamples fast-check found once (each was a builder bug): always replayed, whatever the seed. */
const REGRESSIONS: [Change[], Change[][]][] = [
  // a PipelineRun deleted with its TaskRun: run totals and Chains facts followed
  [[], [[pr({}), tr({}), { op: 'delete', which: 0 }]]],
  // a TaskRun re-parented
  [[], [[tr({ name: 't4', namespace: 'team-b' })], [tr({ name: 't4', namespace: 'team-b', parent: 'r3' }), pr({})]]],
  // TaskRuns arriving in another order than the full scan reads them
  [[tr({})], [[tr({ name: 't3' }), tr({})], [pr({})]]],
  // a run moving to a pipeline of the same display name: build / build~2 ids shift
  [[], [[pr({ namespace: 'team-b' }), pr({})], [pr({ namespace: 'team-b', identity: 'pac' })], [{ op: 'delete', which: 455310291 }]]],
  [[pr({ namespace: 'team-b', identity: 'pac' })], [[pr({ name: 'r1', namespace: 'team-b' })]]],
  // a run arriving live whose inline step binds a host port (STP-007 read the objects first loaded)
  [[], [[pr({ identity: 'pac', hostPort: true })]]],
];

describe('IncrementalScan', () => {
  it('any sequence of run changes gives the report a full scan of the final objects gives', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 6 }), fc.array(fc.array(changeArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (initial, batches) => {
        const { incremental, full } = replay(initial, batches);
        expect(verdicts(incremental)).toEqual(verdicts(full));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 50), examples: REGRESSIONS },
    );
  });

  it('a run moved to another pipeline leaves the old one', () => {
    const run: PipelineRunSpec = { name: 'r0', namespace: 'team-a', identity: 'ref-deploy', status: 'True', age: AGES[1], started: 0, signed: 'evidence', finalizer: true, serviceAccount: 'builder', hostPort: false };
    const { incremental, full } = replay([{ op: 'upsert', run }], [[{ op: 'upsert', run: { ...run, identity: 'inline' } }]]);
    expect(incremental.pipelines.map((p) => p.id)).toEqual(full.pipelines.map((p) => p.id));
    expect(verdicts(incremental)).toEqual(verdicts(full));
  });

  it('re-scores at the time of each change when the policy does not pin one', () => {
    let clock = '2026-11-22T12:00:00.000Z';
    const scanAt = new IncrementalScan([...BASE], { policy: defaultPolicy(), source, clock: () => clock });
    expect(scanAt.current().report.generatedAt).toBe(clock);
    clock = '2026-11-23T12:00:00.000Z';
    scanAt.applyRuns([{ object: pipelineRun({ name: 'r0', namespace: 'team-a', identity: 'ref-build', status: 'True', age: 1, started: 0, signed: 'none', finalizer: true, serviceAccount: 'builder', hostPort: false }), deleted: false }]);
    expect(scanAt.current().report.generatedAt).toBe(clock);
  });
});
