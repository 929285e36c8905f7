import type { PipelineCheck } from '../types';
import type { ClusterModel } from '../../model/types';
import { containerEvidence, evidenceAt, gapMessage, gapsFor } from '../util';
import { BOUNDED_RESOURCES as BOUNDED, containerDefaults } from '../namespace/limitrange';
import { eachContainer, collectContainers, summarize, type Finding } from './containers';

/** Which resources a LimitRange in the namespace gives a default limit for (the rule NSG-004 reads too). */
export function limitRangeDefaults(cluster: ClusterModel, namespace: string): Map<string, string> {
  const { limits } = containerDefaults(cluster.namespaces.get(namespace)?.limitRanges ?? []);
  return new Map([...limits].map(([r, d]) => [r, `LimitRange ${d.limitRange.name}`]));
}

export const STP_006: PipelineCheck = {
  id: 'STP-006',
  title: 'Bounded resources',
  category: 'steps',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'A step without CPU and memory limits can take a whole node — by accident (a runaway test) or on purpose (a miner in a dependency) — and starve other builds and workloads. ' +
    'Limits on the step, the task\'s `stepTemplate`, or a LimitRange default in the namespace bound what one run can consume.',
  remediation: [
    'Give every step limits, once in `stepTemplate`, or give the namespace default limits with a LimitRange:',
    '```yaml',
    'spec:',
    '  stepTemplate:',
    '    computeResources:',
    '      requests: {cpu: 500m, memory: 512Mi}',
    '      limits: {cpu: "2", memory: 2Gi}',
    '---',
    'apiVersion: v1',
    'kind: LimitRange',
    'metadata: {name: step-defaults, namespace: ci}',
    'spec:',
    '  limits:',
    '  - type: Container',
    '    default: {cpu: "2", memory: 2Gi}',
    '    defaultRequest: {cpu: 250m, memory: 256Mi}',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 (resources); tekton-security-guide (Resource Quotas)',
  // Task/StepAction/LimitRange gaps are handled inside: they leave specs unresolved (→ unknown), never a false pass.
  needs: [],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const defaults = limitRangeDefaults(cluster, pipeline.namespace);
    const gaps = gapsFor(cluster, ['LimitRange'], pipeline.namespace);
    const failures: Finding[] = [];
    const unknowns: Finding[] = [];
    for (const ci of pc.containers) {
      const own = ci.container.resources?.limits ?? {};
      const tpl = ci.container.role === 'step' ? (ci.spec.stepTemplate?.resources?.limits ?? {}) : {};
      const missing = BOUNDED.filter((r) => own[r] === undefined && tpl[r] === undefined);
      if (missing.length === 0) continue;
      const uncovered = missing.filter((r) => !defaults.has(r));
      if (uncovered.length === 0) continue;
      const what = uncovered.length === 2 ? 'no cpu or memory limit' : `no ${uncovered[0]} limit`;
      const ev = containerEvidence(ci.spec, ci.container, 'computeResources.limits', `(no ${uncovered.join(', ')})`);
      if (gaps.length > 0) {
        unknowns.push({ label: ci.label, note: `${what}, and LimitRanges in ${pipeline.namespace} could not be read (${gapMessage(gaps)})`, evidence: [ev] });
      } else {
        failures.push({ label: ci.label, note: `${what}, and no LimitRange in namespace ${pipeline.namespace} gives a default`, evidence: [ev] });
      }
    }
    const lrNote = defaults.size > 0 ? ` (LimitRange defaults cover ${[...defaults.keys()].join(' and ')})` : '';
    const result = summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      unknowns,
      failVerb: ['has unbounded cpu or memory', 'have unbounded cpu or memory'],
      passMessage: `${eachContainer(pc.containers.length)} has cpu and memory limits${lrNote}.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
    if (result.outcome === 'pass' && defaults.size > 0) {
      // The item that gives the defaults, not merely the first LimitRange (which may bound only PVCs).
      const given = [...containerDefaults(cluster.namespaces.get(pipeline.namespace)?.limitRanges ?? []).limits.values()][0];
      if (given) {
        const lr = given.limitRange;
        result.evidence = [evidenceAt({ kind: lr.kind, namespace: lr.namespace, name: lr.name, ...lr.source }, `spec.limits[${given.itemIndex}]`)];
      }
    }
    return result;
  },
};
