import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, isClusterAdmin, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

export const IDN_003: PipelineCheck = {
  id: 'IDN-003',
  title: 'No cluster-admin',
  category: 'identity',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'Every step of every task runs with the service account of its run, so a pipeline bound to `cluster-admin` (or to a role ' +
    'granting every verb on every resource) hands full control of the cluster to anyone who can change a task, a step image ' +
    'or a parameter. One `kubectl get secrets --all-namespaces` in a step reads every secret of the cluster.',
  remediation: [
    'Remove the binding to `cluster-admin` (or the `*`/`*` rule) and bind a Role listing only what the pipeline does, in its own namespace:',
    '```yaml',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata: {name: build-pipeline-role, namespace: ci}',
    'rules:',
    '- apiGroups: [""]',
    '  resources: ["secrets"]',
    '  resourceNames: ["registry-push-creds"]',
    '  verbs: ["get"]',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: {name: build-pipeline-rolebinding, namespace: ci}',
    'subjects: [{kind: ServiceAccount, name: build-pipeline-sa, namespace: ci}]',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: build-pipeline-role}',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac threat model, adversary 1 (RBAC escalation via a cluster-admin pipeline service account)',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      onePerRole: true,
      passPhrase: 'is not bound to cluster-admin and has no rule granting every verb on every resource',
      scan(er) {
        if (isClusterAdmin(er.role)) return 'is bound to cluster-admin';
        const r = er.rule;
        if (r.verbs.includes('*') && r.resources.includes('*')) {
          return `can do every verb on every resource${r.apiGroups.includes('*') ? '' : ` of the API groups ${r.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', ')}`}`;
        }
        return null;
      },
    });
  },
};
