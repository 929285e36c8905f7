import type { PipelineCheck } from '../types';
import { eachContainer, collectContainers, containerCapabilities, summarize, type Finding } from './containers';

export const STP_003: PipelineCheck = {
  id: 'STP-003',
  title: 'Drops all capabilities',
  category: 'steps',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'Containers start with a default set of Linux capabilities (chown, setuid, net_raw, …) that builds almost never need and that an attacker in a step can use. ' +
    'Dropping `ALL` and adding nothing back leaves a step only what an ordinary process has.',
  remediation: [
    'Drop every capability in the task\'s `stepTemplate` (and on each sidecar), and add none back:',
    '```yaml',
    'spec:',
    '  stepTemplate:',
    '    securityContext:',
    '      capabilities:',
    '        drop: ["ALL"]',
    '```',
    'A step that sets its own `capabilities.drop` replaces the template\'s list, so it must repeat `ALL`.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 (step security context)',
  // Task/StepAction/LimitRange gaps are handled inside: they leave specs unresolved (→ unknown), never a false pass.
  needs: [],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    for (const ci of pc.containers) {
      const drop = containerCapabilities(ci, 'drop');
      const add = containerCapabilities(ci, 'add');
      const problems: string[] = [];
      const evidence = [];
      if (!drop.values.some((c) => c.toUpperCase() === 'ALL')) {
        problems.push(drop.values.length > 0 ? `capabilities.drop is ${JSON.stringify(drop.values)} without ALL` : 'does not drop ALL capabilities');
        evidence.push(drop.evidence);
      }
      if (add.values.length > 0) {
        problems.push(`adds capabilities ${add.values.join(', ')}`);
        evidence.push(add.evidence);
      }
      if (problems.length > 0) failures.push({ label: ci.label, note: problems.join(' and '), evidence });
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      failVerb: ['keeps or adds Linux capabilities', 'keep or add Linux capabilities'],
      passMessage: `${eachContainer(pc.containers.length)} drops ALL capabilities and adds none.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
  },
};
