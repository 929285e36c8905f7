import type { Evidence, K8sObject } from '../../model/types';
import type { PipelineCheck } from '../types';
import { forUnspecifiedNamespace } from './guardrail';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, pass, plural, unknown } from '../util';
import { allowsAllEgress, isEgressPolicy, podLabels, selects } from './netpol';
import { obj } from '../../model/access';

function at(o: K8sObject, path: string, value?: string): Evidence {
  return evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, path, value);
}

export const NSG_002: PipelineCheck = forUnspecifiedNamespace('which egress NetworkPolicies select its pods there is not known (none beside it does)', true, {
  id: 'NSG-002',
  title: 'Egress restricted',
  category: 'namespace',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A build step that can open any outbound connection can send the secrets it holds, or the source it checked out, anywhere. ' +
    'An egress NetworkPolicy that allows only the registry, the package proxy and DNS turns a stolen token into one that cannot leave the cluster.',
  remediation: [
    'Select the run pods with an Egress policy that allows only what builds need:',
    '```yaml',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: tekton-runs-egress, namespace: ci}',
    'spec:',
    '  podSelector:',
    '    matchLabels: {app.kubernetes.io/managed-by: tekton-pipelines}',
    '  policyTypes: [Egress]',
    '  egress:',
    '  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: registry}}}]',
    '    ports: [{protocol: TCP, port: 443}]',
    '  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]',
    '    ports: [{protocol: UDP, port: 53}]',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (network policies); tekton-isolation-workspaces-rbac step 6',
  needs: ['NetworkPolicy'],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const gaps = gapsFor(cluster, ['NetworkPolicy'], ns);
    if (gaps.length) return unknown(`NetworkPolicies could not be read: ${gapMessage(gaps)}.`);
    const policies = (cluster.namespaces.get(ns)?.networkPolicies ?? []).filter(isEgressPolicy);
    const pods = podLabels(pipeline);
    const unselected: string[] = [];
    const open = new Map<K8sObject, number>();
    const selecting = new Set<K8sObject>();
    for (const [task, labels] of pods) {
      const sel = policies.filter((np) => selects(obj(np.raw.spec).podSelector ?? {}, labels));
      if (sel.length === 0) unselected.push(task);
      for (const np of sel) {
        selecting.add(np);
        const rule = allowsAllEgress(np);
        if (rule !== null) open.set(np, rule);
      }
    }
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    if (unselected.length > 0) {
      const what = unselected.includes('*') ? 'the run pods' : `the pods of ${plural(unselected.length, 'task')} (${unselected.slice(0, 6).join(', ')}${unselected.length > 6 ? '…' : ''})`;
      problems.push(policies.length === 0 ? `namespace "${ns}" has no NetworkPolicy of type Egress` : `no Egress NetworkPolicy selects ${what}`);
      const subject = pipeline.object ?? pipeline.runs[0]?.object;
      if (subject) evidence.push(at(subject, 'metadata', `namespace ${ns}: ${policies.length} egress ${policies.length === 1 ? 'policy' : 'policies'}, none selecting ${unselected.includes('*') ? 'run pods' : unselected.join(', ')}`));
      for (const np of policies.filter((p) => !selecting.has(p))) evidence.push(at(np, 'spec.podSelector', 'does not select these run pods'));
    }
    for (const [np, rule] of open) {
      problems.push(`NetworkPolicy "${np.name}" allows all egress (egress[${rule}])`);
      evidence.push(at(np, `spec.egress[${rule}]`, 'allows every destination and port'));
    }
    if (problems.length > 0) {
      if (evidence.length === 0) evidence.push({ kind: 'Namespace', namespace: null, name: ns, path: 'metadata' });
      return fail(`Egress is not restricted for this pipeline's pods: ${problems.join('; ')}.`, capEvidence(evidence));
    }
    return pass(`${plural(selecting.size, 'Egress NetworkPolicy', 'Egress NetworkPolicies')} select the run pods and none allows all egress.`, [...selecting].map((np) => at(np, 'spec.egress')));
  },
});
