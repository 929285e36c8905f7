import type { CheckResult } from './types';
import type {
  ClusterModel,
  Evidence,
  ObjectRef,
  PipelineModel,
  PipelineTaskModel,
  StepModel,
  TaskSpecModel,
} from '../model/types';

export function pass(message: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'pass', message, evidence };
}
export function fail(message: string, evidence: Evidence[]): CheckResult {
  return { outcome: 'fail', message, evidence };
}
export function warn(message: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'warn', message, evidence };
}
export function unknown(message: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'unknown', message, evidence };
}
export function notApplicable(message: string): CheckResult {
  return { outcome: 'not-applicable', message, evidence: [] };
}

/** Evidence pointing at `path` inside the object `owner` (a TaskSpecModel/PipelineSpecModel owner, a K8sObject…). */
export function evidenceAt(owner: ObjectRef & { file?: string; line?: number }, path: string, value?: string): Evidence {
  const e: Evidence = { kind: owner.kind, namespace: owner.namespace, name: owner.name, path };
  if (value !== undefined) e.value = truncate(value, 200);
  if (owner.file) e.file = owner.file;
  if (owner.line) e.line = owner.line;
  return e;
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Joins a base path and a relative one: joinPath('spec.tasks[0].taskSpec', 'steps[1]') */
export function joinPath(base: string, rel: string): string {
  if (!base) return rel;
  if (!rel) return base;
  return rel.startsWith('[') ? `${base}${rel}` : `${base}.${rel}`;
}

/** Every pipeline task, `finally` included. */
export function allTasks(p: PipelineModel): PipelineTaskModel[] {
  return p.spec ? [...p.spec.tasks, ...p.spec.finally] : [];
}

/** The object a pipeline task's `path` points into: a child Pipeline or child run for expanded child tasks. */
export function taskOwner(p: PipelineModel, t: PipelineTaskModel): ObjectRef & { file?: string; line?: number } {
  return t.owner ?? p.spec?.owner ?? { kind: 'Pipeline', namespace: p.namespace, name: p.name };
}

/** Tasks whose spec could not be resolved (remote refs with no spec in sight, custom tasks excluded). */
export function unresolvedTasks(p: PipelineModel): PipelineTaskModel[] {
  return allTasks(p).filter((t) => t.specSource === 'unresolved' && !t.isCustomTask);
}

/** Every step and sidecar of every resolved task (stepTemplate excluded), with its spec. */
export function allContainers(p: PipelineModel): { task: PipelineTaskModel; spec: TaskSpecModel; container: StepModel }[] {
  const out: { task: PipelineTaskModel; spec: TaskSpecModel; container: StepModel }[] = [];
  for (const task of allTasks(p)) {
    const spec = task.taskSpec;
    if (!spec) continue;
    for (const c of [...spec.steps, ...spec.sidecars]) out.push({ task, spec, container: c });
  }
  return out;
}

/** Evidence for a container of a task spec. */
export function containerEvidence(spec: TaskSpecModel, c: StepModel, field?: string, value?: string): Evidence {
  const p = joinPath(spec.basePath, c.path);
  return evidenceAt(spec.owner, field ? joinPath(p, field) : p, value);
}

/** The data gaps that make a check unknown, by the kinds it needs, for this namespace (or cluster-wide). */
export function gapsFor(cluster: ClusterModel, kinds: string[], namespace: string | null): ClusterModel['gaps'] {
  return cluster.gaps.filter((g) => kinds.includes(g.kind) && (g.namespace === null || namespace === null || g.namespace === namespace));
}

export function gapMessage(gaps: ClusterModel['gaps']): string {
  return gaps.map((g) => `${g.kind}${g.namespace ? ` in ${g.namespace}` : ''}: ${g.reason}${g.message ? ` (${g.message})` : ''}`).join('; ');
}

/** Caps evidence lists so a pipeline with 150 tasks still gives a readable finding. */
export function capEvidence(evidence: Evidence[], max = 25): Evidence[] {
  return evidence.length > max ? evidence.slice(0, max) : evidence;
}

/** "3 steps", "1 step" */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
