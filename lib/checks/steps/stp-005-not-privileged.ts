import type { PipelineCheck } from '../types';
import { eachContainer, collectContainers, containerSetting, summarize, type Finding } from './containers';

export const STP_005: PipelineCheck = {
  id: 'STP-005',
  title: 'Not privileged',
  category: 'steps',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'A privileged container has every capability and every device of the node, and no seccomp or AppArmor confinement: code in that step owns the node ' +
    'and every other pod and secret on it. Pod Security `baseline` and `restricted` both forbid it.',
  remediation: [
    'Remove `privileged: true`. Image builds do not need it: use a rootless builder (Buildah without privileges, Kaniko, ko, Buildpacks):',
    '```yaml',
    'steps:',
    '- name: build',
    '  image: quay.io/buildah/stable@sha256:…',
    '  securityContext:',
    '    privileged: false',
    '    allowPrivilegeEscalation: false',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (Pod Security)',
  // Task/StepAction/LimitRange gaps are handled inside: they leave specs unresolved (→ unknown), never a false pass.
  needs: [],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    for (const ci of pc.containers) {
      const s = containerSetting(ci, 'privileged');
      if (s?.value === true) {
        failures.push({ label: ci.label, note: `sets privileged: true${s.level === 'stepTemplate' ? ' (from stepTemplate)' : ''}`, evidence: [s.evidence] });
      }
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      failVerb: ['runs privileged', 'run privileged'],
      passMessage: `${eachContainer(pc.containers.length)} runs unprivileged.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
  },
};
