import type { PipelineCheck } from '../types';
import { fail, gapMessage, gapsFor, pass, plural, unknown } from '../util';
import { namespaceEvidence, objectEvidence, forUnspecifiedNamespace } from './guardrail';

export const NSG_003: PipelineCheck = forUnspecifiedNamespace('whether that namespace has a ResourceQuota is not known (none beside it)', true, {
  id: 'NSG-003',
  title: 'Resource quota',
  category: 'namespace',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'Anyone who can start runs can start many: without a ResourceQuota a burst of PipelineRuns (or one run with a huge matrix) can take the ' +
    'nodes\' CPU, memory and storage from every other workload. A quota bounds what the namespace can consume.',
  remediation: [
    'Give the namespace a quota sized for its builds:',
    '```yaml',
    'apiVersion: v1',
    'kind: ResourceQuota',
    'metadata: {name: ci-quota, namespace: ci}',
    'spec:',
    '  hard:',
    '    requests.cpu: "16"',
    '    requests.memory: 32Gi',
    '    limits.memory: 64Gi',
    '    pods: "50"',
    '    persistentvolumeclaims: "20"',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (resource quotas)',
  needs: ['ResourceQuota'],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const gaps = gapsFor(cluster, ['ResourceQuota'], ns);
    if (gaps.length) return unknown(`ResourceQuotas could not be read: ${gapMessage(gaps)}.`);
    const model = cluster.namespaces.get(ns);
    const quotas = model?.resourceQuotas ?? [];
    if (quotas.length > 0) return pass(`Namespace "${ns}" has ${plural(quotas.length, 'ResourceQuota')}.`, quotas.map((q) => objectEvidence(q, 'spec.hard')));
    return fail(`Namespace "${ns}" has no ResourceQuota: runs can consume unbounded cluster resources.`, [
      namespaceEvidence(pipeline, ns, model?.object ?? null, 'no ResourceQuota in the namespace'),
    ]);
  },
});
