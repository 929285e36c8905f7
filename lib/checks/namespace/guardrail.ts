import type { Evidence, K8sObject, PipelineModel } from '../../model/types';
import { evidenceAt } from '../util';

export function objectEvidence(o: K8sObject, path: string, value?: string): Evidence {
  return evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, path, value);
}

/** Evidence for "the namespace lacks X": the Namespace object when in sight, else the pipeline (or its newest run). */
export function namespaceEvidence(pipeline: PipelineModel, ns: string, namespaceObject: K8sObject | null, value: string): Evidence {
  if (namespaceObject) return objectEvidence(namespaceObject, 'metadata', value);
  const subject = pipeline.object ?? pipeline.runs[0]?.object ?? null;
  if (subject) return objectEvidence(subject, 'metadata.namespace', value);
  return { kind: 'Namespace', namespace: null, name: ns, path: 'metadata', value };
}
