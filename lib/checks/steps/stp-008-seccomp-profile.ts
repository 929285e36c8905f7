import type { PipelineCheck } from '../types';
import type { Evidence } from '../../model/types';
import { eachContainer, collectContainers, containerSetting, missingEvidence, podContexts, summarize, type Finding } from './containers';

const CONFINED = new Set(['RuntimeDefault', 'Localhost']);

export const STP_008: PipelineCheck = {
  id: 'STP-008',
  title: 'Seccomp profile',
  category: 'steps',
  severity: 'low',
  scope: 'pipeline',
  rationale:
    'Without a seccomp profile a container may call every system call the kernel offers, including the rarely used ones behind most container escapes. ' +
    'The runtime\'s default profile (`RuntimeDefault`) blocks those without affecting builds, and the `restricted` Pod Security profile requires it.',
  remediation: [
    'Set the runtime default profile for the whole pod in the run\'s pod template (or per container / in `stepTemplate`):',
    '```yaml',
    'spec:',
    '  taskRunTemplate:',
    '    podTemplate:',
    '      securityContext:',
    '        seccompProfile:',
    '          type: RuntimeDefault',
    '```',
  ].join('\n'),
  source: 'Kubernetes Pod Security Standards, restricted profile (seccomp); tekton-security-guide (Pod Security)',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    for (const ci of pc.containers) {
      const own = containerSetting(ci, 'seccompProfileType');
      if (own) {
        if (!CONFINED.has(own.value)) failures.push({ label: ci.label, note: `sets seccompProfile type ${own.value}`, evidence: [own.evidence] });
        continue;
      }
      const contexts = podContexts(pipeline, cluster, ci.task.name);
      let first: { note: string; evidence: Evidence[] } | null = null;
      let bad = 0;
      for (const ctx of contexts) {
        const t = ctx.securityContext?.seccompProfileType;
        if (t !== undefined && CONFINED.has(t)) continue;
        bad += 1;
        const where = ctx.run ? ` (run ${ctx.run.name})` : ' (no recent runs, so no pod template supplies it)';
        first ??=
          t !== undefined
            ? { note: `the pod template sets seccompProfile type ${t}${where}`, evidence: ctx.evidence ? [ctx.evidence] : [missingEvidence(ci, 'seccompProfileType')] }
            : { note: `no seccompProfile on the container, its stepTemplate or the pod template${where}`, evidence: [missingEvidence(ci, 'seccompProfileType')] };
      }
      if (first) {
        const some = contexts.length > 1 && bad < contexts.length ? ` (in ${bad} of ${contexts.length} recent runs)` : '';
        failures.push({ label: ci.label, note: `${first.note}${some}`, evidence: first.evidence });
      }
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      failVerb: ['runs without a RuntimeDefault or Localhost seccomp profile', 'run without a RuntimeDefault or Localhost seccomp profile'],
      passMessage: `${eachContainer(pc.containers.length)} runs with a RuntimeDefault or Localhost seccomp profile.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
  },
};
