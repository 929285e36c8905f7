/**
 * NetworkPolicy evaluation for NSG-002: which egress policies select a pipeline's pods, and whether one of them
 * opens all egress.
 *
 * Pod labels: every TaskRun pod carries `app.kubernetes.io/managed-by: tekton-pipelines` (set by Tekton's
 * defaulting webhook), `tekton.dev/pipeline: <pipeline name>`, `tekton.dev/pipelineTask: <task>`,
 * `tekton.dev/memberOf: tasks|finally`, `tekton.dev/task: <Task name>` for taskRef tasks, and the labels of the
 * Pipeline object and of the recent PipelineRuns (labels propagate to pods). Per-run labels
 * (`tekton.dev/pipelineRun`, `tekton.dev/taskRun`, UIDs) vary from run to run and are not assumed.
 *
 * Selection: an empty `podSelector` selects every pod; `matchLabels` must all match known labels;
 * `matchExpressions` are evaluated when the key is a known label (`In`, `NotIn`, `Exists`, `DoesNotExist`);
 * an expression on an unknown key is treated as not selecting (we cannot show it selects the pods).
 *
 * Egress policy: `policyTypes` includes `Egress`, or no `policyTypes` and an `egress` field.
 * Allows all egress: a rule with neither `to` nor `ports` (e.g. `egress: [{}]`), or a rule whose `to` holds an
 * `ipBlock` of `0.0.0.0/0` or `::/0` without `except` and that has no `ports`.
 */
import { arr, isObj, obj, objArr, str, strArr } from '../../model/access';
import type { K8sObject, PipelineModel } from '../../model/types';
import { allTasks } from '../util';

export function isEgressPolicy(np: K8sObject): boolean {
  const spec = obj(np.raw.spec);
  const types = strArr(spec.policyTypes);
  if (types.length > 0) return types.includes('Egress');
  return spec.egress !== undefined;
}

/** Index of the first rule that allows all egress, or null. */
export function allowsAllEgress(np: K8sObject): number | null {
  const rules = arr(obj(np.raw.spec).egress);
  for (let i = 0; i < rules.length; i++) {
    const r = obj(rules[i]);
    const to = arr(r.to);
    const ports = arr(r.ports);
    if (ports.length > 0) continue;
    if (to.length === 0) return i;
    const open = to.some((peer) => {
      const ip = obj(obj(peer).ipBlock);
      const cidr = str(ip.cidr);
      return (cidr === '0.0.0.0/0' || cidr === '::/0') && arr(ip.except).length === 0;
    });
    if (open) return i;
  }
  return null;
}

/** Whether a label selector selects a pod with these labels (unknown keys in expressions do not select). */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isObj(selector)) return false;
  for (const [k, v] of Object.entries(obj(selector.matchLabels))) {
    if (typeof v !== 'string' || labels[k] !== v) return false;
  }
  for (const e of objArr(selector.matchExpressions)) {
    const key = str(e.key);
    const op = str(e.operator);
    const values = strArr(e.values);
    if (!key || !(key in labels)) return false;
    const have = labels[key];
    if (op === 'In' && !values.includes(have)) return false;
    if (op === 'NotIn' && values.includes(have)) return false;
    if (op === 'DoesNotExist') return false;
    if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') return false;
  }
  return true;
}

/** The labels each pipeline task's pods carry (at least), keyed by task name; `*` when the spec is unknown. */
export function podLabels(pipeline: PipelineModel): Map<string, Record<string, string>> {
  const common: Record<string, string> = {};
  if (pipeline.object) Object.assign(common, pipeline.object.labels);
  for (const run of [...pipeline.runs].reverse()) Object.assign(common, run.object.labels);
  for (const k of Object.keys(common)) {
    if (k === 'tekton.dev/pipelineRun' || k === 'tekton.dev/pipelineRunUID' || k.endsWith('UID')) delete common[k];
  }
  common['app.kubernetes.io/managed-by'] = common['app.kubernetes.io/managed-by'] ?? 'tekton-pipelines';
  common['tekton.dev/pipeline'] = common['tekton.dev/pipeline'] ?? pipeline.name;
  const out = new Map<string, Record<string, string>>();
  const tasks = allTasks(pipeline);
  if (tasks.length === 0) out.set('*', common);
  for (const t of tasks) {
    const labels: Record<string, string> = { ...common, 'tekton.dev/pipelineTask': t.name, 'tekton.dev/memberOf': t.isFinally ? 'finally' : 'tasks' };
    if (t.taskRef?.name && !t.taskRef.resolver && (t.taskRef.kind ?? 'Task') === 'Task') labels['tekton.dev/task'] = t.taskRef.name;
    out.set(t.name, labels);
  }
  return out;
}
