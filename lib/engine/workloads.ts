/**
 * Dogfood: the pod-hardening checks (STP-001…STP-008) run on ordinary workloads — Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, Jobs, CronJobs and Pods — so the project can hold its own manifests to the bar it sets
 * for pipelines (lib/engine/workloads.test.ts scans deploy/manifests.yaml).
 *
 * Each pod template becomes a synthetic pipeline the checks already understand:
 *   - one pipeline task named after the workload, whose inline task spec is the pod spec: `containers` are steps,
 *     `initContainers` are sidecars (so a stepTemplate never applies to them — there is none anyway);
 *   - one "run" whose pod template is the pod spec (pod securityContext, hostNetwork/PID/IPC, volumes,
 *     automountServiceAccountToken): the checks read the pod-level settings from it exactly as from a
 *     PipelineRun's `taskRunTemplate.podTemplate`.
 * Evidence points into the workload itself (`spec.template.spec.containers[0].securityContext…`).
 *
 * lib/model/load.ts ignores kinds outside lib/kinds.ts, so `parseWorkloadYaml` reads the workload kinds itself
 * (and delegates everything else, Secrets included, to the normal loader, which strips Secret data).
 */
import yaml from 'js-yaml';
import { checkById } from '../checks/registry';
import type { Check, Finding } from '../checks/types';
import { isObj, obj, str } from '../model/access';
import { buildClusterModel } from '../model/build';
import { buildDag } from '../model/dag';
import { loadYamlText, makeObject } from '../model/load';
import { normalizeContainer, normalizePodTemplate } from '../model/normalize';
import { lonePipelineTask } from '../model/subjects';
import type { K8sObject, LoadIssue, PipelineModel, PipelineRunModel, RawObject, TaskSpecModel } from '../model/types';
import { defaultPolicy } from '../policy/defaults';
import type { Policy } from '../policy/types';
import { evaluatePipeline } from './evaluate';

export const WORKLOAD_CHECK_IDS = ['STP-001', 'STP-002', 'STP-003', 'STP-004', 'STP-005', 'STP-006', 'STP-007', 'STP-008'] as const;
/** What the project's own install is held to: pod hardening, image pinning, and its namespace's guardrails. */
export const DEPLOYMENT_CHECK_IDS = [...WORKLOAD_CHECK_IDS, 'SUP-001', 'SUP-002', 'NSG-001', 'NSG-002', 'NSG-003', 'NSG-004', 'NSG-006'] as const;

/** Where the pod spec lives in each workload kind (group checked too: `apps/v1` Deployment, not a CRD namesake). */
const POD_SPEC_PATH: Record<string, { group: string; path: string[] }> = {
  Deployment: { group: 'apps', path: ['spec', 'template', 'spec'] },
  StatefulSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  DaemonSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  ReplicaSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  Job: { group: 'batch', path: ['spec', 'template', 'spec'] },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
  Pod: { group: '', path: ['spec'] },
};

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function isWorkload(o: Pick<K8sObject, 'kind' | 'apiVersion'>): boolean {
  const w = POD_SPEC_PATH[o.kind];
  return w !== undefined && groupOf(o.apiVersion) === w.group;
}

/** Splits a YAML stream into documents with their first line (1-based). */
function documents(text: string): { body: string; line: number }[] {
  const out: { body: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  let cur: string[] = [];
  let start = 0;
  lines.forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) {
      out.push({ body: cur.join('\n'), line: start + 1 });
      cur = [];
      start = i + 1;
      return;
    }
    cur.push(l);
  });
  out.push({ body: cur.join('\n'), line: start + 1 });
  return out.filter((d) => d.body.replace(/^\s*#.*$/gm, '').trim() !== '');
}

/**
 * Parses YAML text into objects: every kind the engine reads through the normal loader (Tekton kinds, LimitRanges
 * for STP-006, Secrets stripped to metadata), plus the workload kinds via `makeObject`.
 */
export function parseWorkloadYaml(text: string, file?: string): { objects: K8sObject[]; issues: LoadIssue[] } {
  // Everything the engine reads (with its own Secret stripping and error reporting)…
  const base = loadYamlText(text, file);
  const objects: K8sObject[] = [...base.objects];
  // …plus the workload kinds it ignores.
  const visit = (doc: unknown, line: number) => {
    if (!isObj(doc)) return;
    const kind = str(doc.kind) ?? '';
    if (/List$/.test(kind) && Array.isArray(doc.items)) {
      for (const item of doc.items) visit(item, line);
      return;
    }
    const apiVersion = str(doc.apiVersion) ?? '';
    const meta = obj(doc.metadata);
    const name = str(meta.name) ?? str(meta.generateName);
    if (isWorkload({ kind, apiVersion }) && name) objects.push(makeObject(doc as RawObject, kind, apiVersion, name, { file, line }));
  };
  for (const d of documents(text)) {
    try {
      visit(yaml.load(d.body, { json: true }), d.line);
    } catch {
      // reported by loadYamlText
    }
  }
  return { objects, issues: base.issues };
}

/** Maps one workload's pod template to a synthetic pipeline (see the file comment); null when it has no pod spec. */
export function workloadPipeline(o: K8sObject): PipelineModel | null {
  const w = POD_SPEC_PATH[o.kind];
  if (!w) return null;
  let podSpec: unknown = o.raw;
  for (const k of w.path) podSpec = obj(podSpec)[k];
  if (!isObj(podSpec)) return null;
  const basePath = w.path.join('.');
  const namespace = o.namespace ?? 'default';
  const owner = { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const inits = Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [];
  const spec: TaskSpecModel = {
    params: [],
    steps: containers.map((c, i) => normalizeContainer(c, 'step', i, `containers[${i}]`)),
    sidecars: inits.map((c, i) => normalizeContainer(c, 'sidecar', i, `initContainers[${i}]`)),
    stepTemplate: null,
    // Volumes belong to the pod: they are on the run's pod template (STP-007 reads both; one place avoids doubles).
    volumes: [],
    workspaces: [],
    results: [],
    owner,
    basePath,
    description: null,
  };
  const task = lonePipelineTask(o.name, spec, 'inline', basePath);
  const sa = str(podSpec.serviceAccountName) ?? str(podSpec.serviceAccount);
  const run: PipelineRunModel = {
    object: o,
    namespace,
    name: o.name,
    serviceAccountName: sa ?? 'default',
    serviceAccountExplicit: sa !== null,
    taskRunSpecs: [],
    podTemplate: normalizePodTemplate(podSpec, basePath),
    pipelineRef: null,
    hasInlineSpec: true,
    params: [],
    workspaces: [],
    status: 'running',
    startTime: null,
    completionTime: null,
    chains: { state: 'not-finished', signed: null, retries: null, transparencyUrl: null, payloadKeys: [], signatureKeys: [], hasChainsFinalizer: false },
    trustedResourcesVerified: null,
    taskRuns: [],
  };
  return {
    id: `${namespace}/${o.kind}/${o.name}`,
    namespace,
    name: o.name,
    identitySource: 'pipeline-object',
    team: null,
    object: o,
    spec: { params: [], workspaces: [], tasks: [task], finally: [], results: [], owner, basePath: '', description: null },
    pipelineRefs: [],
    runs: [run],
    totalRuns: 1,
    serviceAccounts: [run.serviceAccountName],
    dag: buildDag([task], []),
    credentialReach: [],
    issues: [],
  };
}

export interface WorkloadHardening {
  /** `Kind namespace/name`, e.g. `Deployment tekton-posture/tekton-posture`. */
  workload: string;
  findings: Finding[];
}

/**
 * Runs STP-001…STP-008 (or the given checks) on every workload in `objects` (other objects — Namespaces,
 * LimitRanges, NetworkPolicies — are context).
 */
export function evaluateWorkloadHardening(
  objects: K8sObject[],
  policy: Policy = defaultPolicy(),
  checkIds: readonly string[] = WORKLOAD_CHECK_IDS,
): WorkloadHardening[] {
  const checks = checkIds.map((id) => checkById(id)).filter((c): c is Check => c !== undefined);
  if (checks.length !== checkIds.length) throw new Error('workload checks missing from the registry');
  const cluster = buildClusterModel(objects, { sourceKind: 'files', policy });
  const out: WorkloadHardening[] = [];
  for (const o of objects) {
    if (!isWorkload(o)) continue;
    const pipeline = workloadPipeline(o);
    if (!pipeline) continue;
    out.push({ workload: `${o.kind} ${o.namespace ?? 'default'}/${o.name}`, findings: evaluatePipeline(pipeline, cluster, policy, checks) });
  }
  return out;
}
