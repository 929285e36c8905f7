import { arr, asText, isObj, obj, objArr, str, strArr, strMap, type Obj } from './access';
import { chainsInfoOf, runStatusOf, signableResults } from './chains';
import { parsePublicKeys, type VerifyKey } from './chains-verify';
import { expandChildPipeline, isChildPipelineTask, linkChildPipelines, MAX_PIPELINE_NESTING, type NestingContext } from './child-pipelines';
import { buildDag, findResultRefs } from './dag';
import {
  normalizeParamSpecs,
  normalizeParamValues,
  normalizePodTemplate,
  normalizeRef,
  normalizeTaskSpec,
  normalizeWorkspaceBindings,
} from './normalize';
import { ambiguityMessage, dirOf, NearIndex, type NearestPick } from './proximity';
import { buildRbacIndex } from './rbac';
import { computeCredentialReach } from './reach';
import { buildTriggersModel, type TriggersModel } from './triggers';
import { makeObject } from './load';
import { buildSubjectScopes, issueSink, serviceAccountModel, stepActionRefs, unspecifiedGuardrails } from './scope';
import { inlineTaskSpecPath, subjectIds, subjectKindOf, taskSubject, taskSubjectKey } from './subjects';
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
  SourceLocation,
  TaskRunModel,
  WorkspaceBindingModel,
} from './types';
import { isUnspecifiedNamespace, saKey } from './types';
import type { Policy } from '../policy/types';

export interface BuildOptions {
  sourceKind: ClusterModel['sourceKind'];
  policy: Policy;
  gaps?: DataGap[];
  loadIssues?: LoadIssue[];
  /** Run counts seen by a source that keeps only recent runs in memory (live): they win over what is loaded. */
  runTotals?: Partial<Pick<PlatformModel, 'totalPipelineRuns' | 'totalTaskRuns' | 'oldestCompletedRun'>>;
  /** The same source's PipelineRun count per pipeline (`namespace\u0000identity key`), read at each (re)build. */
  runsSeenByPipeline?: ReadonlyMap<string, number>;
}

const PAC_ORIGINAL_NAME = 'pipelinesascode.tekton.dev/original-prname';
const CUSTOM_TASK_KINDS = new Set(['Task', 'ClusterTask', 'StepAction']);

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

/** The pipeline a TriggerTemplate's PipelineRun would be grouped under, or null when it carries no name at all. */
function templateRunIdentity(run: Obj, namespace: string): string | null {
  let meta = obj(run.metadata);
  // `name: build-$(uid)` is filled per event: its runs are grouped like `generateName: build-` ones.
  const templated = str(meta.name)?.indexOf('$(') ?? -1;
  if (templated >= 0) meta = { ...meta, name: undefined, generateName: (str(meta.name) as string).slice(0, templated) || null };
  const name = str(meta.name) ?? str(meta.generateName) ?? '';
  if (!name && !str(obj(obj(run.spec).pipelineRef).name)) return null;
  const o = makeObject({ ...run, metadata: { ...meta, namespace } }, 'PipelineRun', str(run.apiVersion) ?? 'tekton.dev/v1', name, {});
  return pipelineIdentity(o).name || null;
}

function teamOf(policy: Policy, ns: string, labelSources: Record<string, string>[]): string | null {
  for (const labels of labelSources) {
    const t = labels[policy.team.labelKey];
    if (t) return t;
  }
  return policy.team.namespaces[ns] ?? null;
}

interface TaskIndex {
  /** The Task/ClusterTask a pipeline task names: the one nearest to the referring spec (files), or the only one. */
  lookup(kind: 'Task' | 'ClusterTask', namespace: string, name: string, from: SourceLocation): K8sObject | undefined;
  /** Pipeline objects (`ns/name`), for child pipelines referenced by name. */
  pipelines: Map<string, K8sObject>;
}

/** Normalizes the `tasks` or `finally` list of a pipeline spec, resolving each task's spec where it can be seen. */
function normalizePipelineTasks(
  raw: unknown,
  isFinally: boolean,
  spec: Pick<PipelineSpecModel, 'owner' | 'basePath'>,
  namespace: string,
  index: TaskIndex,
  taskRunSpecs: Map<string, TaskRunModel>,
  nesting: NestingContext,
): PipelineTaskModel[] {
  const listPath = `${spec.basePath}.${isFinally ? 'finally' : 'tasks'}`;
  return arr(raw).flatMap((t, i) => {
    if (!isObj(t)) return [];
    // Pipelines in Pipelines: the child's tasks are scored as the parent's (child-pipelines.ts).
    if (isChildPipelineTask(t)) {
      return expandChildPipeline(t, i, listPath, isFinally, spec.owner, nesting, (childRaw, base, childNesting, childTaskRuns) =>
        normalizeTaskLists(childRaw, base, namespace, index, childTaskRuns, childNesting),
      );
    }
    const path = `${listPath}[${i}]`;
    const name = str(t.name) ?? `task-${i}`;
    const taskRef = normalizeRef(t.taskRef, `${path}.taskRef`);
    const isCustomTask =
      (taskRef !== null && taskRef.apiVersion !== null && !CUSTOM_TASK_KINDS.has(taskRef.kind ?? 'Task')) ||
      (isObj(t.taskSpec) && str(t.taskSpec.apiVersion) !== null && str(t.taskSpec.kind) !== null);
    let taskSpec = null;
    let specSource: PipelineTaskModel['specSource'] = 'unresolved';
    if (isObj(t.taskSpec) && !isCustomTask) {
      taskSpec = normalizeTaskSpec(t.taskSpec, spec.owner, `${path}.taskSpec`);
      specSource = 'inline';
    } else if (taskRef && !taskRef.resolver && !taskRef.bundle && taskRef.name && !isCustomTask) {
      const object = index.lookup(taskRef.kind === 'ClusterTask' ? 'ClusterTask' : 'Task', namespace, taskRef.name, spec.owner);
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

/** A spec's `tasks` and `finally`, with tasks that depend on an expanded child pipeline wired to its leaves. */
function normalizeTaskLists(
  raw: unknown,
  base: Pick<PipelineSpecModel, 'owner' | 'basePath'>,
  namespace: string,
  index: TaskIndex,
  taskRunSpecs: Map<string, TaskRunModel>,
  nesting: NestingContext,
): { tasks: PipelineTaskModel[]; finally: PipelineTaskModel[] } {
  const s = obj(raw);
  const tasks = normalizePipelineTasks(s.tasks, false, base, namespace, index, taskRunSpecs, nesting);
  const finallyTasks = normalizePipelineTasks(s.finally, true, base, namespace, index, taskRunSpecs, nesting);
  linkChildPipelines(tasks, finallyTasks);
  return { tasks, finally: finallyTasks };
}

function normalizePipelineSpec(
  raw: unknown,
  owner: PipelineSpecModel['owner'],
  basePath: string,
  namespace: string,
  index: TaskIndex,
  taskRunSpecs: Map<string, TaskRunModel>,
  nesting: NestingContext,
): PipelineSpecModel {
  const s = obj(raw);
  const base = { owner, basePath };
  const lists = normalizeTaskLists(s, base, namespace, index, taskRunSpecs, nesting);
  return {
    params: normalizeParamSpecs(s.params, `${basePath}.params`),
    workspaces: objArr(s.workspaces).map((w) => ({ name: str(w.name) ?? '', optional: w.optional === true })),
    tasks: lists.tasks,
    finally: lists.finally,
    results: objArr(s.results).map((r) => ({ name: str(r.name) ?? '' })),
    owner,
    basePath,
    description: str(s.description),
  };
}

function trustedCondition(o: K8sObject): string | null {
  return conditionStatus(o, 'TrustedResourcesVerified');
}

/** The PVC a run's claim names: the nearest to the run's file (files), or the only one. */
type PvcLookup = (namespace: string, claimName: string, from: SourceLocation) => K8sObject | undefined;

function fillPvcAccessModes(bindings: WorkspaceBindingModel[], o: K8sObject, ns: string, pvcs: PvcLookup): void {
  for (const b of bindings) {
    if (b.type !== 'persistentVolumeClaim' || !b.claimName) continue;
    const pvc = pvcs(ns, b.claimName, o.source);
    if (pvc) b.accessModes = strArr(obj(pvc.raw.spec).accessModes);
    else b.pvcMissing = true;
  }
}

function buildTaskRun(o: K8sObject, chainsConfig: Record<string, string>, pvcs: PvcLookup, keys: VerifyKey[] = []): TaskRunModel {
  const spec = obj(o.raw.spec);
  const status = obj(o.raw.status);
  const ns = o.namespace ?? '';
  const owner = { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
  const taskSpec = isObj(status.taskSpec)
    ? normalizeTaskSpec(status.taskSpec, owner, 'status.taskSpec')
    : isObj(spec.taskSpec)
      ? normalizeTaskSpec(spec.taskSpec, owner, 'spec.taskSpec')
      : null;
  const results = objArr(status.results ?? status.taskResults).map((r) => ({ name: str(r.name) ?? '', value: asText(r.value) }));
  const runStatus = runStatusOf(o);
  const workspaces = normalizeWorkspaceBindings(spec.workspaces, 'spec.workspaces');
  fillPvcAccessModes(workspaces, o, ns, pvcs);
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
    chains: chainsInfoOf(o, runStatus, 'TaskRun', { chainsConfig, hasImageResults: signableResults(results).signable.length > 0, verify: { keys } }),
    trustedResourcesVerified: trustedCondition(o),
  };
}

function buildPipelineRun(
  o: K8sObject,
  taskRuns: TaskRunModel[],
  chainsConfig: Record<string, string>,
  pvcs: PvcLookup,
  keys: VerifyKey[] = [],
): PipelineRunModel {
  const spec = obj(o.raw.spec);
  const status = obj(o.raw.status);
  const ns = o.namespace ?? '';
  const template = obj(spec.taskRunTemplate);
  const explicitSa = str(template.serviceAccountName) || str(spec.serviceAccountName) || '';
  const runStatus = runStatusOf(o);
  const workspaces = normalizeWorkspaceBindings(spec.workspaces, 'spec.workspaces');
  fillPvcAccessModes(workspaces, o, ns, pvcs);
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
    chains: chainsInfoOf(o, runStatus, 'PipelineRun', {
      chainsConfig,
      hasImageResults: false,
      verify: {
        keys,
        childResults: taskRuns.flatMap((tr) => tr.results),
        deepInspection: chainsConfig['artifacts.pipelinerun.enable-deep-inspection']?.trim() === 'true',
      },
    }),
    trustedResourcesVerified: trustedCondition(o),
    taskRuns,
  };
}

/** Facts about the runs in sight as a whole; recomputed on every (re)build, since run changes move them. */
function runFacts(runs: Iterable<K8sObject>): { chainsObserved: boolean; oldestCompletedRun: string | null } {
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
  return { chainsObserved, oldestCompletedRun: oldest };
}

function buildPlatform(kinds: Map<string, K8sObject[]>): PlatformModel {
  const configMaps = kinds.get('ConfigMap') ?? [];
  const { chainsObserved, oldestCompletedRun: oldest } = runFacts([...(kinds.get('PipelineRun') ?? []), ...(kinds.get('TaskRun') ?? [])]);
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
  const seen = new Map<string, number>();
  for (const t of p.spec ? [...p.spec.tasks, ...p.spec.finally] : []) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  for (const [name, n] of seen) {
    if (n > 1) issues.push(`Task name "${name}" is used by ${n} pipeline tasks: Tekton rejects this pipeline, and references to it are ambiguous.`);
  }
  for (const t of p.spec ? [...p.spec.tasks, ...p.spec.finally] : []) {
    // Unexpanded child pipelines say why in their own issue (child-pipelines.ts).
    if (t.specSource === 'unresolved' && !t.isCustomTask && t.childPipelineRef === undefined) {
      const where = t.taskRef?.resolver ? `remote (${t.taskRef.resolver} resolver)` : `"${t.taskRef?.name ?? '?'}"`;
      issues.push(`Task "${t.name}" refers to ${where} and no spec is in sight: its checks are unknown.`);
    }
  }
  return issues;
}

interface Group {
  key: string;
  namespace: string;
  name: string;
  source: PipelineIdentitySource;
  object: K8sObject | null;
  runs: Map<string, K8sObject>;
  /** Files: where the subject was found (its object's file, or its first run's): what proximity is measured from. */
  location?: SourceLocation;
  /** Ambiguous references met while grouping its runs. */
  notes: Set<string>;
}

function fileIdentity(s: SourceLocation): string {
  return s.relPath ?? s.file ?? '';
}

/** A PipelineRun's key in its group: same-named runs of different files are different runs. */
function runKey(o: K8sObject): string {
  return o.source.file ? `${nsKey(o)}\u0000${fileIdentity(o.source)}:${o.source.line ?? 0}` : nsKey(o);
}

/** A run's TaskRuns by start time, then name: the same order however (and in whatever order) they arrived. */
function childrenInOrder(children: Map<string, K8sObject> | undefined): K8sObject[] {
  if (!children) return [];
  return [...children.values()].sort((a, b) => runTime(a).localeCompare(runTime(b)) || a.name.localeCompare(b.name));
}

function parentRunKey(tr: K8sObject): string | null {
  const parent = tr.labels['tekton.dev/pipelineRun'] ?? tr.ownerReferences.find((r) => r.kind === 'PipelineRun')?.name;
  return parent ? `${tr.namespace ?? ''}/${parent}` : null;
}

const TASK_SUBJECT_KINDS = ['Task', 'ClusterTask', 'StepAction'] as const;


/**
 * Builds the model from loaded objects, and keeps what it indexed so that a change to runs re-builds only the
 * pipelines it touches (the live source re-scores those alone). Never throws on malformed objects: they become
 * issues or defaults.
 *
 * Objects without a namespace (files) are in the *unspecified* namespace `''`, and every same-kind, same-name
 * object is kept: references resolve by proximity (lib/model/proximity.ts), ambiguities become load issues.
 */
export class ModelBuilder {
  private readonly kinds: Map<string, K8sObject[]>;
  private readonly platform: PlatformModel;
  private readonly pvcs: Map<string, K8sObject>;
  private readonly near: NearIndex;
  private readonly index: TaskIndex;
  private readonly pvcLookup: PvcLookup;
  private readonly namespaceObjects: Map<string, K8sObject>;
  private readonly rbac: ReturnType<typeof buildRbacIndex>;
  private readonly saObjects: Map<string, K8sObject>;
  private readonly groups = new Map<string, Group>();
  private readonly groupOfObject = new Map<K8sObject, string>();
  /** Group key of every PipelineRun (`ns/name`). */
  private readonly groupOfRun = new Map<string, string>();
  private readonly childrenOf = new Map<string, Map<string, K8sObject>>();
  /** Child PipelineRuns (Pipelines in Pipelines) by parent run key (`ns/name`). */
  private readonly childPipelineRunsOf = new Map<string, Map<string, K8sObject>>();
  /** The parent run key of each child PipelineRun. */
  private readonly parentOfRun = new Map<string, string>();
  private readonly directTaskRunObjects = new Map<string, Map<string, K8sObject>>();
  /** Where each TaskRun (`ns/name`) is indexed: its parent run's key, or null for a direct TaskRun. */
  private readonly parentOfTaskRun = new Map<string, string | null>();
  private readonly pipelineModels = new Map<string, PipelineModel>();
  private taskSubjects: PipelineModel[] = [];
  /** Objects some reference resolved to (Tasks, StepActions…): those are not subjects of their own. */
  private readonly used = new Set<K8sObject>();
  /** Load issues the model adds (ambiguous references, inputs it cannot score), keyed to report each once. */
  private readonly modelIssues = new Map<string, LoadIssue>();
  /** Where the ambiguities met while building one pipeline are noted (its `issues`). */
  private notes: Set<string> | null = null;
  private model: ClusterModel | null = null;
  /** Set by applyRun: the loaded object list no longer holds the runs in sight. */
  private runsChanged = false;

  constructor(
    private readonly objects: K8sObject[],
    private readonly options: BuildOptions,
  ) {
    const kinds = byKind(objects);
    this.kinds = kinds;
    this.platform = buildPlatform(kinds);
    this.pvcs = new Map((kinds.get('PersistentVolumeClaim') ?? []).map((o) => [nsKey(o), o]));
    this.near = new NearIndex(objects);
    this.index = {
      lookup: (kind, ns, name, from) => this.find(kind, kind === 'ClusterTask' ? null : ns, name, from)?.chosen,
      pipelines: new Map((kinds.get('Pipeline') ?? []).map((o) => [`${o.namespace ?? ''}/${o.name}`, o])),
    };
    this.pvcLookup = (ns, name, from) => this.find('PersistentVolumeClaim', ns, name, from)?.chosen;
    this.namespaceObjects = new Map((kinds.get('Namespace') ?? []).map((n) => [n.name, n]));
    this.rbac = buildRbacIndex(objects);
    this.saObjects = new Map((kinds.get('ServiceAccount') ?? []).map((o) => [nsKey(o), o]));
    for (const p of kinds.get('Pipeline') ?? []) {
      const ns = p.namespace ?? '';
      const base = `${ns}\u0000obj:${p.name}${p.source.file ? `\u0000${fileIdentity(p.source)}` : ''}`;
      let key = base;
      // Two same-named Pipelines in one file: told apart by their order in that file (intrinsic to the file).
      for (let n = 2; this.groups.has(key); n++) key = `${base}#${n}`;
      this.groupOfObject.set(p, key);
      this.groups.set(key, { key, namespace: ns, name: p.name, source: 'pipeline-object', object: p, runs: new Map(), location: p.source.file ? p.source : undefined, notes: new Set() });
    }
    for (const run of kinds.get('PipelineRun') ?? []) this.addRun(run);
    for (const tr of kinds.get('TaskRun') ?? []) this.addTaskRun(tr);
  }

  /** The nearest object of that kind and name; notes an ambiguity when several are as near. */
  private find(kind: string, namespace: string | null, name: string, from: SourceLocation | undefined, notes?: { add(message: string): unknown }): NearestPick<K8sObject> | null {
    const pick = this.near.find(kind, namespace, name, from);
    if (!pick) return null;
    this.used.add(pick.chosen);
    if (pick.tied.length > 1) {
      const message = ambiguityMessage(kind, name, from, pick);
      if (!this.modelIssues.has(message)) this.modelIssues.set(message, { file: from?.file, line: from?.line, message });
      (notes ?? this.notes)?.add(message);
    }
    return pick;
  }

  private addRun(run: K8sObject): string {
    const ns = run.namespace ?? '';
    const id = pipelineIdentity(run);
    let key = `${ns}\u0000${id.key}`;
    const notes = new Set<string>();
    let pipelineObject: K8sObject | null = null;
    if (id.key.startsWith('obj:')) {
      this.notes = notes;
      pipelineObject = this.find('Pipeline', ns, id.name, run.source)?.chosen ?? null;
      this.notes = null;
      const objectKey = pipelineObject ? this.groupOfObject.get(pipelineObject) : undefined;
      if (objectKey) {
        key = objectKey;
        // A Pipeline without a namespace that runs of an explicit namespace use (same file or directory) runs
        // there: that namespace says where it executes (its guardrails, its SAs, NSG-006).
        const g0 = this.groups.get(key);
        if (g0 && g0.namespace === '' && ns !== '' && g0.runs.size === 0) g0.namespace = ns;
      }
    }
    // Runs of the unspecified namespace with no Pipeline object: one identity per directory (a repository's
    // `.tekton/`), not one across every example folder of the scan.
    if (!pipelineObject && run.source.file && ns === '') key += `\u0000dir:${dirOf(fileIdentity(run.source))}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { key, namespace: ns, name: id.name, source: id.source, object: null, runs: new Map(), location: run.source.file ? run.source : undefined, notes: new Set() };
      this.groups.set(key, g);
    }
    for (const n of notes) g.notes.add(n);
    g.runs.set(runKey(run), run);
    this.groupOfRun.set(nsKey(run), key);
    const parent = parentRunKey(run);
    if (parent) {
      let children = this.childPipelineRunsOf.get(parent);
      if (!children) this.childPipelineRunsOf.set(parent, (children = new Map()));
      children.set(nsKey(run), run);
      this.parentOfRun.set(nsKey(run), parent);
    }
    return key;
  }

  private addTaskRun(tr: K8sObject): string | null {
    const parent = parentRunKey(tr);
    this.parentOfTaskRun.set(nsKey(tr), parent);
    if (parent) {
      let children = this.childrenOf.get(parent);
      if (!children) this.childrenOf.set(parent, (children = new Map()));
      children.set(runKey(tr), tr);
      return this.groupOfRun.get(parent) ?? null;
    }
    const ns = tr.namespace ?? '';
    let direct = this.directTaskRunObjects.get(ns);
    if (!direct) this.directTaskRunObjects.set(ns, (direct = new Map()));
    direct.set(runKey(tr), tr);
    return null;
  }

  /**
   * Applies a run added, changed or deleted (`deleted` true) and returns the keys of the pipeline groups it
   * touches. Direct TaskRuns touch no group but change NSG-005: the caller re-scores their namespace.
   */
  applyRun(o: K8sObject, deleted: boolean): { groups: string[]; namespace: string } {
    const ns = o.namespace ?? '';
    this.runsChanged = true;
    if (o.kind === 'PipelineRun') {
      const key = this.groupOfRun.get(nsKey(o));
      // A child PipelineRun also changes the pipelines its tasks are expanded into.
      const parent = parentRunKey(o);
      const enclosing = parent ? this.enclosingGroups(parent) : [];
      const withParent = (keys: string[]) => [...new Set([...keys, ...enclosing])];
      if (deleted) {
        if (key) this.groups.get(key)?.runs.delete(runKey(o));
        this.groupOfRun.delete(nsKey(o));
        // its TaskRuns go with it (Kubernetes collects them; the live source sends only the PipelineRun)
        for (const tr of this.childrenOf.get(nsKey(o))?.values() ?? []) this.parentOfTaskRun.delete(nsKey(tr));
        this.childrenOf.delete(nsKey(o));
        this.parentOfRun.delete(nsKey(o));
        if (parent) this.childPipelineRunsOf.get(parent)?.delete(nsKey(o));
        return { groups: withParent(key ? [key] : []), namespace: ns };
      }
      // A run whose identity changed (relabelled, new pipelineRef) leaves the pipeline it was grouped with.
      if (key) this.groups.get(key)?.runs.delete(runKey(o));
      const newKey = this.addRun(o);
      return { groups: withParent(key && key !== newKey ? [key, newKey] : [newKey]), namespace: ns };
    }
    // Where the TaskRun was indexed, which is not always where its labels now point (relabelled, re-parented).
    const before = this.parentOfTaskRun.get(nsKey(o));
    const parent = before === undefined ? parentRunKey(o) : before;
    if (parent) this.childrenOf.get(parent)?.delete(runKey(o));
    else this.directTaskRunObjects.get(ns)?.delete(runKey(o));
    this.parentOfTaskRun.delete(nsKey(o));
    // A TaskRun of a child PipelineRun also feeds the pipelines that child is expanded into.
    const oldGroups = parent ? this.enclosingGroups(parent) : [];
    if (deleted) return { groups: oldGroups, namespace: ns };
    this.addTaskRun(o);
    const newParent = parentRunKey(o);
    const newGroups = newParent ? this.enclosingGroups(newParent) : [];
    return { groups: [...new Set([...oldGroups, ...newGroups])], namespace: ns };
  }

  /** The groups of a run and of every run it is a child of (Pipelines in Pipelines), nearest first. */
  private enclosingGroups(runKey: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let k: string | undefined = runKey; k !== undefined && !seen.has(k) && seen.size <= MAX_PIPELINE_NESTING; k = this.parentOfRun.get(k)) {
      seen.add(k);
      const g = this.groupOfRun.get(k);
      if (g && !out.includes(g)) out.push(g);
    }
    return out;
  }

  private buildGroup(g: Group, id: string): PipelineModel {
    const { policy } = this.options;
    const chainsConfig = this.platform.chainsConfig.data;
    const keys = parsePublicKeys(policy.chains?.publicKeys ?? []);
    const notes = new Set(g.notes);
    this.notes = notes;
    // A child PipelineRun (Pipelines in Pipelines) that carries its parent's identity (labels propagate, e.g. the
    // PaC original name) is part of its parent's run, not a run of its own: it would otherwise pose as the newest.
    const own = [...g.runs.values()].filter((r) => {
      const parent = parentRunKey(r);
      return !parent || this.groupOfRun.get(parent) !== g.key;
    });
    const sorted = own.sort((a, b) => runTime(b).localeCompare(runTime(a)) || runKey(a).localeCompare(runKey(b)));
    const recent = sorted.slice(0, Math.max(1, policy.recentRuns));
    const runs = recent.map((r) =>
      buildPipelineRun(
        r,
        childrenInOrder(this.childrenOf.get(nsKey(r))).map((tr) => buildTaskRun(tr, chainsConfig, this.pvcLookup, keys)),
        chainsConfig,
        this.pvcLookup,
        keys,
      ),
    );
    const nesting: NestingContext = {
      namespace: g.namespace,
      pipelines: this.index.pipelines,
      runs: recent,
      childPipelineRuns: (run) => [...(this.childPipelineRunsOf.get(nsKey(run))?.values() ?? [])].sort((a, b) => runTime(b).localeCompare(runTime(a))),
      taskRunsOf: (run) => [...(this.childrenOf.get(nsKey(run))?.values() ?? [])].map((tr) => buildTaskRun(tr, chainsConfig, this.pvcLookup, keys)),
      stack: g.object ? [`${g.namespace}/${g.object.name}`] : [],
      depth: 0,
      issues: [],
    };
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
      spec = normalizePipelineSpec(o.raw.spec, { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, 'spec', g.namespace, this.index, taskRunSpecs, nesting);
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
          this.index,
          taskRunSpecs,
          nesting,
        );
      }
    }
    this.notes = null;
    const nsObject = this.namespaceObjects.get(g.namespace);
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
      totalRuns: Math.max(own.length, this.options.runsSeenByPipeline?.get(g.key) ?? 0),
      serviceAccounts: serviceAccountsOf(runs),
      dag: buildDag(spec?.tasks ?? [], spec?.finally ?? []),
    };
    return { ...base, credentialReach: [], issues: [...pipelineIssues(base), ...nesting.issues, ...notes], ...(g.location ? { location: g.location } : {}) };
  }

  private groupIds(): Map<string, string> {
    return subjectIds(
      [...this.groups.values()].map((g) => ({
        key: g.key,
        namespace: g.namespace,
        name: g.name,
        fileBorn: g.location !== undefined,
        canonical: g.source === 'pipeline-object' && g.location === undefined,
      })),
    );
  }

  /**
   * Files only: every Task, ClusterTask and StepAction that no scored pipeline (nor a task subject, for
   * StepActions) resolves to becomes a subject of its own (lib/model/subjects.ts).
   */
  private buildTaskSubjects(): PipelineModel[] {
    if (this.options.sourceKind !== 'files') return [];
    const markStepActions = (p: PipelineModel) => {
      for (const r of stepActionRefs(p)) this.find('StepAction', p.namespace, r.name, r.from, issueSink(p));
    };
    for (const p of this.pipelineModels.values()) markStepActions(p);
    const unused = (kinds: readonly string[]) =>
      kinds.flatMap((k) => this.kinds.get(k) ?? []).filter((o) => !this.used.has(o) && o.source.file !== undefined);
    const tasks = unused(['Task', 'ClusterTask']);
    const build = (list: K8sObject[]) => {
      const ids = subjectIds(list.map((o) => ({ key: taskSubjectKey(o), namespace: o.namespace ?? '', name: o.name, fileBorn: true, canonical: false, kind: subjectKindOf(o) })));
      return list.map((o) => taskSubject(o, ids.get(taskSubjectKey(o)) as string, teamOf(this.options.policy, o.namespace ?? '', [o.labels])));
    };
    const taskModels = build(tasks);
    // Direct TaskRuns with their own spec: part of the "nothing silently left out" rule.
    // One with a podTemplate is left to its note: its steps' verdicts depend on that template, which the task
    // checks read from pipeline runs only.
    const inlineRuns = [...this.directTaskRunObjects.values()].flatMap((m) => [...m.values()]).filter((o) => o.source.file !== undefined && inlineTaskSpecPath(o) !== null);
    const withTemplate = inlineRuns.filter((o) => obj(o.raw.spec).podTemplate !== undefined);
    for (const o of withTemplate) {
      this.modelIssues.set(`podTemplate:${o.source.file}:${o.source.line}`, {
        file: o.source.file,
        line: o.source.line,
        message: `TaskRun "${o.name}" has its own task spec and a podTemplate: not scored on its own (only NSG-005 sees it).`,
      });
    }
    const runModels = build(inlineRuns.filter((o) => !withTemplate.includes(o)));
    for (const t of [...taskModels, ...runModels]) markStepActions(t);
    const stepActions = unused(TASK_SUBJECT_KINDS.filter((k) => k === 'StepAction'));
    return [...taskModels, ...runModels, ...build(stepActions)];
  }

  /** The full model. */
  build(): ClusterModel {
    const ids = this.groupIds();
    this.pipelineModels.clear();
    for (const [key, g] of this.groups) {
      if (g.object || g.runs.size > 0) this.pipelineModels.set(key, this.buildGroup(g, ids.get(key) as string));
    }
    this.taskSubjects = this.buildTaskSubjects();
    this.model = this.assemble();
    return this.model;
  }

  /** Re-builds only the given groups (after applyRun); returns the new model and the ids of the pipelines rebuilt. */
  rebuild(groupKeys: string[]): { model: ClusterModel; changed: string[]; removed: string[] } {
    if (!this.model) return { model: this.build(), changed: [], removed: [] };
    const changed: string[] = [];
    const removed: string[] = [];
    const touched = new Set<string>();
    for (const key of new Set(groupKeys)) {
      const g = this.groups.get(key);
      const old = this.pipelineModels.get(key);
      if (!g || (!g.object && g.runs.size === 0)) {
        if (old) removed.push(old.id);
        this.pipelineModels.delete(key);
        this.groups.delete(key);
      } else touched.add(key);
    }
    // Ids are given in key order among pipelines that share a display name: a pipeline that appeared or went away
    // can move the id of another (`build` ↔ `build~2`), which is then re-built too.
    const ids = this.groupIds();
    for (const [key, p] of this.pipelineModels) if (p.id !== ids.get(key)) touched.add(key);
    for (const key of touched) {
      const p = this.buildGroup(this.groups.get(key) as Group, ids.get(key) as string);
      this.pipelineModels.set(key, p);
      changed.push(p.id);
    }
    this.model = this.assemble();
    return { model: this.model, changed, removed };
  }

  private triggersModel: TriggersModel | null = null;

  /** Triggers objects do not change with runs: built once per builder. */
  private triggers(): TriggersModel {
    if (!this.triggersModel) {
      const k = this.kinds;
      this.triggersModel = buildTriggersModel(
        {
          eventListeners: k.get('EventListener') ?? [],
          triggers: k.get('Trigger') ?? [],
          bindings: k.get('TriggerBinding') ?? [],
          clusterBindings: k.get('ClusterTriggerBinding') ?? [],
          templates: k.get('TriggerTemplate') ?? [],
        },
        templateRunIdentity,
        this.options.sourceKind === 'live',
      );
    }
    return this.triggersModel;
  }

  /**
   * The objects in sight: as loaded, until run changes arrive; then the loaded non-run objects and the runs now
   * indexed (checks read raw objects, e.g. STP-007 the ports of an inline spec's step, from this list).
   */
  private currentObjects(): K8sObject[] {
    if (!this.runsChanged) return this.objects;
    this.staticObjects ??= this.objects.filter((o) => o.kind !== 'PipelineRun' && o.kind !== 'TaskRun');
    return [...this.staticObjects, ...this.runObjects()];
  }

  private staticObjects: K8sObject[] | null = null;

  /** Every PipelineRun and TaskRun currently indexed (after run changes, not only those first loaded). */
  private *runObjects(): Generator<K8sObject> {
    for (const g of this.groups.values()) yield* g.runs.values();
    for (const c of this.childrenOf.values()) yield* c.values();
    for (const d of this.directTaskRunObjects.values()) yield* d.values();
  }

  private assemble(): ClusterModel {
    const pipelines = [...this.pipelineModels.values(), ...this.taskSubjects].sort((a, b) => a.id.localeCompare(b.id));
    const kinds = this.kinds;
    const chainsConfig = this.platform.chainsConfig.data;

    // Namespaces: every namespace seen, with its guardrail objects (`''`: the unspecified namespace of files).
    const namespaces = new Map<string, NamespaceModel>();
    const nsModel = (name: string): NamespaceModel => {
      let m = namespaces.get(name);
      if (!m) {
        m = { name, object: null, labels: {}, networkPolicies: [], resourceQuotas: [], limitRanges: [], verificationPolicies: [], ...(isUnspecifiedNamespace(name) ? { unspecified: true } : {}) };
        namespaces.set(name, m);
      }
      return m;
    };
    for (const n of this.namespaceObjects.values()) Object.assign(nsModel(n.name), { object: n, labels: n.labels });
    const objects = this.currentObjects();
    for (const o of objects) if (o.namespace) nsModel(o.namespace);
    for (const p of pipelines) nsModel(p.namespace);
    for (const o of kinds.get('NetworkPolicy') ?? []) nsModel(o.namespace ?? '').networkPolicies.push(o);
    for (const o of kinds.get('ResourceQuota') ?? []) nsModel(o.namespace ?? '').resourceQuotas.push(o);
    for (const o of kinds.get('LimitRange') ?? []) nsModel(o.namespace ?? '').limitRanges.push(o);
    for (const o of kinds.get('VerificationPolicy') ?? []) nsModel(o.namespace ?? '').verificationPolicies.push(o);

    // Service accounts: every SA object, and every SA a run uses, with its effective RBAC rules.
    const serviceAccounts = new Map<string, ServiceAccountModel>();
    const pipelinesBySa = new Map<string, string[]>();
    const addSa = (ns: string, name: string) => {
      const key = saKey(ns, name);
      if (serviceAccounts.has(key)) return;
      serviceAccounts.set(key, serviceAccountModel(ns, name, this.saObjects.get(key) ?? null, this.rbac.resolve(ns, name)));
    };
    for (const o of this.saObjects.values()) addSa(o.namespace ?? '', o.name);
    for (const p of pipelines) {
      for (const sa of p.serviceAccounts) {
        addSa(p.namespace, sa);
        const key = saKey(p.namespace, sa);
        const list = pipelinesBySa.get(key);
        if (list) list.push(p.id);
        else pipelinesBySa.set(key, [p.id]);
      }
    }

    const secretsMeta: ClusterModel['secretsMeta'] = new Map();
    for (const s of kinds.get('Secret') ?? []) {
      secretsMeta.set(nsKey(s), { name: s.name, namespace: s.namespace ?? '', type: str((s.raw as Obj).type), annotations: s.annotations });
    }

    const directTaskRuns = new Map<string, TaskRunModel[]>();
    const keys = parsePublicKeys(this.options.policy.chains?.publicKeys ?? []);
    for (const [ns, list] of this.directTaskRunObjects) {
      if (list.size > 0) directTaskRuns.set(ns, childrenInOrder(list).map((tr) => buildTaskRun(tr, chainsConfig, this.pvcLookup, keys)));
    }

    const subjectScopes =
      this.options.sourceKind === 'files'
        ? buildSubjectScopes(pipelines, {
            find: (kind, ns, name, from, notes) => this.find(kind, ns, name, from, notes),
            rbac: this.rbac,
            unspecifiedGuardrails: unspecifiedGuardrails(kinds),
          })
        : undefined;

    const disableCredsInit = this.platform.featureFlags.data['disable-creds-init'] === 'true';
    for (const p of pipelines) {
      if (p.credentialReach.length > 0) continue;
      const scope = subjectScopes?.get(p.id);
      const lookups = scope
        ? { serviceAccounts: new Map([...serviceAccounts, ...scope.serviceAccounts]), secretsMeta: new Map([...secretsMeta, ...scope.secretsMeta]) }
        : { serviceAccounts, secretsMeta };
      p.credentialReach = computeCredentialReach(p, lookups, disableCredsInit);
    }

    let totalPipelineRuns = 0;
    for (const g of this.groups.values()) totalPipelineRuns += g.runs.size;
    let totalTaskRuns = 0;
    for (const c of this.childrenOf.values()) totalTaskRuns += c.size;
    for (const d of this.directTaskRunObjects.values()) totalTaskRuns += d.size;
    const facts = runFacts(this.runObjects());

    return {
      sourceKind: this.options.sourceKind,
      objects,
      pipelines,
      namespaces,
      serviceAccounts,
      pipelinesBySa,
      pvcs: this.pvcs,
      secretsMeta,
      tasks: new Map([
        ...(kinds.get('Task') ?? []).map((o) => [nsKey(o), o] as [string, K8sObject]),
        ...(kinds.get('ClusterTask') ?? []).map((o) => [`/${o.name}`, o] as [string, K8sObject]),
      ]),
      stepActions: new Map((kinds.get('StepAction') ?? []).map((o) => [nsKey(o), o])),
      triggerBindings: [...(kinds.get('TriggerBinding') ?? []), ...(kinds.get('ClusterTriggerBinding') ?? [])],
      triggerTemplates: kinds.get('TriggerTemplate') ?? [],
      eventListeners: kinds.get('EventListener') ?? [],
      triggers: this.triggers(),
      directTaskRuns,
      platform: { ...this.platform, ...facts, totalPipelineRuns, totalTaskRuns, ...this.options.runTotals },
      gaps: this.options.gaps ?? [],
      loadIssues: [...(this.options.loadIssues ?? []), ...this.modelIssues.values()],
      ...(subjectScopes ? { subjectScopes } : {}),
    };
  }
}

/** Builds the whole model from loaded objects. */
export function buildClusterModel(objects: K8sObject[], options: BuildOptions): ClusterModel {
  return new ModelBuilder(objects, options).build();
}
