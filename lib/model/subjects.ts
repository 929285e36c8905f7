/**
 * Subjects besides pipelines, and the ids of all subjects.
 *
 * A Task, ClusterTask or StepAction from files that no scored pipeline uses is a subject of its own (catalog v1.1
 * "Subjects and files"): a catalog repository is mostly tasks, and a privileged task must not vanish from the
 * report because no pipeline in the same scan happens to run it. It is modelled as a pipeline of one task whose
 * spec is the object, `subjectKind` saying what it really is; the engine scores it with the step, supply-chain
 * and injection checks only and marks the others not-applicable.
 *
 * Ids are derived from what a subject is, never from its position among others (adding a file must not move any
 * other id): `<ns>/<name>` where `<ns>` is the namespace or `_` when unspecified; a file-born subject of the
 * unspecified namespace, and every member of a set of distinct subjects sharing an id, gets `~` and a short hash
 * of its identity key (which holds its file's path relative to the scanned directory). Task subjects add a kind
 * tag (`~task`, `~stepaction`) so that they never collide with a pipeline of the same name. A Pipeline object
 * with no file (live, where names are unique per namespace) keeps the bare id.
 */
import { isObj, obj, str } from './access';
import { normalizeContainer, normalizeParamSpecs, normalizeTaskSpec } from './normalize';
import { buildDag } from './dag';
import { shortHash } from './proximity';
import type { K8sObject, PipelineModel, PipelineSpecModel, PipelineTaskModel, SubjectKind, TaskSpecModel } from './types';
import { namespaceSegment } from './types';

export interface IdEntry {
  key: string;
  namespace: string;
  name: string;
  /** Found in a file (its key then holds the file's path). */
  fileBorn: boolean;
  /** Keeps `<ns>/<name>` even when another subject shares it (a Pipeline object without a file). */
  canonical: boolean;
  kind?: SubjectKind;
}

/** Ids for every entry, each a function of the entry alone, except that sharing a bare id adds the hash. */
export function subjectIds(entries: readonly IdEntry[]): Map<string, string> {
  const base = (e: IdEntry) => `${namespaceSegment(e.namespace)}/${e.name}${e.kind && e.kind !== 'pipeline' ? `~${e.kind}` : ''}`;
  const sharing = new Map<string, number>();
  for (const e of entries) sharing.set(base(e), (sharing.get(base(e)) ?? 0) + 1);
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const e of entries) {
    const b = base(e);
    const hashed = (e.fileBorn && e.namespace === '') || ((sharing.get(b) ?? 0) > 1 && !e.canonical);
    let id = hashed ? `${b}${e.kind && e.kind !== 'pipeline' ? '-' : '~'}${shortHash(e.key)}` : b;
    // Two identity keys with one 32-bit hash: practically never, but ids must stay unique.
    for (let n = 2; used.has(id); n++) id = `${b}~${shortHash(`${e.key}\u0000${n}`)}`;
    used.add(id);
    ids.set(e.key, id);
  }
  return ids;
}

/** A StepAction's spec is one step (image, script, env, securityContext…) plus params and results. */
function stepActionSpec(o: K8sObject, owner: TaskSpecModel['owner']): TaskSpecModel {
  const spec = obj(o.raw.spec);
  const step = normalizeContainer(spec, 'step', 0, 'spec');
  return {
    ...normalizeTaskSpec({}, owner, ''),
    params: normalizeParamSpecs(spec.params, 'spec.params'),
    steps: [{ ...step, name: step.name.startsWith('unnamed-') ? o.name : step.name }],
    results: normalizeTaskSpec({ results: spec.results }, owner, '').results,
    description: str(spec.description),
  };
}

export function subjectKindOf(o: K8sObject): SubjectKind {
  return o.kind === 'StepAction' ? 'stepaction' : 'task';
}

/** The identity key of a task subject (its kind, namespace, name and file). */
export function taskSubjectKey(o: K8sObject): string {
  return `${o.namespace ?? ''}\u0000${o.kind}:${o.name}\u0000${o.source.relPath ?? o.source.file ?? ''}:${o.source.line ?? 0}`;
}

/** Where a direct TaskRun keeps its own task spec (null: it references a Task, which is a subject itself). */
export function inlineTaskSpecPath(o: K8sObject): 'status.taskSpec' | 'spec.taskSpec' | null {
  if (o.kind !== 'TaskRun') return null;
  if (isObj(obj(o.raw.status).taskSpec)) return 'status.taskSpec';
  return isObj(obj(o.raw.spec).taskSpec) ? 'spec.taskSpec' : null;
}

function specOf(o: K8sObject, owner: TaskSpecModel['owner']): TaskSpecModel {
  if (o.kind === 'StepAction') return stepActionSpec(o, owner);
  const inline = inlineTaskSpecPath(o);
  if (inline === 'status.taskSpec') return normalizeTaskSpec(obj(o.raw.status).taskSpec, owner, inline);
  if (inline === 'spec.taskSpec') return normalizeTaskSpec(obj(o.raw.spec).taskSpec, owner, inline);
  return normalizeTaskSpec(o.raw.spec, owner, 'spec');
}

/** The one pipeline task of a synthetic subject (a Task scored alone, a workload's pod): no refs, params or edges. */
export function lonePipelineTask(name: string, taskSpec: TaskSpecModel | null, specSource: PipelineTaskModel['specSource'], path: string): PipelineTaskModel {
  return {
    name,
    isFinally: false,
    index: 0,
    taskRef: null,
    taskSpec,
    specSource,
    params: [],
    runAfter: [],
    resultRefs: [],
    workspaces: [],
    whenExpressions: [],
    hasMatrix: false,
    isCustomTask: false,
    path,
  };
}

/**
 * A Task, ClusterTask or StepAction as a subject: a pipeline of one task whose spec is the object. A TaskRun
 * that carries its own task spec and no pipeline runs it is one too (its spec would otherwise be scored nowhere).
 */
export function taskSubject(o: K8sObject, id: string, team: string | null): PipelineModel {
  const owner = { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
  const taskSpec = specOf(o, owner);
  const task = lonePipelineTask(o.name, taskSpec, 'task-object', 'spec');
  const spec: PipelineSpecModel = {
    params: [],
    workspaces: [],
    tasks: [task],
    finally: [],
    results: [],
    owner,
    basePath: 'spec',
    description: taskSpec.description,
  };
  const kind = subjectKindOf(o);
  return {
    id,
    namespace: o.namespace ?? '',
    name: o.name,
    identitySource: 'task-object',
    team,
    object: o,
    spec,
    pipelineRefs: [],
    runs: [],
    totalRuns: 0,
    serviceAccounts: [],
    dag: buildDag([task], []),
    credentialReach: [],
    issues: [
      o.kind === 'TaskRun'
        ? 'A TaskRun with its own task spec and no pipeline: the spec is scored on its own by the step, supply-chain and injection checks.'
        : `A ${o.kind} that no pipeline in the scan uses: scored on its own by the step, supply-chain and injection checks.`,
    ],
    subjectKind: kind,
    location: o.source,
  };
}
