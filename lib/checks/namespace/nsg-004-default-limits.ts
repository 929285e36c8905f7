import type { PipelineCheck } from '../types';
import { fail, gapMessage, gapsFor, pass, plural, unknown } from '../util';
import { namespaceEvidence, objectEvidence, forUnspecifiedNamespace } from './guardrail';

export const NSG_004: PipelineCheck = forUnspecifiedNamespace('whether that namespace has a LimitRange is not known (none beside it)', true, {
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
    if (ranges.length > 0) return pass(`Namespace "${ns}" has ${plural(ranges.length, 'LimitRange')}.`, ranges.map((r) => objectEvidence(r, 'spec.limits')));
    return fail(`Namespace "${ns}" has no LimitRange: steps without resources run without default limits.`, [
      namespaceEvidence(pipeline, ns, model?.object ?? null, 'no LimitRange in the namespace'),
    ]);
  },
});
