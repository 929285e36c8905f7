/**
 * Helpers shared by the step and pod hardening checks (STP-*) and the image checks (SUP-001…SUP-004):
 * every container a pipeline's pods run, with StepActions resolved, stepTemplate and pod-template settings
 * merged the way Tekton merges them, and a uniform way to turn per-container verdicts into one result.
 *
 * Merging rules (Tekton v1):
 * - a step's `ref` StepAction supplies image, command, args, script, env and volumeMounts; its
 *   `securityContext`, when set, replaces the step's;
 * - `stepTemplate` applies to steps only (not sidecars), field by field: a step's own field wins; lists such as
 *   `capabilities.drop` are replaced, not merged; a step without `image` takes the template's;
 * - the pod `securityContext` of a run comes from `taskRunSpecs[task].podTemplate`, else the run's
 *   `taskRunTemplate.podTemplate`, else config-defaults `default-pod-template` (whole-struct replacement, as
 *   Tekton's MergePodTemplateWithDefault); it only supplies runAsNonRoot, runAsUser and seccompProfile —
 *   never allowPrivilegeEscalation, capabilities, readOnlyRootFilesystem or privileged.
 */
import yaml from 'js-yaml';
import { isObj, obj } from '../../model/access';
import { normalizeContainer, normalizeParamSpecs, normalizePodTemplate } from '../../model/normalize';
import { hasSubstitution, paramName, resolveInTask, type Resolution } from '../supply-chain/images';
import type {
  ClusterModel,
  Evidence,
  K8sObject,
  PipelineModel,
  PipelineRunModel,
  PipelineTaskModel,
  PodSecurityContextModel,
  PodTemplateModel,
  RefModel,
  SecurityContextModel,
  StepModel,
  TaskSpecModel,
} from '../../model/types';
import { topLevelTaskName } from '../../model/child-pipelines';
import type { CheckResult } from '../types';
import {
  allTasks,
  capEvidence,
  containerEvidence,
  evidenceAt,
  fail,
  gapMessage,
  gapsFor,
  joinPath,
  notApplicable,
  pass,
  plural,
  unknown,
  unresolvedTasks,
  warn,
} from '../util';

/** A step or sidecar as its pod runs it. */
export interface ContainerInfo {
  task: PipelineTaskModel;
  spec: TaskSpecModel;
  /** The container as written in the task. */
  container: StepModel;
  /** The StepAction that defines the step (`ref`), normalized, with its object. */
  stepAction: { object: K8sObject; step: StepModel } | null;
  /** `task "build", step "compile"` */
  label: string;
  /** The image the container runs (StepAction's, the step's, or the stepTemplate's); null when none. */
  image: string | null;
  /** Evidence pointing at where that image is written. */
  imageEvidence: Evidence;
}

export interface UnresolvedStep {
  task: PipelineTaskModel;
  spec: TaskSpecModel;
  container: StepModel;
  reason: string;
}

export interface PipelineContainers {
  containers: ContainerInfo[];
  /** Steps whose StepAction is not in sight (remote resolver, or not loaded). */
  unresolvedSteps: UnresolvedStep[];
  /** Pipeline tasks whose spec is not in sight. */
  unresolvedTasks: PipelineTaskModel[];
  /** True when the pipeline's own spec is not in sight. */
  specMissing: boolean;
}

export function containerLabel(task: PipelineTaskModel, c: StepModel): string {
  return `task "${task.name}", ${c.role === 'sidecar' ? 'sidecar' : 'step'} "${c.name}"`;
}

function stepActionEvidence(o: K8sObject, field?: string, value?: string): Evidence {
  return evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, field ? `spec.${field}` : 'spec', value);
}

/** Looks a StepAction ref up in the cluster (in-cluster refs only; resolver refs are remote). */
export function findStepAction(cluster: ClusterModel, namespace: string, ref: RefModel): K8sObject | null {
  if (ref.resolver !== null || ref.name === null) return null;
  return cluster.stepActions.get(`${namespace}/${ref.name}`) ?? null;
}

// Sixteen checks ask for the same subject's containers under the same view: resolved once per (subject, view).
// Callers only read the result; nothing may mutate it.
const containersMemo = new WeakMap<PipelineModel, WeakMap<ClusterModel, PipelineContainers>>();

/** Every container of every resolved task of the pipeline, StepActions resolved where they are in sight. */
export function collectContainers(pipeline: PipelineModel, cluster: ClusterModel): PipelineContainers {
  let byView = containersMemo.get(pipeline);
  if (!byView) containersMemo.set(pipeline, (byView = new WeakMap()));
  let hit = byView.get(cluster);
  if (!hit) byView.set(cluster, (hit = resolveContainers(pipeline, cluster)));
  return hit;
}

function resolveContainers(pipeline: PipelineModel, cluster: ClusterModel): PipelineContainers {
  const out: PipelineContainers = { containers: [], unresolvedSteps: [], unresolvedTasks: unresolvedTasks(pipeline), specMissing: pipeline.spec === null };
  for (const task of allTasks(pipeline)) {
    const spec = task.taskSpec;
    if (!spec) continue;
    for (const c of [...spec.steps, ...spec.sidecars]) {
      const label = containerLabel(task, c);
      if (c.role === 'step' && c.ref) {
        const o = findStepAction(cluster, pipeline.namespace, c.ref);
        if (!o) {
          const what = c.ref.resolver ? `a StepAction fetched by the ${c.ref.resolver} resolver` : `StepAction "${c.ref.name ?? '?'}", which is not in sight`;
          out.unresolvedSteps.push({ task, spec, container: c, reason: `${label} uses ${what}` });
          continue;
        }
        const step = normalizeContainer(o.raw.spec, 'step', c.index, 'spec');
        const image = step.image;
        out.containers.push({
          task,
          spec,
          container: c,
          stepAction: { object: o, step },
          label: `${label} (StepAction ${o.name})`,
          image,
          imageEvidence: stepActionEvidence(o, 'image', image ?? undefined),
        });
        continue;
      }
      let image = c.image;
      let imageEvidence = containerEvidence(spec, c, 'image', c.image ?? undefined);
      if (image === null && c.role === 'step' && spec.stepTemplate?.image) {
        image = spec.stepTemplate.image;
        imageEvidence = evidenceAt(spec.owner, joinPath(spec.basePath, 'stepTemplate.image'), image);
      }
      out.containers.push({ task, spec, container: c, stepAction: null, label, image, imageEvidence });
    }
  }
  return out;
}

// ------------------------------------------------------------------ container-level security context

export type ContainerField = 'runAsNonRoot' | 'runAsUser' | 'allowPrivilegeEscalation' | 'privileged' | 'readOnlyRootFilesystem' | 'seccompProfileType';
export type Level = 'container' | 'stepAction' | 'stepTemplate' | 'podTemplate' | 'defaultPodTemplate';

export interface Setting<T> {
  value: T;
  level: Level;
  evidence: Evidence;
}

const FIELD_PATH: Record<ContainerField, string> = {
  runAsNonRoot: 'securityContext.runAsNonRoot',
  runAsUser: 'securityContext.runAsUser',
  allowPrivilegeEscalation: 'securityContext.allowPrivilegeEscalation',
  privileged: 'securityContext.privileged',
  readOnlyRootFilesystem: 'securityContext.readOnlyRootFilesystem',
  seccompProfileType: 'securityContext.seccompProfile.type',
};

/** The securityContext that the container itself carries (its StepAction's when that sets one), with its evidence maker. */
function ownContext(ci: ContainerInfo): { sc: SecurityContextModel | null; level: Level; at: (path: string, value?: string) => Evidence } {
  if (ci.stepAction && ci.stepAction.step.securityContext) {
    const o = ci.stepAction.object;
    return { sc: ci.stepAction.step.securityContext, level: 'stepAction', at: (p, v) => stepActionEvidence(o, p, v) };
  }
  return { sc: ci.container.securityContext, level: 'container', at: (p, v) => containerEvidence(ci.spec, ci.container, p, v) };
}

function templateContext(ci: ContainerInfo): { sc: SecurityContextModel | null; at: (path: string, value?: string) => Evidence } {
  const t = ci.container.role === 'step' ? ci.spec.stepTemplate : null;
  return { sc: t?.securityContext ?? null, at: (p, v) => evidenceAt(ci.spec.owner, joinPath(joinPath(ci.spec.basePath, 'stepTemplate'), p), v) };
}

/** A container-level field after StepAction and stepTemplate merging (pod level not included). */
export function containerSetting<K extends ContainerField>(ci: ContainerInfo, field: K): Setting<NonNullable<SecurityContextModel[K]>> | null {
  const own = ownContext(ci);
  const v = own.sc?.[field];
  if (v !== undefined && v !== null) return { value: v as NonNullable<SecurityContextModel[K]>, level: own.level, evidence: own.at(FIELD_PATH[field], String(v)) };
  const tpl = templateContext(ci);
  const tv = tpl.sc?.[field];
  if (tv !== undefined && tv !== null) return { value: tv as NonNullable<SecurityContextModel[K]>, level: 'stepTemplate', evidence: tpl.at(FIELD_PATH[field], String(tv)) };
  return null;
}

/** Effective `capabilities.add` / `capabilities.drop` (a container's non-empty list replaces the stepTemplate's). */
export function containerCapabilities(ci: ContainerInfo, which: 'add' | 'drop'): { values: string[]; evidence: Evidence; level: Level } {
  const key = which === 'add' ? 'capabilitiesAdd' : 'capabilitiesDrop';
  const own = ownContext(ci);
  const ov = own.sc?.[key] ?? [];
  if (ov.length > 0) return { values: ov, level: own.level, evidence: own.at(`securityContext.capabilities.${which}`, JSON.stringify(ov)) };
  const tpl = templateContext(ci);
  const tv = tpl.sc?.[key] ?? [];
  if (tv.length > 0) return { values: tv, level: 'stepTemplate', evidence: tpl.at(`securityContext.capabilities.${which}`, JSON.stringify(tv)) };
  return { values: [], level: own.level, evidence: own.at('securityContext', '(not set)') };
}

/** Evidence for "the container does not set this": its securityContext (or the StepAction's spec). */
export function missingEvidence(ci: ContainerInfo, field: ContainerField | string): Evidence {
  const path = field in FIELD_PATH ? FIELD_PATH[field as ContainerField] : field;
  if (ci.stepAction) return stepActionEvidence(ci.stepAction.object, path, '(not set)');
  return containerEvidence(ci.spec, ci.container, path, '(not set)');
}

// ------------------------------------------------------------------ pod-level context

/** One way the task's pod is created: a recent run (with its pod securityContext), or — with no runs — the defaults. */
export interface PodContext {
  run: PipelineRunModel | null;
  securityContext: PodSecurityContextModel | null;
  /** Where that pod securityContext is written; null when there is none. */
  evidence: Evidence | null;
  level: Level;
}

/** config-defaults `default-pod-template`, parsed (null when absent or unreadable). */
export function defaultPodTemplate(cluster: ClusterModel): { template: PodTemplateModel; evidence: Evidence } | null {
  const cm = cluster.platform.configDefaults;
  const text = cm.data['default-pod-template'];
  if (!text || !cm.object || text.length > 100_000) return null;
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { json: true });
  } catch {
    return null;
  }
  if (!isObj(parsed)) return null;
  const template = normalizePodTemplate(parsed, 'data.default-pod-template');
  if (!template) return null;
  const o = cm.object;
  return { template, evidence: evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, 'data.default-pod-template') };
}

/** The pod-level security contexts the task's pods ran (or would run) with: one per recent run, or one default context. */
export function podContexts(pipeline: PipelineModel, cluster: ClusterModel, taskName: string): PodContext[] {
  const def = defaultPodTemplate(cluster);
  const defaultCtx = (run: PipelineRunModel | null): PodContext =>
    def?.template.securityContext
      ? { run, securityContext: def.template.securityContext, evidence: evidenceAt(def.evidence, 'data.default-pod-template', 'securityContext'), level: 'defaultPodTemplate' }
      : { run, securityContext: null, evidence: null, level: 'podTemplate' };
  if (pipeline.runs.length === 0) return [defaultCtx(null)];
  return pipeline.runs.map((run) => {
    // Tasks expanded from a child pipeline take the taskRunSpecs entry of their top-level task.
    const trs = run.taskRunSpecs.find((s) => s.pipelineTaskName === taskName) ?? run.taskRunSpecs.find((s) => s.pipelineTaskName === topLevelTaskName(taskName));
    if (trs?.podTemplate?.securityContext) {
      return { run, securityContext: trs.podTemplate.securityContext, evidence: evidenceAt(run.object, joinPath(trs.podTemplate.path, 'securityContext')), level: 'podTemplate' };
    }
    if (run.podTemplate?.securityContext) {
      return { run, securityContext: run.podTemplate.securityContext, evidence: evidenceAt(run.object, joinPath(run.podTemplate.path, 'securityContext')), level: 'podTemplate' };
    }
    return defaultCtx(run);
  });
}

/** Every pod template a recent run used (run-level and per-task), plus the cluster default, for host-access checks. */
export function allPodTemplates(pipeline: PipelineModel, cluster: ClusterModel): { template: PodTemplateModel; evidence: (path: string, value?: string) => Evidence; label: string }[] {
  const out: { template: PodTemplateModel; evidence: (path: string, value?: string) => Evidence; label: string }[] = [];
  for (const run of pipeline.runs) {
    if (run.podTemplate) {
      const t = run.podTemplate;
      out.push({ template: t, label: `run ${run.name}`, evidence: (p, v) => evidenceAt(run.object, joinPath(t.path, p), v) });
    }
    for (const s of run.taskRunSpecs) {
      if (!s.podTemplate) continue;
      const t = s.podTemplate;
      out.push({ template: t, label: `run ${run.name} (task ${s.pipelineTaskName})`, evidence: (p, v) => evidenceAt(run.object, joinPath(t.path, p), v) });
    }
  }
  const def = defaultPodTemplate(cluster);
  if (def) out.push({ template: def.template, label: 'config-defaults default-pod-template', evidence: (p, v) => evidenceAt(def.evidence, `data.default-pod-template (${p})`, v) });
  return out;
}

// ------------------------------------------------------------------ raw access (fields the model does not keep)

/** Reads the value at a JSON-ish path (`spec.tasks[0].taskSpec.steps[1]`) of a raw object; undefined when absent. */
export function rawAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (part === '') continue;
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) cur = obj(cur)[m[1]];
    for (const idx of m[2].match(/\d+/g) ?? []) {
      cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

type ObjectKey = { kind: string; namespace: string | null; name: string };
const objectKey = (x: ObjectKey) => `${x.kind}\u0000${x.namespace ?? '\u0001'}\u0000${x.name}`;
/** The cluster's objects by kind, namespace and name, in their order; built once per object list (views share it). */
const objectsByKey = new WeakMap<readonly K8sObject[], Map<string, K8sObject[]>>();

function sameNamed(cluster: ClusterModel, o: ObjectKey): K8sObject[] {
  let index = objectsByKey.get(cluster.objects);
  if (!index) {
    index = new Map();
    for (const x of cluster.objects) {
      const k = objectKey(x);
      const list = index.get(k);
      if (list) list.push(x);
      else index.set(k, [x]);
    }
    objectsByKey.set(cluster.objects, index);
  }
  return index.get(objectKey(o)) ?? [];
}

/** The raw container object (for fields the model does not keep, such as `ports`); null when not found. */
export function rawContainer(cluster: ClusterModel, ci: ContainerInfo): Record<string, unknown> | null {
  const o = ci.spec.owner;
  // Same-named objects of different files are distinct: match the owner's file and line too when it has them.
  // An index, not a scan of every object per container: the scan made STP-007 quadratic in the cluster's size.
  const candidates = sameNamed(cluster, o);
  const obj0 = candidates.find((x) => x.source.file === o.file && x.source.line === o.line) ?? candidates[0];
  if (!obj0) return null;
  const v = rawAt(obj0.raw, joinPath(ci.spec.basePath, ci.container.path));
  return isObj(v) ? v : null;
}

// ------------------------------------------------------------------ results

export interface Finding {
  label: string;
  /** What is wrong (or, for warn/unknown, what is uncertain), a short phrase. */
  note: string;
  evidence: Evidence[];
}

/**
 * The containers whose boolean security-context field is not explicitly `wanted` (STP-002, STP-004): set the other
 * way (on the container or its stepTemplate), or left unset, which Kubernetes reads as the unsafe default.
 */
export function booleanSettingFailures(
  pc: PipelineContainers,
  field: 'allowPrivilegeEscalation' | 'readOnlyRootFilesystem',
  wanted: boolean,
  unsetNote: string,
): Finding[] {
  const failures: Finding[] = [];
  for (const ci of pc.containers) {
    const s = containerSetting(ci, field);
    if (s?.value === wanted) continue;
    failures.push(
      s
        ? { label: ci.label, note: `sets ${field}: ${String(!wanted)}${s.level === 'stepTemplate' ? ' (from stepTemplate)' : ''}`, evidence: [s.evidence] }
        : { label: ci.label, note: unsetNote, evidence: [missingEvidence(ci, field)] },
    );
  }
  return failures;
}

/** Why some containers could not be evaluated (unresolved tasks, StepActions, the pipeline spec), or null. */
export function unresolvedNote(pc: PipelineContainers, cluster: ClusterModel, namespace: string): { note: string; evidence: Evidence[] } | null {
  const parts: string[] = [];
  const evidence: Evidence[] = [];
  if (pc.specMissing) parts.push("the pipeline's spec is not in sight (no Pipeline object and no run status)");
  if (pc.unresolvedTasks.length > 0) {
    parts.push(`the spec of ${plural(pc.unresolvedTasks.length, 'task')} is not in sight (${pc.unresolvedTasks.map((t) => `"${t.name}"`).slice(0, 8).join(', ')})`);
  }
  for (const u of pc.unresolvedSteps) {
    parts.push(u.reason);
    evidence.push(containerEvidence(u.spec, u.container, 'ref', u.container.ref?.name ?? u.container.ref?.resolver ?? undefined));
  }
  if (parts.length === 0) return null;
  const gaps = gapsFor(cluster, ['Task', 'ClusterTask', 'StepAction'], namespace);
  const gapText = gaps.length > 0 ? ` Data missing: ${gapMessage(gaps)}.` : '';
  return { note: `${parts.slice(0, 10).join('; ')}.${gapText}`, evidence };
}

function verb(v: string | [string, string], n: number): string {
  if (typeof v === 'string') return v;
  return n === 1 ? v[0] : v[1];
}

/** "The one step or sidecar" / "Each of the 3 steps and sidecars" (takes a singular verb). */
export function eachContainer(n: number, one = 'step or sidecar', many = 'steps and sidecars'): string {
  return n === 1 ? `The one ${one}` : `Each of the ${n} ${many}`;
}

function listNotes(fs: Finding[], max = 5): string {
  const shown = fs.slice(0, max).map((f) => `${f.label}: ${f.note}`);
  const more = fs.length > max ? `; and ${fs.length - max} more` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Turns per-container findings into one result: `fail` when anything resolved fails; otherwise `unknown` when some
 * containers could not be evaluated (or a finding is itself unknown); `warn` when only warnings remain; `pass` when
 * containers were checked; `not-applicable` when there was nothing to check.
 */
export function summarize(opts: {
  pipeline: PipelineModel;
  cluster: ClusterModel;
  pc: PipelineContainers;
  checked: number;
  failures: Finding[];
  warnings?: Finding[];
  unknowns?: Finding[];
  /** Predicate after "N of M containers": singular and plural (['is privileged', 'are privileged']), or one form for both. */
  failVerb: string | [string, string];
  warnVerb?: string | [string, string];
  passMessage: string;
  naMessage?: string;
  unit?: [string, string];
}): CheckResult {
  const { pipeline, cluster, pc, checked, failures } = opts;
  const warnings = opts.warnings ?? [];
  const unknowns = opts.unknowns ?? [];
  const [one, many] = opts.unit ?? ['container', 'containers'];
  const unres = unresolvedNote(pc, cluster, pipeline.namespace);
  if (failures.length > 0) {
    const tail = unres ? ` Not evaluated: ${unres.note}` : '';
    return fail(
      `${failures.length} of ${plural(checked, one, many)} ${verb(opts.failVerb, failures.length)} — ${listNotes(failures)}.${tail}`,
      capEvidence(failures.flatMap((f) => f.evidence)),
    );
  }
  if (unres || unknowns.length > 0) {
    const parts = [unres?.note, unknowns.length > 0 ? `${listNotes(unknowns)}.` : undefined].filter(Boolean);
    const ok = checked - unknowns.length - warnings.length;
    const okText = ok > 0 ? `${plural(ok, one, many)} checked ${ok === 1 ? 'passes' : 'pass'}; ` : '';
    return unknown(`${okText ? `${okText}cannot tell for the rest:` : 'Cannot tell:'} ${parts.join(' ')}`, capEvidence([...(unres?.evidence ?? []), ...unknowns.flatMap((u) => u.evidence), ...warnings.flatMap((w) => w.evidence)]));
  }
  if (warnings.length > 0) {
    return warn(`${warnings.length} of ${plural(checked, one, many)} ${verb(opts.warnVerb ?? opts.failVerb, warnings.length)} — ${listNotes(warnings)}.`, capEvidence(warnings.flatMap((w) => w.evidence)));
  }
  if (checked === 0) return notApplicable(opts.naMessage ?? `The pipeline runs no ${many}.`);
  return pass(opts.passMessage);
}

// ------------------------------------------------------------------ images

/** The concrete images a container runs: its image, with `$(params.…)` resolved per recent run (or from defaults). */
export function containerImages(ci: ContainerInfo, pipeline: PipelineModel): Resolution {
  if (!ci.image) return { raw: '', candidates: [], unresolved: null };
  // A StepAction's `$(params.x)` refers to the StepAction's own params, which the step sets; not resolved here.
  if (ci.stepAction && hasSubstitution(ci.image)) {
    const own = resolveStepActionImage(ci);
    if (own) return own;
  }
  return resolveInTask(ci.image, pipeline, ci.task, ci.spec);
}

/** StepAction images that use the StepAction's params: the step's `params` are not modelled, so only defaults count. */
function resolveStepActionImage(ci: ContainerInfo): Resolution | null {
  const sa = ci.stepAction;
  if (!sa || !ci.image) return null;
  const params = normalizeParamSpecs(obj(sa.object.raw.spec).params, 'spec.params');
  let failed: string | null = null;
  const value = ci.image.replace(/\$\(([^()]*)\)/g, (whole, expr: string) => {
    const n = paramName(expr);
    const d = n === null ? undefined : params.find((p) => p.name === n)?.default;
    if (typeof d === 'string' && !hasSubstitution(d)) return d;
    failed ??= whole;
    return whole;
  });
  if (failed) return { raw: ci.image, candidates: [], unresolved: `${failed} is a StepAction param whose value the step sets (not resolved)` };
  return { raw: ci.image, candidates: [{ value, via: `StepAction ${sa.object.name} param defaults` }], unresolved: null };
}

/** Evidence value for an image: `raw` or `raw → resolved`. */
export function imageValue(raw: string, value: string): string {
  return raw === value ? raw : `${raw} → ${value}`;
}
