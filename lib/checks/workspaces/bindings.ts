/** Helpers shared by the workspace checks (WSP-001…WSP-004). */
import { computeCredentialReach } from '../../model/reach';
import type { ClusterModel, CredentialReach, PipelineModel, PipelineRunModel, WorkspaceBindingModel } from '../../model/types';
import { allTasks } from '../util';

/** Binding types that carry credentials (read-only Secret-backed volumes). */
export function isCredentialBinding(b: WorkspaceBindingModel): boolean {
  return b.type === 'secret' || (b.type === 'projected' && b.projectedCredentials.some((c) => c.startsWith('secret ')));
}

/** Binding types that are data volumes a task can write to. */
export function isWritableBinding(type: WorkspaceBindingModel['type'] | 'unbound'): boolean {
  return type === 'persistentVolumeClaim' || type === 'volumeClaimTemplate' || type === 'emptyDir' || type === 'csi' || type === 'unknown' || type === 'unbound';
}

/** Every binding of every recent run, with its run. */
export function recentBindings(pipeline: PipelineModel): { run: PipelineRunModel; binding: WorkspaceBindingModel }[] {
  return pipeline.runs.flatMap((run) => run.workspaces.map((binding) => ({ run, binding })));
}

/** The pipeline's credential reach; computed here if the builder left it empty. */
export function reachOf(pipeline: PipelineModel, cluster: ClusterModel): CredentialReach[] {
  if (pipeline.credentialReach.length > 0 || allTasks(pipeline).length === 0) return pipeline.credentialReach;
  return computeCredentialReach(pipeline, cluster, cluster.platform.featureFlags.data['disable-creds-init'] === 'true');
}

/** Tasks that run after `from` (transitively through the DAG); finally tasks run after every non-finally task. */
export function laterTasks(pipeline: PipelineModel, from: string): Set<string> {
  const out = new Set<string>();
  const next = new Map<string, string[]>();
  for (const e of pipeline.dag.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const stack = [from];
  while (stack.length) {
    const n = stack.pop() as string;
    for (const m of next.get(n) ?? []) {
      if (!out.has(m) && m !== from) {
        out.add(m);
        stack.push(m);
      }
    }
  }
  if (!pipeline.dag.finallyNodes.includes(from)) for (const f of pipeline.dag.finallyNodes) out.add(f);
  return out;
}

/** Whether two mounts of one workspace see the same files (same subPath, or one of them mounts the root). */
export function sameFiles(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b || a.includes('$(') || b.includes('$(');
}
