/** The recent runs of a pipeline as Chains sees them (SUP-005, SUP-006). */
import { isFinished } from '../../model/chains';
import type { ChainsInfo, ClusterModel, Evidence, PipelineModel, PipelineRunModel, TaskRunModel } from '../../model/types';
import { evidenceAt } from '../util';

export interface RunSubject {
  kind: 'PipelineRun' | 'TaskRun';
  run: PipelineRunModel | TaskRunModel;
  chains: ChainsInfo;
  completionTime: string | null;
  label: string;
}

/** Every recent PipelineRun of the pipeline and its TaskRuns, newest run first. */
export function runSubjects(pipeline: PipelineModel): RunSubject[] {
  const out: RunSubject[] = [];
  for (const pr of pipeline.runs) {
    out.push({ kind: 'PipelineRun', run: pr, chains: pr.chains, completionTime: pr.completionTime, label: `PipelineRun ${pr.name}` });
    for (const tr of pr.taskRuns) {
      out.push({ kind: 'TaskRun', run: tr, chains: tr.chains, completionTime: tr.completionTime, label: `TaskRun ${tr.name}${tr.pipelineTaskName ? ` (task ${tr.pipelineTaskName})` : ''}` });
    }
  }
  return out;
}

export function finishedSubjects(pipeline: PipelineModel): RunSubject[] {
  return runSubjects(pipeline).filter((s) => isFinished(s.run.status));
}

/** Evidence at one Chains annotation of a run (or at its annotations when the key is missing). */
export function annotationEvidence(s: RunSubject, key: string | null, value: string): Evidence {
  return evidenceAt(s.run.object, key ? `metadata.annotations["chains.tekton.dev/${key}"]` : 'metadata.annotations', value);
}

/** Whether Chains runs on this cluster: its config is in sight, or some run carries its annotations/finalizers. */
export function chainsRuns(cluster: ClusterModel): boolean {
  return cluster.platform.chainsObserved || cluster.platform.chainsConfig.object !== null;
}

/** A ConfigMap gap that hides chains-config (namespace tekton-chains, or cluster-wide). */
export function chainsConfigGap(cluster: ClusterModel): boolean {
  return cluster.gaps.some((g) => g.kind === 'ConfigMap' && (g.namespace === null || g.namespace === 'tekton-chains'));
}

export function listLabels(subjects: RunSubject[], max = 4): string {
  const shown = subjects.slice(0, max).map((s) => s.label);
  return subjects.length > max ? `${shown.join(', ')} and ${subjects.length - max} more` : shown.join(', ');
}
