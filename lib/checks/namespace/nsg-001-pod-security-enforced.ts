import type { PipelineCheck } from '../types';
import { forUnspecifiedNamespace } from './guardrail';
import { evidenceAt, fail, gapMessage, gapsFor, pass, unknown, warn } from '../util';

const LABEL = 'pod-security.kubernetes.io/enforce';

export const NSG_001: PipelineCheck = forUnspecifiedNamespace('the Pod Security labels of that namespace are not known', false, {
  id: 'NSG-001',
  title: 'Pod Security enforced',
  category: 'namespace',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Pod Security admission is the backstop when a Task forgets its securityContext: with `restricted` enforced, the API server refuses privileged, ' +
    'root or host-mounting step pods, whoever wrote the Task. `baseline` still lets steps run as root with most capabilities.',
  remediation: [
    'Label the namespace the runs execute in:',
    '```yaml',
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    '  name: ci',
    '  labels:',
    '    pod-security.kubernetes.io/enforce: restricted',
    '    pod-security.kubernetes.io/warn: restricted',
    '```',
    'Fix the steps first (STP-001…STP-004): under `restricted`, non-compliant step pods are rejected.',
  ].join('\n'),
  source: 'tekton-security-guide (Pod Security); tekton-chains-provenance section 7',
  needs: ['Namespace'],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const gaps = gapsFor(cluster, ['Namespace'], ns);
    if (gaps.length) return unknown(`The Namespace could not be read: ${gapMessage(gaps)}.`);
    const model = cluster.namespaces.get(ns);
    const o = model?.object ?? null;
    if (!o) return unknown(`The Namespace object "${ns}" is not in sight, so its Pod Security labels are unknown.`);
    const owner = { kind: o.kind, namespace: null, name: o.name, ...o.source };
    const level = o.labels[LABEL];
    if (level === 'restricted') return pass(`Namespace "${ns}" enforces the restricted Pod Security profile.`, [evidenceAt(owner, `metadata.labels["${LABEL}"]`, level)]);
    if (level === 'baseline') {
      return warn(`Namespace "${ns}" enforces only the baseline Pod Security profile: steps may still run as root with default capabilities.`, [
        evidenceAt(owner, `metadata.labels["${LABEL}"]`, level),
      ]);
    }
    if (level === undefined) {
      return fail(`Namespace "${ns}" has no ${LABEL} label: Pod Security admission does not restrict its pods (unless a cluster-wide default applies).`, [
        evidenceAt(owner, 'metadata.labels', '(no pod-security.kubernetes.io/enforce)'),
      ]);
    }
    return fail(`Namespace "${ns}" enforces the "${level}" Pod Security level, which does not restrict step pods.`, [evidenceAt(owner, `metadata.labels["${LABEL}"]`, level)]);
  },
});
