/**
 * A generated cluster for benchmarks: N pipelines over a few namespaces, each with runs and TaskRuns carrying
 * full statuses and Chains annotations, plus the RBAC and namespace objects a real cluster has. Deterministic
 * (seeded), so figures are comparable between runs.
 */
export interface GenerateOptions {
  pipelines: number;
  runsPerPipeline: number;
  taskRunsPerRun: number;
  namespaces: number;
  /** Tasks in pipeline 0 (the "big DAG" benchmark); the others have taskRunsPerRun tasks. */
  bigPipelineTasks?: number;
  seed?: number;
}

type Raw = Record<string, unknown>;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(r: () => number, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(r() * 16).toString(16);
  return s;
}

function uuid(r: () => number): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function generateCluster(opts: GenerateOptions): Raw[] {
  const r = rng(opts.seed ?? 42);
  const out: Raw[] = [];
  const nsNames = Array.from({ length: opts.namespaces }, (_, i) => `team-${i}-ci`);
  for (const [i, ns] of nsNames.entries()) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `team-${i}`, ...(i % 2 ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : {}) } } });
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: ns } });
    out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'builder', namespace: ns }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'builder', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'builder' },
      subjects: [{ kind: 'ServiceAccount', name: 'builder', namespace: ns }],
    });
    if (i % 3 === 0) out.push({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: ns }, spec: { hard: { pods: '50' } } });
  }
  const day = Date.parse('2026-11-22T00:00:00Z');
  for (let p = 0; p < opts.pipelines; p++) {
    const ns = nsNames[p % nsNames.length];
    const name = `pipeline-${p}`;
    const taskCount = p === 0 && opts.bigPipelineTasks ? opts.bigPipelineTasks : opts.taskRunsPerRun;
    const pinned = r() < 0.5;
    const tasks = Array.from({ length: taskCount }, (_, t) => ({
      name: `task-${t}`,
      ...(t > 0 ? { runAfter: [`task-${Math.floor((t - 1) / 2)}`] } : {}),
      params: [{ name: 'revision', value: '$(params.revision)' }],
      workspaces: [{ name: 'source', workspace: 'shared' }],
      taskSpec: {
        params: [{ name: 'revision', type: 'string' }],
        workspaces: [{ name: 'source' }],
        results: t === taskCount - 1 ? [{ name: 'IMAGE_URL' }, { name: 'IMAGE_DIGEST' }] : [],
        steps: [
          {
            name: 'run',
            image: pinned ? `registry.example.com/tools/step@sha256:${hex(r, 64)}` : 'docker.io/library/alpine:latest',
            script: t % 4 === 0 ? 'echo "building $(params.revision)"\nmake test' : 'set -eu\nmake build',
            ...(pinned ? { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } } : {}),
          },
        ],
      },
    }));
    const spec = { params: [{ name: 'revision', type: 'string' }], workspaces: [{ name: 'shared' }], tasks };
    out.push({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name, namespace: ns, uid: uuid(r) }, spec });
    for (let k = 0; k < opts.runsPerPipeline; k++) {
      const runName = `${name}-run-${k}`;
      const runUid = uuid(r);
      const start = new Date(day - (k * 3600 + p) * 1000).toISOString();
      const end = new Date(day - (k * 3600 + p - 300) * 1000).toISOString();
      const chains: Record<string, string> =
        k % 5 === 0 ? { 'chains.tekton.dev/signed': 'failed' } : k % 5 === 1 ? {} : { 'chains.tekton.dev/signed': 'true', [`chains.tekton.dev/payload-pipelinerun-${runUid}`]: 'e30=' };
      out.push({
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: runName, namespace: ns, uid: runUid, labels: { 'tekton.dev/pipeline': name }, annotations: chains, creationTimestamp: start, finalizers: ['chains.tekton.dev/pipelinerun'] },
        spec: {
          pipelineRef: { name },
          params: [{ name: 'revision', value: hex(r, 40) }],
          taskRunTemplate: { serviceAccountName: p % 7 === 0 ? 'default' : 'builder' },
          workspaces: [{ name: 'shared', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } }],
        },
        status: {
          conditions: [{ type: 'Succeeded', status: k % 9 === 3 ? 'False' : 'True', reason: k % 9 === 3 ? 'Failed' : 'Succeeded' }],
          startTime: start,
          completionTime: end,
          childReferences: Array.from({ length: opts.taskRunsPerRun }, (_, t) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: `${runName}-task-${t}`, pipelineTaskName: `task-${t}` })),
        },
      });
      for (let t = 0; t < opts.taskRunsPerRun; t++) {
        const trUid = uuid(r);
        out.push({
          apiVersion: 'tekton.dev/v1',
          kind: 'TaskRun',
          metadata: {
            name: `${runName}-task-${t}`,
            namespace: ns,
            uid: trUid,
            labels: { 'tekton.dev/pipeline': name, 'tekton.dev/pipelineRun': runName, 'tekton.dev/pipelineTask': `task-${t}`, 'tekton.dev/memberOf': 'tasks' },
            annotations: k % 5 === 1 ? {} : { 'chains.tekton.dev/signed': 'true', [`chains.tekton.dev/signature-taskrun-${trUid}`]: 'MEUCIQ==' },
            ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: runName, uid: runUid }],
            creationTimestamp: start,
          },
          spec: { serviceAccountName: 'builder', taskRef: { name: `task-${t}` } },
          status: {
            conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }],
            startTime: start,
            completionTime: end,
            podName: `${runName}-task-${t}-pod`,
            steps: [{ name: 'run', container: 'step-run', imageID: `registry.example.com/tools/step@sha256:${hex(r, 64)}` }],
            results:
              t === opts.taskRunsPerRun - 1
                ? [
                    { name: 'IMAGE_URL', type: 'string', value: 'registry.example.com/app' },
                    { name: 'IMAGE_DIGEST', type: 'string', value: `sha256:${hex(r, 64)}` },
                  ]
                : [],
            taskSpec: tasks[t]?.taskSpec,
          },
        });
      }
    }
  }
  return out;
}

/** The benchmark size: 2,000 pipelines, 20,000 PipelineRuns, 60,000 TaskRuns. */
export const BENCH_CLUSTER: GenerateOptions = { pipelines: 2000, runsPerPipeline: 10, taskRunsPerRun: 3, namespaces: 20, bigPipelineTasks: 150 };
