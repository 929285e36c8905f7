/**
 * Pipelines in Pipelines (TEP-0056): a pipeline task with `pipelineSpec` (an inline child pipeline) or
 * `pipelineRef` (a child Pipeline by name, or through a resolver) runs the child's tasks as part of the parent.
 * Its tasks are expanded into the parent's task list so every check scores them:
 *
 * - names: `<parentTask>/<childTask>` (Tekton task names are DNS labels, so `/` cannot clash); `parentTask`
 *   names the task that included them;
 * - DAG: edges inside the child are kept (renamed); the child's roots run after what the parent task runs after
 *   (its `runAfter` and result references); tasks that depend on the parent task depend on the child's leaves
 *   (`linkChildPipelines`); the child's `finally` tasks run after all its other tasks;
 * - workspaces: a child task's workspace is the parent pipeline workspace the parent task binds the child's
 *   workspace to (subPaths joined), so credential reach follows the real binding; an unbound child workspace
 *   stays private to the child (`<parentTask>/<workspace>`);
 * - evidence: paths point into the child's spec, in the object that holds it (`owner`): the parent for an inline
 *   child (`spec.tasks[1].pipelineSpec.tasks[0]…`), the child Pipeline object, or the child PipelineRun's
 *   `status.pipelineSpec`.
 *
 * The child is resolved from the inline spec, a Pipeline object of that name in the namespace, or — for resolver
 * refs — the `status.pipelineSpec` of a child PipelineRun of a recent run (a PipelineRun labelled
 * `tekton.dev/pipelineRun: <parent run>` and `tekton.dev/pipelineTask: <task>`, or owned by the parent run;
 * how upstream labels child PipelineRuns is UNVERIFIED: TEP-0056's reconciler was still in review,
 * tektoncd/pipeline#8879). A child that cannot be resolved, that includes itself, or that nests deeper than
 * `MAX_PIPELINE_NESTING` stays one task with `specSource: 'unresolved'` (checks say unknown) and a pipeline issue.
 * Child params are not substituted: a child task's `$(params.x)` still names the child pipeline's param.
 */
import { asText, isObj, obj, objArr, str, strArr, type Obj } from './access';
import { findResultRefs } from './dag';
import { normalizeParamValues, normalizeRef } from './normalize';
import type { K8sObject, ObjectRef, PipelineTaskModel, RefModel, TaskRunModel } from './types';

export const MAX_PIPELINE_NESTING = 5;

type Owner = ObjectRef & { file?: string; line?: number };

/** What expanding a child pipeline needs to see, one nesting level at a time. */
export interface NestingContext {
  namespace: string;
  /** Pipeline objects by `namespace/name`. */
  pipelines: ReadonlyMap<string, K8sObject>;
  /** The PipelineRuns at this level: the pipeline's recent runs, then child PipelineRuns one level down. */
  runs: K8sObject[];
  /** Child PipelineRuns of a run (by label or owner reference). */
  childPipelineRuns: (run: K8sObject) => K8sObject[];
  /** The TaskRuns of a run, modelled. */
  taskRunsOf: (run: K8sObject) => TaskRunModel[];
  /** `namespace/name` of the Pipeline objects being expanded, outermost first: a repeat is a self-include. */
  stack: string[];
  depth: number;
  /** Problems met (self-include, depth, unresolved child): pipeline issues. */
  issues: string[];
}

/** Normalizes a child spec's `tasks` and `finally` (build.ts's list normalizer, linked). */
export type NormalizeLists = (
  rawSpec: Obj,
  base: { owner: Owner; basePath: string },
  nesting: NestingContext,
  taskRunSpecs: Map<string, TaskRunModel>,
) => { tasks: PipelineTaskModel[]; finally: PipelineTaskModel[] };

/**
 * The top-level pipeline task a (possibly expanded) task belongs to: `taskRunSpecs[].pipelineTaskName` names it.
 * Only expanded tasks carry a `/` (Tekton task names are DNS labels).
 */
export function topLevelTaskName(name: string): string {
  const i = name.indexOf('/');
  return i > 0 ? name.slice(0, i) : name;
}

/**
 * `pipelineSpec`/`pipelineRef` (TEP-0056), or the experimental Pipelines-in-Pipelines custom task
 * (`taskRef: {apiVersion: tekton.dev/…, kind: Pipeline, name}`, tektoncd/experimental), which runs the same way.
 */
export function isChildPipelineTask(t: Obj): boolean {
  return t.pipelineSpec !== undefined || t.pipelineRef !== undefined || isPipelineCustomTask(t);
}

function isPipelineCustomTask(t: Obj): boolean {
  const ref = obj(t.taskRef);
  return t.pipelineRef === undefined && str(ref.kind) === 'Pipeline' && (str(ref.apiVersion) ?? '').startsWith('tekton.dev/');
}

function joinSubPath(outer: string | null, inner: string | null): string | null {
  if (!outer) return inner;
  if (!inner) return outer;
  return `${outer.replace(/\/+$/, '')}/${inner.replace(/^\/+/, '')}`;
}

function ownerOf(o: K8sObject): Owner {
  return { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
}

function refText(ref: RefModel | null): string {
  if (!ref) return 'an inline child pipeline';
  if (ref.resolver) return `a remote pipeline (${ref.resolver} resolver)`;
  if (ref.bundle) return `a pipeline in bundle ${ref.bundle}`;
  return `Pipeline "${ref.name ?? '?'}"`;
}

/** The newest child PipelineRun (of the runs at this level) that ran pipeline task `task`. */
function childRunsFor(ctx: NestingContext, task: string): K8sObject[] {
  return ctx.runs.flatMap((r) => ctx.childPipelineRuns(r)).filter((c) => c.labels['tekton.dev/pipelineTask'] === task);
}

function taskRunSpecsOf(ctx: NestingContext, runs: K8sObject[]): Map<string, TaskRunModel> {
  const out = new Map<string, TaskRunModel>();
  for (const run of runs) {
    for (const tr of ctx.taskRunsOf(run)) {
      if (tr.pipelineTaskName && tr.taskSpec && !out.has(tr.pipelineTaskName)) out.set(tr.pipelineTaskName, tr);
    }
  }
  return out;
}

/**
 * The tasks a child-pipeline task stands for: the child's tasks, renamed and wired into the parent (see the
 * file comment), or one unresolved task when the child is not in sight.
 */
export function expandChildPipeline(
  t: Obj,
  i: number,
  listPath: string,
  isFinally: boolean,
  parentOwner: Owner,
  ctx: NestingContext,
  normalizeLists: NormalizeLists,
): PipelineTaskModel[] {
  const path = `${listPath}[${i}]`;
  const name = str(t.name) ?? `task-${i}`;
  const ref = isObj(t.pipelineSpec) ? null : isPipelineCustomTask(t) ? normalizeRef(t.taskRef, `${path}.taskRef`) : normalizeRef(t.pipelineRef, `${path}.pipelineRef`);
  const params = normalizeParamValues(t.params, `${path}.params`);
  const parentRunAfter = strArr(t.runAfter);
  const parentResultRefs = [
    ...params.flatMap((p) => findResultRefs(p.value, p.path)),
    ...findResultRefs(asText(t.when), `${path}.when`),
    ...findResultRefs(asText(t.matrix), `${path}.matrix`),
  ];
  const mapping = objArr(t.workspaces).map((w) => ({
    name: str(w.name) ?? '',
    workspace: str(w.workspace) ?? str(w.name) ?? '',
    subPath: str(w.subPath),
  }));
  const unresolved = (issue: string): PipelineTaskModel[] => {
    ctx.issues.push(issue);
    return [
      {
        name,
        isFinally,
        index: i,
        taskRef: ref,
        taskSpec: null,
        specSource: 'unresolved',
        params,
        runAfter: parentRunAfter,
        resultRefs: parentResultRefs,
        workspaces: mapping,
        whenExpressions: Array.isArray(t.when) ? t.when : [],
        hasMatrix: t.matrix !== undefined,
        isCustomTask: false,
        path,
        childPipelineRef: ref,
      },
    ];
  };

  if (ctx.depth >= MAX_PIPELINE_NESTING) {
    return unresolved(`Task "${name}" runs ${refText(ref)} nested deeper than ${MAX_PIPELINE_NESTING} pipelines (${path}): it is not expanded and its checks are unknown.`);
  }

  let rawSpec: Obj | null = null;
  let owner: Owner = parentOwner;
  let basePath = `${path}.pipelineSpec`;
  let key: string | null = null;
  if (isObj(t.pipelineSpec)) {
    rawSpec = t.pipelineSpec;
  } else if (ref && !ref.resolver && !ref.bundle && ref.name) {
    key = `${ctx.namespace}/${ref.name}`;
    if (ctx.stack.includes(key)) {
      const cycle = [...ctx.stack.slice(ctx.stack.indexOf(key)), key].map((k) => k.slice(k.indexOf('/') + 1)).join(' → ');
      return unresolved(`Task "${name}" includes Pipeline "${ref.name}", which includes itself (${cycle}). Tekton cannot run this; the task is not expanded and its checks are unknown.`);
    }
    const object = ctx.pipelines.get(key);
    if (object && isObj(object.raw.spec)) {
      rawSpec = object.raw.spec;
      owner = ownerOf(object);
      basePath = 'spec';
    }
  }
  const childRuns = childRunsFor(ctx, name);
  if (!rawSpec) {
    const withSpec = childRuns.find((r) => isObj(obj(r.raw.status).pipelineSpec));
    if (withSpec) {
      rawSpec = obj(withSpec.raw.status).pipelineSpec as Obj;
      owner = ownerOf(withSpec);
      basePath = 'status.pipelineSpec';
    }
  }
  if (!rawSpec) return unresolved(`Task "${name}" runs ${refText(ref)} and no spec of it is in sight: its checks are unknown.`);

  const childCtx: NestingContext = { ...ctx, runs: childRuns, stack: key ? [...ctx.stack, key] : ctx.stack, depth: ctx.depth + 1 };
  const child = normalizeLists(rawSpec, { owner, basePath }, childCtx, taskRunSpecsOf(ctx, childRuns));
  if (child.tasks.length + child.finally.length === 0) return unresolved(`Task "${name}" runs ${refText(ref)}, which has no tasks (${path}).`);

  const prefixed = (n: string) => `${name}/${n}`;
  // A child fetched remotely keeps its reference in sight, for the pinning check (SUP-004).
  const remoteSource = ref && (ref.resolver !== null || ref.bundle !== null) ? [{ task: name, ref, owner: parentOwner }] : [];
  const siblings = new Set([...child.tasks, ...child.finally].map((c) => c.name));
  const rename = (n: string) => (siblings.has(n) ? prefixed(n) : n);
  const mainNames = child.tasks.map((c) => prefixed(c.name));
  const out = [...child.tasks, ...child.finally].map((c): PipelineTaskModel => {
    const childFinally = c.isFinally;
    const runAfter = c.runAfter.map(rename);
    const resultRefs = c.resultRefs.map((r) => ({ ...r, task: rename(r.task) }));
    const isRoot = !childFinally && c.runAfter.every((d) => !siblings.has(d)) && c.resultRefs.every((r) => !siblings.has(r.task));
    return {
      ...c,
      name: prefixed(c.name),
      // The parent decides when the whole child runs: in `finally` or not.
      isFinally,
      runAfter: childFinally ? [...new Set([...runAfter, ...mainNames])] : isRoot ? [...runAfter, ...parentRunAfter] : runAfter,
      resultRefs: isRoot ? [...resultRefs, ...parentResultRefs] : resultRefs,
      workspaces: c.workspaces.map((w) => {
        const m = mapping.find((x) => x.name === w.workspace);
        return { name: w.name, workspace: m ? m.workspace : prefixed(w.workspace), subPath: joinSubPath(m?.subPath ?? null, w.subPath) };
      }),
      parentTask: c.parentTask ? prefixed(c.parentTask) : name,
      owner: c.owner ?? owner,
      includedThrough: [...remoteSource, ...(c.includedThrough ?? []).map((x) => ({ ...x, task: prefixed(x.task) }))],
    };
  });
  return out;
}

/**
 * After a task list is normalized: a task that ran after (or read a result of) an expanded child-pipeline task
 * now runs after that child's leaves — the tasks of the child no other task of the child waits for.
 */
export function linkChildPipelines(tasks: PipelineTaskModel[], finallyTasks: PipelineTaskModel[]): void {
  const all = [...tasks, ...finallyTasks];
  const expanded = new Map<string, string[]>();
  for (const c of all) {
    if (!c.parentTask) continue;
    const top = c.name.slice(0, c.name.indexOf('/'));
    if (top && !expanded.has(top)) expanded.set(top, []);
  }
  if (expanded.size === 0) return;
  for (const [top, leaves] of expanded) {
    const members = all.filter((c) => c.name.startsWith(`${top}/`));
    const memberNames = new Set(members.map((c) => c.name));
    const dependedOn = new Set<string>();
    for (const c of members) {
      for (const d of c.runAfter) if (memberNames.has(d)) dependedOn.add(d);
      for (const r of c.resultRefs) if (memberNames.has(r.task)) dependedOn.add(r.task);
    }
    leaves.push(...members.map((c) => c.name).filter((n) => !dependedOn.has(n)));
  }
  for (const t of all) {
    if (t.runAfter.some((d) => expanded.has(d))) t.runAfter = [...new Set(t.runAfter.flatMap((d) => expanded.get(d) ?? [d]))];
    if (t.resultRefs.some((r) => expanded.has(r.task))) t.resultRefs = t.resultRefs.flatMap((r) => (expanded.get(r.task) ?? [r.task]).map((task) => ({ ...r, task })));
  }
}
