import type { EffectiveRule } from '../../model/types';
import { ruleAllows } from '../../model/rbac';
import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

/**
 * What a rule lets the SA do to secrets without naming them: `list`/`watch` (which return every secret's data) and
 * `get` of any secret. A `resourceNames` restriction limits all three to the named secrets (the apiserver allows a
 * named list/watch only with a `metadata.name` field selector), so a restricted rule is "by name" and passes.
 */
export function unnamedSecretAccess(er: EffectiveRule): string | null {
  const verbs = ['list', 'watch', 'get'].filter((verb) => ruleAllows(er.rule, { verb, group: '', resource: 'secrets' }));
  if (verbs.length === 0) return null;
  return verbs.includes('get') && verbs.length === 1 ? 'can get any secret (no resourceNames)' : `can ${verbs.join('/')} every secret`;
}

export const IDN_004: PipelineCheck = {
  id: 'IDN-004',
  title: 'Secrets only by name',
  category: 'identity',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    '`list` and `watch` on secrets return the data of every secret in scope, and `get` without `resourceNames` reads any of them ' +
    'by guessing a name. A pipeline needs one or two known credentials; granting the rest lets a compromised step read ' +
    'deploy keys, registry tokens and cloud credentials that belong to other workloads.',
  remediation: [
    'Grant `get` on the secrets the pipeline needs, by name, and nothing else on secrets:',
    '```yaml',
    'rules:',
    '- apiGroups: [""]',
    '  resources: ["secrets"]',
    '  resourceNames: ["git-deploy-key", "registry-push-creds"]',
    '  verbs: ["get"]',
    '```',
    'Wildcards count: `resources: ["*"]`, `verbs: ["*"]` or `apiGroups: ["*"]` with the core group cover secrets too.',
  ].join('\n'),
  source: 'tekton-security-guide (service-account isolation: resourceNames on secrets); tekton-isolation-workspaces-rbac step 1 ("NOT: list/get all secrets")',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      passPhrase: 'can read secrets only by name',
      scan: unnamedSecretAccess,
    });
  },
};
