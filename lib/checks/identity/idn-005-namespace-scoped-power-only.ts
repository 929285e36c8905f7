import type { EffectiveRule } from '../../model/types';
import { ruleAllowsSome } from '../../model/rbac';
import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, isNonResourceReadRule, isSelfReviewRule, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * Kinds whose cluster-wide read is itself power: secret data, exec/attach/port-forward/proxy into pods, services
 * and nodes (a GET on these is a connection), token requests, and the RBAC objects (a map of who can do what).
 * ConfigMaps are not on the list: they are not meant to hold credentials (secrets in ConfigMaps are WSP-005's job).
 */
export const SENSITIVE_READ: { group: string; resource: string; subresource?: string; label: string }[] = [
  { group: '', resource: 'secrets', label: 'secrets' },
  { group: '', resource: 'pods', subresource: 'exec', label: 'pods/exec' },
  { group: '', resource: 'pods', subresource: 'attach', label: 'pods/attach' },
  { group: '', resource: 'pods', subresource: 'portforward', label: 'pods/portforward' },
  { group: '', resource: 'pods', subresource: 'proxy', label: 'pods/proxy' },
  { group: '', resource: 'services', subresource: 'proxy', label: 'services/proxy' },
  { group: '', resource: 'nodes', subresource: 'proxy', label: 'nodes/proxy' },
  { group: '', resource: 'serviceaccounts', subresource: 'token', label: 'serviceaccounts/token' },
  { group: 'rbac.authorization.k8s.io', resource: 'roles', label: 'roles' },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', label: 'rolebindings' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', label: 'clusterroles' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', label: 'clusterrolebindings' },
];

/** Why a ClusterRoleBinding rule is more than a read of non-sensitive kinds, or null. */
export function clusterWidePower(er: EffectiveRule): string | null {
  if (er.scope !== null) return null; // RoleBinding: namespace-scoped
  const r = er.rule;
  if (r.verbs.length === 0) return null;
  // Granted to every authenticated identity by default (system:basic-user, system:discovery…): not power.
  if (isSelfReviewRule(r) || isNonResourceReadRule(r)) return null;
  const verbs = (v: string[]) => (v.includes('*') ? 'use every verb on' : v.join('/'));
  if (r.resources.length === 0) {
    return r.nonResourceURLs.length > 0 ? `can ${verbs(r.verbs)} non-resource URLs cluster-wide` : null;
  }
  const writes = r.verbs.filter((v) => !READ_VERBS.has(v));
  if (writes.length > 0) return `can ${verbs(writes)} ${r.resources.includes('*') ? 'every resource' : r.resources.join(', ')} cluster-wide`;
  const sensitive = SENSITIVE_READ.filter((s) =>
    r.verbs.some((verb) => ruleAllowsSome(r, { verb, group: s.group, resource: s.resource, subresource: s.subresource })),
  ).map((s) => s.label);
  if (sensitive.length > 0) return `can read ${sensitive.slice(0, 4).join(', ')}${sensitive.length > 4 ? '…' : ''} cluster-wide`;
  return null;
}

export const IDN_005: PipelineCheck = {
  id: 'IDN-005',
  title: 'Namespace-scoped power only',
  category: 'identity',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A ClusterRoleBinding grants its rules in every namespace, present and future, so a pipeline that only builds in `ci` can also ' +
    'change or read what runs in production. Write access, and reads of secrets, exec or RBAC objects, belong in a RoleBinding ' +
    'scoped to the namespaces the pipeline actually touches.',
  remediation: [
    'Replace the ClusterRoleBinding by a RoleBinding in each namespace the pipeline needs (a RoleBinding may reference a ClusterRole):',
    '```yaml',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: {name: deployer, namespace: staging}',
    'subjects: [{kind: ServiceAccount, name: deploy-pipeline-sa, namespace: ci}]',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: app-deployer}',
    '```',
    'Cluster-wide `get`/`list`/`watch` of non-sensitive kinds (pods, deployments, configmaps…) is accepted.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 1 ("NOT: access to other namespaces")',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      passPhrase: 'is granted nothing beyond reads of non-sensitive kinds by ClusterRoleBindings',
      scan: clusterWidePower,
    });
  },
};
