import type { PipelineCheck } from '../types';
import type { ClusterModel } from '../../model/types';
import { isObj, obj, objArr, str } from '../../model/access';
import { containerEvidence, evidenceAt, gapMessage, gapsFor } from '../util';
import { eachContainer, collectContainers, summarize, type Finding } from './containers';

const BOUNDED = ['cpu', 'memory'] as const;

/**
 * Which resources a LimitRange in the namespace gives a default limit for (a `type: Container` item with `default`;
 * `max` counts too, because the API server defaults `default` to `max` when only `max` is set).
 */
export function limitRangeDefaults(cluster: ClusterModel, namespace: string): Map<string, string> {
  const covered = new Map<string, string>();
  for (const lr of cluster.namespaces.get(namespace)?.limitRanges ?? []) {
    for (const item of objArr(obj(lr.raw.spec).limits)) {
      if (str(item.type) !== 'Container') continue;
      for (const key of ['default', 'max']) {
        const m = item[key];
        if (!isObj(m)) continue;
        for (const r of BOUNDED) if (m[r] !== undefined && !covered.has(r)) covered.set(r, `LimitRange ${lr.name}`);
      }
    }
  }
  return covered;
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
      const lr = cluster.namespaces.get(pipeline.namespace)?.limitRanges[0];
      if (lr) result.evidence = [evidenceAt({ kind: lr.kind, namespace: lr.namespace, name: lr.name, ...lr.source }, 'spec.limits')];
    }
    return result;
  },
};
