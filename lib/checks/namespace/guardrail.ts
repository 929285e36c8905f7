import type { Evidence, K8sObject, PipelineModel } from '../../model/types';
import { isUnspecifiedNamespace } from '../../model/types';
import type { PipelineCheck } from '../types';
import { evidenceAt, unknown } from '../util';

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

/**
 * Files: a pipeline whose documents set no `metadata.namespace` runs wherever it is applied, so the guardrails of
 * "its" namespace are not known (catalog v1.1: NSG checks are `unknown` for it, and it is not `default`). A
 * guardrail document beside it (same file or folder, or a folder above, also without a namespace) is applied with
 * it, so when `nearbyCanPass` such a document can still make the check pass; nothing nearby never makes it fail.
 */
export function forUnspecifiedNamespace(what: string, nearbyCanPass: boolean, check: PipelineCheck): PipelineCheck {
  return {
    ...check,
    evaluate(ctx) {
      if (!isUnspecifiedNamespace(ctx.pipeline.namespace)) return check.evaluate(ctx);
      if (nearbyCanPass) {
        const r = check.evaluate(ctx);
        if (r.outcome === 'pass') return { ...r, message: `From documents applied with it (no namespace either): ${r.message.replace(/Namespace ""/g, 'the namespace')}` };
      }
      return unknown(
        `The pipeline's namespace is unspecified (its documents set no metadata.namespace): it runs wherever it is applied, so ${what}.`,
      );
    },
  };
}
