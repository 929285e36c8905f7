import type { EffectiveRule } from '../../model/types';
import { ruleAllowsSome, type AccessRequest } from '../../model/rbac';
import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

const RBAC = 'rbac.authorization.k8s.io';
const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ANY_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

type Probe = { label: string; reqs: Omit<AccessRequest, 'name'>[] };

/** Each escalation path, as the requests that grant it (any one is enough; resourceNames still grant it on those names). */
const PROBES: Probe[] = [
  ...['escalate', 'bind'].map((verb) => ({
    label: `${verb} roles/clusterroles`,
    reqs: ['roles', 'clusterroles'].map((resource) => ({ verb, group: RBAC, resource })),
  })),
  {
    label: 'impersonate users, groups or service accounts',
    reqs: [
      ...['users', 'groups', 'serviceaccounts'].map((resource) => ({ verb: 'impersonate', group: '', resource })),
      { verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids' },
      { verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes' },
    ],
  },
  { label: 'create serviceaccounts/token', reqs: [{ verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token' }] },
  ...RBAC_RESOURCES.map((resource) => ({
    label: `write ${resource}`,
    reqs: WRITE_VERBS.map((verb) => ({ verb, group: RBAC, resource })),
  })),
  { label: 'use nodes/proxy', reqs: ANY_VERBS.map((verb) => ({ verb, group: '', resource: 'nodes', subresource: 'proxy' })) },
];

/** The escalation paths a rule opens, or null. */
export function escalationPaths(er: EffectiveRule): string | null {
  const hits = PROBES.filter((p) => p.reqs.some((req) => ruleAllowsSome(er.rule, req))).map((p) => p.label);
  if (hits.length === 0) return null;
  return `can ${hits.slice(0, 4).join(', ')}${hits.length > 4 ? ` (+${hits.length - 4} more)` : ''}`;
}

export const IDN_006: PipelineCheck = {
  id: 'IDN-006',
  title: 'No escalation verbs',
  category: 'identity',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    '`escalate`, `bind` and write access to Roles and bindings let the service account grant itself any permission; `impersonate` ' +
    'and `create serviceaccounts/token` let it act as another identity; `nodes/proxy` reaches the kubelet API and runs commands ' +
    'in any pod on a node. Each of them turns a compromised step into a cluster compromise, whatever else the role restricts.',
  remediation: [
    'Remove these verbs and resources from the pipeline\'s roles. RBAC changes belong to a reviewed GitOps flow, not to a pipeline step:',
    '```yaml',
    '# never in a pipeline role:',
    '- apiGroups: ["rbac.authorization.k8s.io"]',
    '  resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]',
    '  verbs: ["create", "update", "patch", "delete", "bind", "escalate"]',
    '- apiGroups: [""]',
    '  resources: ["users", "groups", "serviceaccounts", "serviceaccounts/token", "nodes/proxy"]',
    '  verbs: ["impersonate", "create", "get"]',
    '```',
    'Wildcards count: `verbs: ["*"]` on roles, or `resources: ["*"]` with `escalate`, grant the same.',
  ].join('\n'),
  source: 'RBAC analysers (PaloAltoNetworks/rbac-police, cyberark/KubiScan): bind/escalate/impersonate, token creation, RBAC writes, nodes/proxy',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      passPhrase: 'has no escalation verbs (escalate, bind, impersonate, token creation, RBAC writes, nodes/proxy)',
      scan: escalationPaths,
    });
  },
};
