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
 * Allows all egress: a rule to anywhere (no `to`, an empty `to`, or an `ipBlock` of `0.0.0.0/0` or `::/0` without
 * `except`) on every port. "Every port" is no `ports`, or ports that leave TCP or UDP wide open: an entry without
 * `port` opens every port of its protocol (TCP when none is named), and numeric ranges (`port` … `endPort`) that
 * together cover 1–65535 do too. The rules to anywhere of one policy are read together, since their ports add up.
 * A rule to anywhere on a few ports (443, 53) is kept as restricted: the destinations are open but the channel is
 * narrow, and that is the common shape of "allow HTTPS out".
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

const MAX_PORT = 65535;
const WIDE_PROTOCOLS = ['TCP', 'UDP'];

function toAnywhere(rule: Record<string, unknown>): boolean {
  const to = arr(rule.to);
  if (to.length === 0) return true;
  return to.some((peer) => {
    const ip = obj(obj(peer).ipBlock);
    const cidr = (str(ip.cidr) ?? '').trim();
    return (cidr === '0.0.0.0/0' || cidr === '::/0') && arr(ip.except).length === 0;
  });
}

/** Port ranges a rule opens, per protocol; `all` when the rule lists no ports. Named ports are one port each. */
function openedRanges(rule: Record<string, unknown>): Map<string, [number, number][]> | 'all' {
  const ports = arr(rule.ports);
  if (ports.length === 0) return 'all';
  const out = new Map<string, [number, number][]>();
  for (const p of ports) {
    if (!isObj(p)) continue; // malformed: not a port entry
    const entry = p;
    const protocol = (str(entry.protocol) || 'TCP').toUpperCase();
    const port = entry.port;
    let range: [number, number] | null = null;
    if (port === undefined || port === null) range = [1, MAX_PORT];
    else if (typeof port === 'number' && Number.isInteger(port)) {
      const end = typeof entry.endPort === 'number' && Number.isInteger(entry.endPort) && entry.endPort >= port ? entry.endPort : port;
      range = [port, end];
    }
    if (range) out.set(protocol, [...(out.get(protocol) ?? []), range]);
  }
  return out;
}

function coversEveryPort(ranges: [number, number][]): boolean {
  let reached = 0; // every port up to `reached` is open
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (from > reached + 1) return false;
    reached = Math.max(reached, to);
    if (reached >= MAX_PORT) return true;
  }
  return false;
}

/** Index of the rule that (alone, or with the policy's earlier rules to anywhere) opens all egress, or null. */
export function allowsAllEgress(np: K8sObject): number | null {
  const rules = arr(obj(np.raw.spec).egress);
  const byProtocol = new Map<string, [number, number][]>();
  for (let i = 0; i < rules.length; i++) {
    const rule = obj(rules[i]);
    if (!toAnywhere(rule)) continue;
    const opened = openedRanges(rule);
    if (opened === 'all') return i;
    if (opened.size === 0) continue;
    for (const [protocol, ranges] of opened) byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), ...ranges]);
    if (WIDE_PROTOCOLS.some((p) => coversEveryPort(byProtocol.get(p) ?? []))) return i;
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
