import type { EffectiveRule } from '../../model/types';
import { ruleAllowsSome, type AccessRequest } from '../../model/rbac';
import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

/** Kinds that run a pod template: creating or changing one runs code under any SA of the namespace. */
export const POD_CONTROLLERS: { group: string; resource: string }[] = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
];
const WORKLOAD_VERBS = ['create', 'update', 'patch'];

type Probe = { label: string; reqs: Omit<AccessRequest, 'name'>[] };

const PROBES: Probe[] = [
  // exec and attach go through `create` (POST) or `get` (websocket upgrade): both count.
  { label: 'exec into pods', reqs: ['create', 'get'].map((verb) => ({ verb, group: '', resource: 'pods', subresource: 'exec' })) },
  { label: 'attach to pods', reqs: ['create', 'get'].map((verb) => ({ verb, group: '', resource: 'pods', subresource: 'attach' })) },
  // Adding an ephemeral container to a running pod is exec by another name.
  {
    label: 'add ephemeral containers to pods',
    reqs: ['update', 'patch'].map((verb) => ({ verb, group: '', resource: 'pods', subresource: 'ephemeralcontainers' })),
  },
];

/** What workload creation or exec a rule grants, or null. */
export function workloadPower(er: EffectiveRule): string | null {
  const hits = POD_CONTROLLERS.flatMap((k) => {
    const verbs = WORKLOAD_VERBS.filter((verb) => ruleAllowsSome(er.rule, { verb, ...k }));
    return verbs.length > 0 ? [`${verbs.join('/')} ${k.resource}`] : [];
  });
  hits.push(...PROBES.filter((p) => p.reqs.some((req) => ruleAllowsSome(er.rule, req))).map((p) => p.label));
  if (hits.length === 0) return null;
  return `can ${hits.slice(0, 4).join(', ')}${hits.length > 4 ? ` (+${hits.length - 4} more)` : ''}`;
}

export const IDN_007: PipelineCheck = {
  id: 'IDN-007',
  title: 'No workload creation or exec',
  category: 'identity',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A service account that can create or patch pods, or any controller that stamps out pods, can start a pod under any other ' +
    'service account of the namespace and mount any secret there; `pods/exec` and `pods/attach` run commands inside pods that ' +
    'already hold other credentials. Either way a compromised step escapes the identity it was given.',
  remediation: [
    'Deploy through a GitOps controller or a separate, reviewed deployer identity instead of granting the build pipeline workload ' +
      'writes. If a step must deploy, bind a narrow role in the target namespace only and keep it out of build tasks:',
    '```yaml',
    '# remove from the pipeline role:',
    '- apiGroups: ["", "apps", "batch"]',
    '  resources: ["pods", "pods/exec", "pods/attach", "deployments", "jobs"]',
    '  verbs: ["create", "update", "patch"]',
    '```',
  ].join('\n'),
  source: 'RBAC analysers (PaloAltoNetworks/rbac-police, cyberark/KubiScan): workload creation, pods/exec, pods/attach',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      passPhrase: 'cannot create or patch pods or pod controllers, nor exec or attach into pods',
      scan: workloadPower,
    });
  },
};
