import type { PipelineCheck } from '../types';
import { fail, gapMessage, gapsFor, pass, unknown, warn } from '../util';
import { namespaceEvidence, objectEvidence } from './guardrail';
import { containerDefaults } from './limitrange';

export const NSG_004: PipelineCheck = {
  id: 'NSG-004',
  title: 'Default limits',
  category: 'namespace',
  severity: 'low',
  scope: 'pipeline',
  rationale:
    'A LimitRange gives every step that sets no resources a default request and limit, so one runaway build cannot starve its node, ' +
    'and a ResourceQuota on limits can be satisfied by steps that forgot theirs.',
  remediation: [
    'Add default container limits to the namespace:',
    '```yaml',
    'apiVersion: v1',
    'kind: LimitRange',
    'metadata: {name: ci-defaults, namespace: ci}',
    'spec:',
    '  limits:',
    '  - type: Container',
    '    default: {cpu: "2", memory: 2Gi}',
    '    defaultRequest: {cpu: 250m, memory: 256Mi}',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (resource quotas)',
  needs: ['LimitRange'],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const gaps = gapsFor(cluster, ['LimitRange'], ns);
    if (gaps.length) return unknown(`LimitRanges could not be read: ${gapMessage(gaps)}.`);
    const model = cluster.namespaces.get(ns);
    const ranges = model?.limitRanges ?? [];
    if (ranges.length === 0) {
      return fail(`Namespace "${ns}" has no LimitRange: steps without resources run without default limits.`, [
        namespaceEvidence(pipeline, ns, model?.object ?? null, 'no LimitRange in the namespace'),
      ]);
    }
    // Only a `type: Container` item gives a step defaults; Pod and PVC items bound sums and claims (limitrange.ts).
    const defaults = containerDefaults(ranges);
    const itemEvidence = (d: { limitRange: (typeof ranges)[number]; itemIndex: number }) => objectEvidence(d.limitRange, `spec.limits[${d.itemIndex}]`);
    if (defaults.limits.size > 0) {
      const covered = [...defaults.limits.keys()].join(' and ');
      return pass(`Namespace "${ns}" gives containers a default ${covered} limit (LimitRange ${[...new Set([...defaults.limits.values()].map((d) => d.limitRange.name))].join(', ')}).`, [...defaults.limits.values()].map(itemEvidence));
    }
    if (defaults.requests.size > 0) {
      return warn(
        `Namespace "${ns}" has a LimitRange that gives containers default ${[...defaults.requests.keys()].join(' and ')} requests but no default limit: steps that set no limits still run unbounded.`,
        [...defaults.requests.values()].map(itemEvidence),
      );
    }
    return fail(
      `Namespace "${ns}" has ${ranges.length === 1 ? 'a LimitRange' : `${ranges.length} LimitRanges`} (${ranges.map((r) => r.name).join(', ')}) but none gives containers a default cpu or memory limit (no \`type: Container\` item with \`default\` or \`max\`).`,
      ranges.map((r) => objectEvidence(r, 'spec.limits')),
    );
  },
};
