import type { EffectiveRule } from '../../model/types';
import { ruleAllowsSome } from '../../model/rbac';
import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

/**
 * Token minting (`create serviceaccounts/token`, also when restricted to named service accounts) or a bare `*` in
 * `verbs` or `resources`. `*` in `apiGroups` alone (e.g. `get pods` in every group) and subresource patterns such as
 * `*` + `/scale` are not counted: the row names verbs and resources, and those stay bounded.
 */
export function tokenOrWildcard(er: EffectiveRule): string | null {
  const r = er.rule;
  const reasons: string[] = [];
  if (ruleAllowsSome(r, { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token' })) {
    reasons.push(r.resourceNames.length > 0 ? `can mint tokens for ${r.resourceNames.join(', ')}` : 'can mint tokens for any service account');
  }
  if (r.verbs.includes('*')) reasons.push('has `*` in verbs');
  if (r.resources.includes('*')) reasons.push('has `*` in resources');
  return reasons.length > 0 ? reasons.join(' and ') : null;
}

export const IDN_010: PipelineCheck = {
  id: 'IDN-010',
  title: 'No token minting or wildcards',
  category: 'identity',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    '`create serviceaccounts/token` mints a bearer token for another service account, so the pipeline can become it. A `*` in ' +
    'verbs or resources grants everything the API offers now and every verb or resource added later, including escalation ' +
    'and secret access nobody reviewed.',
  remediation: [
    'List verbs and resources explicitly and drop token creation:',
    '```yaml',
    'rules:',
    '- apiGroups: ["tekton.dev"]',
    '  resources: ["pipelineruns"]',
    '  verbs: ["get", "list", "watch"]   # not ["*"]',
    '```',
    'If a step needs a token for an external system, use a projected service-account token volume with an audience on the ' +
      'pod, not the right to mint tokens for other accounts.',
  ].join('\n'),
  source: 'RBAC analysers (PaloAltoNetworks/rbac-police, cyberark/KubiScan): token creation, wildcard rules',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      passPhrase: 'cannot mint tokens and has no `*` in verbs or resources',
      scan: tokenOrWildcard,
    });
  },
};
