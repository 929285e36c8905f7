/**
 * Evidence as the finding view lists it: consecutive entries about the same object (kind, namespace, name and
 * file) share one heading, so a check that fails in 25 tasks of one Pipeline names the Pipeline once and lists
 * the 25 paths under it — easier to read, and a fraction of the page weight on big pipelines.
 */
import type { Evidence, ObjectRef } from '../model/types';

export interface EvidenceGroup {
  object: ObjectRef;
  file?: string;
  items: Pick<Evidence, 'path' | 'value' | 'line'>[];
}

export function groupEvidence(evidence: readonly Evidence[]): EvidenceGroup[] {
  const groups: EvidenceGroup[] = [];
  for (const e of evidence) {
    const last = groups[groups.length - 1];
    const same = last && last.object.kind === e.kind && last.object.namespace === e.namespace && last.object.name === e.name && last.file === e.file;
    const item = { path: e.path, value: e.value, line: e.line };
    if (same) last.items.push(item);
    else groups.push({ object: { kind: e.kind, namespace: e.namespace, name: e.name }, file: e.file, items: [item] });
  }
  return groups;
}
