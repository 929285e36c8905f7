import type { PipelineCheck } from '../types';
import { booleanSettingFailures, collectContainers, eachContainer, summarize } from './containers';

export const STP_002: PipelineCheck = {
  id: 'STP-002',
  title: 'No privilege escalation',
  category: 'steps',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Unless `allowPrivilegeEscalation` is explicitly false, a process in the step can gain more privileges than its parent (setuid binaries, file capabilities), ' +
    'which turns a compromised build tool or dependency into root inside the pod. Only the container (or the task\'s `stepTemplate`) can turn it off: ' +
    'the pod template has no such field.',
  remediation: [
    'Turn privilege escalation off for every step (via `stepTemplate`) and on each sidecar:',
    '```yaml',
    'spec:',
    '  stepTemplate:',
    '    securityContext:',
    '      allowPrivilegeEscalation: false',
    '  sidecars:',
    '  - name: db',
    '    image: postgres@sha256:…',
    '    securityContext:',
    '      allowPrivilegeEscalation: false',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 (step security context)',
  // Task/StepAction/LimitRange gaps are handled inside: they leave specs unresolved (→ unknown), never a false pass.
  needs: [],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures = booleanSettingFailures(pc, 'allowPrivilegeEscalation', false, 'allowPrivilegeEscalation: false is not set (Kubernetes then allows escalation)');
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      failVerb: ['allows privilege escalation', 'allow privilege escalation'],
      passMessage: `${eachContainer(pc.containers.length)} sets allowPrivilegeEscalation: false.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
  },
};
