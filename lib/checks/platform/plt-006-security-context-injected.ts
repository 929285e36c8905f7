import type { PlatformCheck } from '../types';
import { fail, pass } from '../util';
import { configEvidence, configValue, configView, parseGoBool, unreadable } from './config';

const FLAG = 'set-security-context';

export const PLT_006: PlatformCheck = {
  id: 'PLT-006',
  title: 'Security context for injected containers',
  category: 'platform',
  severity: 'medium',
  scope: 'platform',
  rationale:
    'Tekton adds its own containers to every run pod (the entrypoint init container, `prepare`, `place-scripts`, the affinity assistant). ' +
    'With `set-security-context` off they run without a restricted security context, so a namespace that enforces the `restricted` Pod Security profile rejects the pods — and teams then relax the namespace instead.',
  remediation: [
    'Let Tekton give its injected containers a restricted security context:',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: feature-flags, namespace: tekton-pipelines}',
    'data:',
    `  ${FLAG}: "true"`,
    '```',
    'This does not harden your own steps: set their `securityContext` too (STP-001…STP-004).',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 (step securityContext); tekton-security-guide (Pod Security)',
  needs: [],
  evaluate({ cluster }) {
    const view = configView(cluster, 'featureFlags');
    const bad = unreadable(view, `the default \`${FLAG}: "false"\` would fail this check`);
    if (bad) return bad;
    const v = configValue(view, FLAG, 'false');
    const ev = [configEvidence(view, FLAG, v.value, v.isDefault)];
    if (parseGoBool(v.value) === true) return pass("Tekton's injected containers run with a restricted security context.", ev);
    return fail(
      `\`${FLAG}\` is ${v.isDefault ? 'not set (default "false")' : `"${v.value}"`}: Tekton's own init and injected containers run without a restricted security context.`,
      ev,
    );
  },
};
