import type { PlatformCheck } from '../types';
import { fail, pass, warn } from '../util';
import { configEvidence, configValue, configView, unreadable } from './config';

const FLAG = 'enforce-nonfalsifiability';

export const PLT_007: PlatformCheck = {
  id: 'PLT-007',
  title: 'Non-falsifiable provenance',
  category: 'platform',
  severity: 'low',
  scope: 'platform',
  rationale:
    'Chains builds provenance from the TaskRun status that the run\'s own pod reports, so a compromised step can write false results and have them signed. ' +
    'With `enforce-nonfalsifiability: spire`, SPIRE signs each TaskRun\'s status and results, and the controller rejects any the workload altered.',
  remediation: [
    'Install SPIRE and have Tekton sign and verify run results with it:',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: feature-flags, namespace: tekton-pipelines}',
    'data:',
    `  ${FLAG}: spire`,
    '  enable-api-fields: alpha   # required by the spire mode on most versions',
    '```',
  ].join('\n'),
  source: 'tekton-chains-provenance section 7 ("enforce-nonfalsifiable"; the Pipelines flag is enforce-nonfalsifiability, TEKTON-FACTS §9/§11)',
  needs: [],
  evaluate({ cluster }) {
    const view = configView(cluster, 'featureFlags');
    const bad = unreadable(view, `the default \`${FLAG}: none\` would fail this check`);
    if (bad) return bad;
    const v = configValue(view, FLAG, 'none');
    const ev = [configEvidence(view, FLAG, v.value, v.isDefault)];
    if (v.value === 'spire') return pass('Run results and status are signed by SPIRE and verified by the controller.', ev);
    if (v.value === 'none' || v.value === '') {
      return fail(`\`${FLAG}\` is ${v.isDefault ? 'not set (default `none`)' : `"${v.value}"`}: run results that feed provenance are not protected against a compromised step.`, ev);
    }
    return warn(`\`${FLAG}\` is "${v.value}", which Tekton does not document (expected \`spire\`).`, ev);
  },
};
