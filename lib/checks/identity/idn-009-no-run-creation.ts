import type { EffectiveRule } from '../../model/types';
import { ruleAllowsSome } from '../../model/rbac';
import type { PipelineCheck } from '../types';
import { evaluateRuleCheck, RBAC_KINDS, RBAC_NEEDS } from './rbac-findings';

/** Whether a rule lets the SA create PipelineRuns or TaskRuns (a named `create` is never authorized by the apiserver). */
export function runCreation(er: EffectiveRule): string | null {
  const kinds = ['pipelineruns', 'taskruns'].filter((resource) => ruleAllowsSome(er.rule, { verb: 'create', group: 'tekton.dev', resource }));
  return kinds.length > 0 ? `can create ${kinds.join(' and ')}` : null;
}

export const IDN_009: PipelineCheck = {
  id: 'IDN-009',
  title: 'No run creation',
  category: 'identity',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Tekton\'s threat model treats creating a TaskRun or PipelineRun as creating a pod: the run names its own service account, ' +
    'task spec and images. A pipeline that may create runs can therefore start arbitrary code under any service account of ' +
    'the namespace, including one more privileged than its own.',
  remediation: [
    'Only the trigger service account (EventListener) should create runs, and it should not be the one the runs execute as. ' +
      'Remove `create` on runs from the pipeline\'s own role:',
    '```yaml',
    '# belongs to the triggers SA only, never to the SA the runs use:',
    '- apiGroups: ["tekton.dev"]',
    '  resources: ["pipelineruns", "taskruns"]',
    '  verbs: ["create"]',
    '```',
  ].join('\n'),
  source: 'Tekton threat model (tektoncd/pipeline docs/security/threat-model.md: creating a TaskRun/PipelineRun equals creating a Pod); tekton-chains-provenance section 7 (split builder and triggers service accounts)',
  needs: RBAC_NEEDS,
  evaluate(ctx) {
    return evaluateRuleCheck(ctx, {
      kinds: RBAC_KINDS,
      passPhrase: 'cannot create PipelineRuns or TaskRuns',
      scan: runCreation,
    });
  },
};
