import type { PlatformCheck } from '../types';
import { fail, pass } from '../util';
import { configEvidence, configValue, configView, unreadable } from './config';

const FLAG = 'trusted-resources-verification-no-match-policy';

export const PLT_005: PlatformCheck = {
  id: 'PLT-005',
  title: 'Unmatched resources rejected',
  category: 'platform',
  severity: 'high',
  scope: 'platform',
  rationale:
    'VerificationPolicies only protect the Tasks and Pipelines their patterns match. With the default no-match policy `ignore` (or `warn`), a remote Task from a source no policy covers runs unverified, ' +
    'so an attacker only has to point a run at a new repository or bundle to skip verification entirely.',
  remediation: [
    'Reject remote resources that no VerificationPolicy matches:',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: feature-flags, namespace: tekton-pipelines}',
    'data:',
    `  ${FLAG}: fail`,
    '```',
    'Add VerificationPolicies for every source you use first, or runs from unmatched sources will fail.',
  ].join('\n'),
  source: 'tekton-security-guide (Task Verification); TEKTON-FACTS §10 (TrustedResourcesVerified and the no-match policy)',
  needs: [],
  evaluate({ cluster }) {
    const view = configView(cluster, 'featureFlags');
    const bad = unreadable(view, `the default \`${FLAG}: ignore\` would fail this check`);
    if (bad) return bad;
    const v = configValue(view, FLAG, 'ignore');
    const ev = [configEvidence(view, FLAG, v.value, v.isDefault)];
    if (v.value === 'fail') return pass('Remote Tasks and Pipelines that no VerificationPolicy matches are rejected.', ev);
    return fail(
      `\`${FLAG}\` is ${v.isDefault ? 'not set (default `ignore`)' : `"${v.value}"`}: remote resources that no VerificationPolicy matches run ${v.value === 'warn' ? 'with only a warning' : 'unverified'}.`,
      ev,
    );
  },
};
