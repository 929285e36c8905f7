import { arr, asText, isObj, obj, objArr, str, strArr, strMap, type Obj } from './access';
import { chainsInfoOf, runStatusOf } from './chains';
import { buildDag, findResultRefs } from './dag';
import {
  normalizeParamSpecs,
  normalizeParamValues,
  normalizePodTemplate,
  normalizeRef,
  normalizeTaskSpec,
  normalizeWorkspaceBindings,
} from './normalize';
import { buildRbacIndex } from './rbac';
import { computeCredentialReach } from './reach';
import type {
  ClusterModel,
  DataGap,
  K8sObject,
  LoadIssue,
  NamespaceModel,
  PipelineIdentitySource,
  PipelineModel,
  PipelineRunModel,
  PipelineSpecModel,
  PipelineTaskModel,
  PlatformModel,
  RefModel,
  ServiceAccountModel,
  TaskRunModel,
  WorkspaceBindingModel,
} from './types';
import { saKey } from './types';
import type { Policy } from '../policy/types';

export interface BuildOptions {
  sourceKind: ClusterModel['sourceKind'];
  policy: Policy;
  gaps?: DataGap[];
  loadIssues?: LoadIssue[];
}

const PAC_ORIGINAL_NAME = 'pipelinesascode.tekton.dev/original-prname';
const CUSTOM_TASK_KINDS = new Set(['Task', 'ClusterTask', 'StepAction']);
const IMAGE_RESULT = /(^|_)(IMAGE_URL|IMAGE_DIGEST|IMAGES|ARTIFACT_OUTPUTS)$/;

function byKind(objects: K8sObject[]): Map<string, K8sObject[]> {
  const m = new Map<string, K8sObject[]>();
  for (const o of objects) {
    const list = m.get(o.kind);
    if (list) list.push(o);
    else m.set(o.kind, [o]);
  }
  return m;
}

function nsKey(o: K8sObject): string {
  return `${o.namespace ?? ''}/${o.name}`;
}

function conditionStatus(o: K8sObject, type: string): string | null {
  const c = objArr(obj(o.raw.status).conditions).find((x) => x.type === type);
  return c ? str(c.status) : null;
}

function runTime(o: K8sObject): string {
  const status = obj(o.raw.status);
  return str(status.startTime) ?? o.creationTimestamp ?? '';
}

function configMap(objects: K8sObject[], name: string, preferredNs: string) {
  const candidates = objects.filter((o) => o.name === name);
  const found = candidates.find((o) => o.namespace === preferredNs) ?? candidates[0] ?? null;
  return { object: found, data: found ? strMap(found.raw.data) : {} };
}

/** The identity a run's pipeline is grouped by: a Pipeline object, a PaC original name, a resolver ref… */
export function pipelineIdentity(run: K8sObject): { name: string; source: PipelineIdentitySource; key: string } {
  const spec = obj(run.raw.spec);
  const pac = run.labels[PAC_ORIGINAL_NAME] ?? run.annotations[PAC_ORIGINAL_NAME];
  if (pac) return { name: pac, source: 'pac-original-name', key: `pac:${pac}` };
  const ref = normalizeRef(spec.pipelineRef, 'spec.pipelineRef');
  if (ref && (ref.resolver || ref.bundle)) {
    const p = ref.params;
    const location = ref.bundle ?? p.url ?? p.repo ?? p.bundle ?? p.name ?? '';
    const base = location.replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:@]+$/, '');
    const entry = p.pathInRepo ?? p.name ?? ref.name ?? '';
    const stem = (entry.split('/').pop() ?? entry).replace(/\.ya?ml$/i, '') || base.split('/').pop() || run.name;
    return { name: stem, source: 'resolver-ref', key: `ref:${ref.resolver ?? 'bundle'}:${base}:${entry}` };
  }
  if (ref?.name) return { name: ref.name, source: 'pipeline-ref', key: `obj:${ref.name}` };
  const label = run.labels['tekton.dev/pipeline'];
  if (label && label !== run.name) return { name: label, source: 'pipeline-label', key: `obj:${label}` };
  if (run.generateName) {
    const name = run.generateName.replace(/-+$/, '') || run.generateName;
    return { name, source: 'generate-name', key: `obj:${name}` };
  }
  return { name: run.name, source: 'run-name', key: `obj:${run.name}` };
}

function teamOf(policy: Policy, ns: string, labelSources: Record<string, string>[]): string | null {
  for (const labels of labelSources) {
    const t = labels[policy.team.labelKey];
    if (t) return t;
  }
  return policy.team.namespaces[ns] ?? null;
}

interface TaskIndex {
  tasks: Map<string, K8sObject>;
  clusterTasks: Map<string, K8sObject>;
}

/** Normalizes the `tasks` or `finally` list of a pipeline spec, resolving each task's spec where it can be seen. */
function normalizePipelineTasks(
  raw: unknown,
  isFinally: boolean,
  spec: Pick<PipelineSpecModel, 'owner' | 'basePath'>,
  namespace: string,
  index: TaskIndex,
  taskRunSpecs: Map<string, TaskRunModel>,
): PipelineTaskModel[] {
  const listPath = `${spec.basePath}.${isFinally ? 'finally' : 'tasks'}`;
  return arr(raw).flatMap((t, i) => {
    if (!isObj(t)) return [];
    const path = `${listPath}[${i}]`;
    const name = str(t.name) ?? `task-${i}`;
    const taskRef = normalizeRef(t.taskRef, `${path}.taskRef`);
    const isCustomTask =
      t.pipelineRef !== undefined ||
      t.pipelineSpec !== undefined ||
      (taskRef !== null && taskRef.apiVersion !== null && !CUSTOM_TASK_KINDS.has(taskRef.kind ?? 'Task')) ||
      (isObj(t.taskSpec) && str(t.taskSpec.apiVersion) !== null && str(t.taskSpec.kind) !== null);
    let taskSpec = null;
    let specSource: PipelineTaskModel['specSource'] = 'unresolved';
    if (isObj(t.taskSpec) && !isCustomTask) {
      taskSpec = normalizeTaskSpec(t.taskSpec, spec.owner, `${path}.taskSpec`);
      specSource = 'inline';
    } else if (taskRef && !taskRef.resolver && !taskRef.bundle && taskRef.name && !isCustomTask) {
      const object =
        taskRef.kind === 'ClusterTask' ? index.clusterTasks.get(taskRef.name) : index.tasks.get(`${namespace}/${taskRef.name}`);
      if (object) {
        taskSpec = normalizeTaskSpec(object.raw.spec, { kind: object.kind, namespace: object.namespace, name: object.name, ...object.source }, 'spec');
        specSource = 'task-object';
      }
    }
    if (!taskSpec && !isCustomTask) {
      const tr = taskRunSpecs.get(name);
      if (tr?.taskSpec) {
        taskSpec = tr.taskSpec;
        specSource = 'taskrun-status';
      }
    }
    const params = normalizeParamValues(t.params, `${path}.params`);
    const resultRefs = [
      ...params.flatMap((p) => findResultRefs(p.value, p.path)),
      ...findResultRefs(asText(t.when), `${path}.when`),
      ...findResultRefs(asText(t.matrix), `${path}.matrix`),
      ...(isObj(t.taskSpec) ? findResultRefs(asText(t.taskSpec), `${path}.taskSpec`) : []),
    ];
    return [
      {
        name,
        isFinally,
        index: i,
        taskRef,
        taskSpec,
        specSource,
        params,
        runAfter: strArr(t.runAfter),
        resultRefs,
        workspaces: objArr(t.workspaces).map((w) => ({
          name: str(w.name) ?? '',
          workspace: str(w.workspace) ?? str(w.name) ?? '',
          subPath: str(w.subPath),
        })),
        whenExpressions: arr(t.when),
        hasMatrix: t.matrix !== undefined,
        isCustomTask,
        path,
      },
    ];
  });
}

function normalizePipelineSpec(
  raw: unknown,
  owner: PipelineSpecModel['owner'],
  basePath: string,
  namespace: string,
  index: TaskIndex,
  taskRunSpecs: Map<string, TaskRunModel>,
): PipelineSpecModel {
  const s = obj(raw);
  const base = { owner, basePath };
  return {
    params: normalizeParamSpecs(s.params, `${basePath}.params`),
    workspaces: objArr(s.workspaces).map((w) => ({ name: str(w.name) ?? '', optional: w.optional === true })),
    tasks: normalizePipelineTasks(s.tasks, false, base, namespace, index, taskRunSpecs),
    finally: normalizePipelineTasks(s.finally, true, base, namespace, index, taskRunSpecs),
    results: objArr(s.results).map((r) => ({ name: str(r.name) ?? '' })),
    owner,
    basePath,
    description: str(s.description),
  };
}

function trustedCondition(o: K8sObject): string | null {
  return conditionStatus(o, 'TrustedResourcesVerified');
}

function fillPvcAccessModes(bindings: WorkspaceBindingModel[], ns: string, pvcs: Map<string, K8sObject>): void {
  for (const b of bindings) {
    if (b.type !== 'persistentVolumeClaim' || !b.claimName) continue;
    const pvc = pvcs.get(`${ns}/${b.claimName}`);
    if (pvc) b.accessModes = strArr(obj(pvc.raw.spec).accessModes);
    else b.pvcMissing = true;
  }
}

function buildTaskRun(o: K8sObject, chainsConfig: Record<string, string>, pvcs: Map<string, K8sObject>): TaskRunModel {
  const spec = obj(o.raw.spec);
  const status = obj(o.raw.status);
  const ns = o.namespace ?? 'default';
  const owner = { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
  const taskSpec = isObj(status.taskSpec)
    ? normalizeTaskSpec(status.taskSpec, owner, 'status.taskSpec')
    : isObj(spec.taskSpec)
      ? normalizeTaskSpec(spec.taskSpec, owner, 'spec.taskSpec')
      : null;
  const results = objArr(status.results ?? status.taskResults).map((r) => ({ name: str(r.name) ?? '', value: asText(r.value) }));
  const runStatus = runStatusOf(o);
  const workspaces = normalizeWorkspaceBindings(spec.workspaces, 'spec.workspaces');
  fillPvcAccessModes(workspaces, ns, pvcs);
  const stepStatus = (v: unknown) =>
    objArr(v).map((s) => ({ name: str(s.name) ?? '', container: str(s.container), imageID: str(s.imageID) }));
  const parentOwner = o.ownerReferences.find((r) => r.kind === 'PipelineRun');
  return {
    object: o,
    namespace: ns,
    name: o.name,
    pipelineRunName: o.labels['tekton.dev/pipelineRun'] ?? parentOwner?.name ?? null,
    pipelineTaskName: o.labels['tekton.dev/pipelineTask'] ?? null,
    serviceAccountName: str(spec.serviceAccountName) || 'default',
    taskRef: normalizeRef(spec.taskRef, 'spec.taskRef'),
    taskSpec,
    podTemplate: normalizePodTemplate(spec.podTemplate, 'spec.podTemplate'),
    workspaces,
    steps: stepStatus(status.steps),
    sidecars: stepStatus(status.sidecars),
    results,
    status: runStatus,
    startTime: str(status.startTime),
    completionTime: str(status.completionTime),
    chains: chainsInfoOf(o, runStatus, 'TaskRun', { chainsConfig, hasImageResults: results.some((r) => IMAGE_RESULT.test(r.name)) }),
    trustedResourcesVerified: trustedCondition(o),
  };
}

function buildPipelineRun(
  o: K8sObject,
  taskRuns: TaskRunModel[],
  chainsConfig: Record<string, string>,
  pvcs: Map<string, K8sObject>,
): PipelineRunModel {
  const spec = obj(o.raw.spec);
  const status = obj(o.raw.status);
  const ns = o.namespace ?? 'default';
  const template = obj(spec.taskRunTemplate);
  const explicitSa = str(template.serviceAccountName) || str(spec.serviceAccountName) || '';
  const runStatus = runStatusOf(o);
  const workspaces = normalizeWorkspaceBindings(spec.workspaces, 'spec.workspaces');
  fillPvcAccessModes(workspaces, ns, pvcs);
  const podTemplatePath = isObj(template.podTemplate) ? 'spec.taskRunTemplate.podTemplate' : 'spec.podTemplate';
  return {
    object: o,
    namespace: ns,
    name: o.name,
    serviceAccountName: explicitSa || 'default',
    serviceAccountExplicit: explicitSa !== '',
    taskRunSpecs: objArr(spec.taskRunSpecs).map((t, i) => ({
      pipelineTaskName: str(t.pipelineTaskName) ?? '',
      serviceAccountName: str(t.serviceAccountName) || str(t.taskServiceAccountName) || null,
      podTemplate: normalizePodTemplate(t.podTemplate ?? t.taskPodTemplate, `spec.taskRunSpecs[${i}].podTemplate`),
    })),
    podTemplate: normalizePodTemplate(template.podTemplate ?? spec.podTemplate, podTemplatePath),
    pipelineRef: normalizeRef(spec.pipelineRef, 'spec.pipelineRef'),
    hasInlineSpec: isObj(spec.pipelineSpec),
    params: normalizeParamValues(spec.params, 'spec.params'),
    workspaces,
    status: runStatus,
    startTime: str(status.startTime),
    completionTime: str(status.completionTime),
    chains: chainsInfoOf(o, runStatus, 'PipelineRun', { chainsConfig, hasImageResults: false }),
    trustedResourcesVerified: trustedCondition(o),
    taskRuns,
  };
}

function buildPlatform(kinds: Map<string, K8sObject[]>): PlatformModel {
  const configMaps = kinds.get('ConfigMap') ?? [];
  const runs = [...(kinds.get('PipelineRun') ?? []), ...(kinds.get('TaskRun') ?? [])];
  let chainsObserved = false;
  let oldest: string | null = null;
  for (const r of runs) {
    if (!chainsObserved) {
      chainsObserved =
        r.finalizers.some((f) => f.startsWith('chains.tekton.dev')) ||
        Object.keys(r.annotations).some((k) => k.startsWith('chains.tekton.dev/'));
    }
    const done = str(obj(r.raw.status).completionTime);
    if (done && (oldest === null || done < oldest)) oldest = done;
  }
  return {
    featureFlags: configMap(configMaps, 'feature-flags', 'tekton-pipelines'),
    resolverFlags: configMap(configMaps, 'resolvers-feature-flags', 'tekton-pipelines-resolvers'),
    clusterResolverConfig: configMap(configMaps, 'cluster-resolver-config', 'tekton-pipelines-resolvers'),
    chainsConfig: configMap(configMaps, 'chains-config', 'tekton-chains'),
    configDefaults: configMap(configMaps, 'config-defaults', 'tekton-pipelines'),
    chainsObserved,
    totalPipelineRuns: kinds.get('PipelineRun')?.length ?? 0,
    totalTaskRuns: kinds.get('TaskRun')?.length ?? 0,
    oldestCompletedRun: oldest,
  };
}

function serviceAccountsOf(runs: PipelineRunModel[]): string[] {
  const names = new Set<string>();
  for (const r of runs) {
    names.add(r.serviceAccountName);
    for (const s of r.taskRunSpecs) if (s.serviceAccountName) names.add(s.serviceAccountName);
  }
  return [...names].sort();
}

function pipelineIssues(p: Omit<PipelineModel, 'credentialReach' | 'issues'>): string[] {
  const issues: string[] = [];
  if (!p.spec) issues.push('The pipeline spec is not in sight (no Pipeline object, no resolved spec on any run): task checks are unknown.');
  for (const c of p.dag.cycles) issues.push(`Cycle in runAfter/result references: ${c.join(' → ')} → ${c[0]}. Tekton rejects this pipeline.`);
  for (const d of p.dag.dangling) {
    issues.push(d.from === d.to ? `Task "${d.from}" depends on itself (${d.path}).` : `Task "${d.from}" refers to a task "${d.to}" that does not exist (${d.path}).`);
  }
  for (const t of p.spec ? [...p.spec.tasks, ...p.spec.finally] : []) {
    if (t.specSource === 'unresolved' && !t.isCustomTask) {
      const where = t.taskRef?.resolver ? `remote (${t.taskRef.resolver} resolver)` : `"${t.taskRef?.name ?? '?'}"`;
      issues.push(`Task "${t.name}" refers to ${where} and no spec is in sight: its checks are unknown.`);
    }
  }
  return issues;
}

/** Builds the whole model from loaded objects. Never throws on malformed objects: they become issues or defaults. */
export function buildClusterModel(objects: K8sObject[], options: BuildOptions): ClusterModel {
  const { policy } = options;
  const kinds = byKind(objects);
  const platform = buildPlatform(kinds);
  const chainsConfig = platform.chainsConfig.data;
  const pvcs = new Map((kinds.get('PersistentVolumeClaim') ?? []).map((o) => [nsKey(o), o]));
  const index: TaskIndex = {
    tasks: new Map((kinds.get('Task') ?? []).map((o) => [nsKey(o), o])),
    clusterTasks: new Map((kinds.get('ClusterTask') ?? []).map((o) => [o.name, o])),
  };

  // TaskRuns by parent PipelineRun (raw), so only the children of recent runs are normalized.
  const pipelineRunObjects = kinds.get('PipelineRun') ?? [];
  const prKeys = new Set(pipelineRunObjects.map(nsKey));
  const childrenOf = new Map<string, K8sObject[]>();
  const directByNs = new Map<string, K8sObject[]>();
  for (const tr of kinds.get('TaskRun') ?? []) {
    const parent = tr.labels['tekton.dev/pipelineRun'] ?? tr.ownerReferences.find((r) => r.kind === 'PipelineRun')?.name;
    const key = parent ? `${tr.namespace ?? ''}/${parent}` : null;
    if (key && prKeys.has(key)) {
      const list = childrenOf.get(key);
      if (list) list.push(tr);
      else childrenOf.set(key, [tr]);
    } else if (!parent) {
      const ns = tr.namespace ?? 'default';
      directByNs.set(ns, [...(directByNs.get(ns) ?? []), tr]);
    }
  }

  // Group runs by pipeline identity.
  interface Group {
    namespace: string;
    name: string;
    source: PipelineIdentitySource;
    object: K8sObject | null;
    runs: K8sObject[];
  }
  const groups = new Map<string, Group>();
  for (const p of kinds.get('Pipeline') ?? []) {
    const ns = p.namespace ?? 'default';
    groups.set(`${ns}\u0000obj:${p.name}`, { namespace: ns, name: p.name, source: 'pipeline-object', object: p, runs: [] });
  }
  for (const run of pipelineRunObjects) {
    const ns = run.namespace ?? 'default';
    const id = pipelineIdentity(run);
    const key = `${ns}\u0000${id.key}`;
    const g = groups.get(key);
    if (g) g.runs.push(run);
    else groups.set(key, { namespace: ns, name: id.name, source: id.source, object: null, runs: [run] });
  }

  // Distinct identities can share a display name (a resolver ref and a Pipeline object): keep ids unique.
  const usedIds = new Set<string>();
  const pipelines: PipelineModel[] = [];
  for (const g of groups.values()) {
    const sorted = [...g.runs].sort((a, b) => runTime(b).localeCompare(runTime(a)));
    const recent = sorted.slice(0, Math.max(1, policy.recentRuns));
    const runs = recent.map((r) =>
      buildPipelineRun(r, (childrenOf.get(nsKey(r)) ?? []).map((tr) => buildTaskRun(tr, chainsConfig, pvcs)), chainsConfig, pvcs),
    );
    // A task's spec as the newest run that ran it recorded it.
    const taskRunSpecs = new Map<string, TaskRunModel>();
    for (const run of runs) {
      for (const tr of run.taskRuns) {
        if (tr.pipelineTaskName && tr.taskSpec && !taskRunSpecs.has(tr.pipelineTaskName)) taskRunSpecs.set(tr.pipelineTaskName, tr);
      }
    }
    let spec: PipelineSpecModel | null = null;
    if (g.object) {
      const o = g.object;
      spec = normalizePipelineSpec(o.raw.spec, { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, 'spec', g.namespace, index, taskRunSpecs);
    } else {
      const withSpec = recent.find((r) => isObj(obj(r.raw.status).pipelineSpec) || isObj(obj(r.raw.spec).pipelineSpec));
      if (withSpec) {
        const fromStatus = isObj(obj(withSpec.raw.status).pipelineSpec);
        const raw = fromStatus ? obj(withSpec.raw.status).pipelineSpec : obj(withSpec.raw.spec).pipelineSpec;
        spec = normalizePipelineSpec(
          raw,
          { kind: withSpec.kind, namespace: withSpec.namespace, name: withSpec.name, ...withSpec.source },
          fromStatus ? 'status.pipelineSpec' : 'spec.pipelineSpec',
          g.namespace,
          index,
          taskRunSpecs,
        );
      }
    }
    let id = `${g.namespace}/${g.name}`;
    for (let n = 2; usedIds.has(id); n++) id = `${g.namespace}/${g.name}~${n}`;
    usedIds.add(id);
    const nsObject = (kinds.get('Namespace') ?? []).find((n) => n.name === g.namespace);
    const pipelineRefs: RefModel[] = runs.map((r) => r.pipelineRef).filter((r): r is RefModel => r !== null && (r.resolver !== null || r.bundle !== null));
    const base = {
      id,
      namespace: g.namespace,
      name: g.name,
      identitySource: g.source,
      team: teamOf(policy, g.namespace, [g.object?.labels ?? {}, recent[0]?.labels ?? {}, nsObject?.labels ?? {}]),
      object: g.object,
      spec,
      pipelineRefs,
      runs,
      totalRuns: g.runs.length,
      serviceAccounts: serviceAccountsOf(runs),
      dag: buildDag(spec?.tasks ?? [], spec?.finally ?? []),
    };
    pipelines.push({ ...base, credentialReach: [], issues: pipelineIssues(base) });
  }
  pipelines.sort((a, b) => a.id.localeCompare(b.id));

  // Namespaces: every namespace seen, with its guardrail objects.
  const namespaces = new Map<string, NamespaceModel>();
  const nsModel = (name: string): NamespaceModel => {
    let m = namespaces.get(name);
    if (!m) {
      m = { name, object: null, labels: {}, networkPolicies: [], resourceQuotas: [], limitRanges: [], verificationPolicies: [] };
      namespaces.set(name, m);
    }
    return m;
  };
  for (const n of kinds.get('Namespace') ?? []) Object.assign(nsModel(n.name), { object: n, labels: n.labels });
  for (const o of objects) if (o.namespace) nsModel(o.namespace);
  for (const o of kinds.get('NetworkPolicy') ?? []) nsModel(o.namespace ?? 'default').networkPolicies.push(o);
  for (const o of kinds.get('ResourceQuota') ?? []) nsModel(o.namespace ?? 'default').resourceQuotas.push(o);
  for (const o of kinds.get('LimitRange') ?? []) nsModel(o.namespace ?? 'default').limitRanges.push(o);
  for (const o of kinds.get('VerificationPolicy') ?? []) nsModel(o.namespace ?? 'default').verificationPolicies.push(o);

  // Service accounts: every SA object, and every SA a run uses, with its effective RBAC rules.
  const rbac = buildRbacIndex(objects);
  const saObjects = new Map((kinds.get('ServiceAccount') ?? []).map((o) => [nsKey(o), o]));
  const serviceAccounts = new Map<string, ServiceAccountModel>();
  const pipelinesBySa = new Map<string, string[]>();
  const addSa = (ns: string, name: string) => {
    const key = saKey(ns, name);
    if (serviceAccounts.has(key)) return;
    const o = saObjects.get(key) ?? null;
    const raw = obj(o?.raw);
    const resolved = rbac.resolve(ns, name);
    serviceAccounts.set(key, {
      namespace: ns,
      name,
      object: o,
      automountServiceAccountToken: typeof raw.automountServiceAccountToken === 'boolean' ? raw.automountServiceAccountToken : null,
      secrets: objArr(raw.secrets).map((s) => str(s.name) ?? '').filter(Boolean),
      imagePullSecrets: objArr(raw.imagePullSecrets).map((s) => str(s.name) ?? '').filter(Boolean),
      rules: resolved.rules,
      missingRoles: resolved.missingRoles,
    });
  };
  for (const o of saObjects.values()) addSa(o.namespace ?? 'default', o.name);
  for (const p of pipelines) {
    for (const sa of p.serviceAccounts) {
      addSa(p.namespace, sa);
      const key = saKey(p.namespace, sa);
      pipelinesBySa.set(key, [...(pipelinesBySa.get(key) ?? []), p.id]);
    }
  }

  const secretsMeta: ClusterModel['secretsMeta'] = new Map();
  for (const s of kinds.get('Secret') ?? []) {
    secretsMeta.set(nsKey(s), { name: s.name, namespace: s.namespace ?? 'default', type: str((s.raw as Obj).type), annotations: s.annotations });
  }

  const directTaskRuns = new Map<string, TaskRunModel[]>();
  for (const [ns, list] of directByNs) directTaskRuns.set(ns, list.map((tr) => buildTaskRun(tr, chainsConfig, pvcs)));

  const disableCredsInit = platform.featureFlags.data['disable-creds-init'] === 'true';
  for (const p of pipelines) {
    p.credentialReach = computeCredentialReach(p, { serviceAccounts, secretsMeta }, disableCredsInit);
  }

  return {
    sourceKind: options.sourceKind,
    objects,
    pipelines,
    namespaces,
    serviceAccounts,
    pipelinesBySa,
    pvcs,
    secretsMeta,
    tasks: new Map([...index.tasks, ...[...index.clusterTasks].map(([k, v]) => [`/${k}`, v] as [string, K8sObject])]),
    stepActions: new Map((kinds.get('StepAction') ?? []).map((o) => [nsKey(o), o])),
    triggerBindings: [...(kinds.get('TriggerBinding') ?? []), ...(kinds.get('ClusterTriggerBinding') ?? [])],
    triggerTemplates: kinds.get('TriggerTemplate') ?? [],
    eventListeners: kinds.get('EventListener') ?? [],
    directTaskRuns,
    platform,
    gaps: options.gaps ?? [],
    loadIssues: options.loadIssues ?? [],
  };
}
