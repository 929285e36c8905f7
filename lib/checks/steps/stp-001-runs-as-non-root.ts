import type { PipelineCheck } from '../types';
import type { Evidence } from '../../model/types';
import { eachContainer, collectContainers, containerSetting, missingEvidence, podContexts, summarize, type Finding } from './containers';

export const STP_001: PipelineCheck = {
  id: 'STP-001',
  title: 'Runs as non-root',
  category: 'steps',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A step that runs as root can rewrite anything in its image, read every file the pod mounts and is one kernel bug away from the node. ' +
    'Tekton\'s `set-security-context` flag only hardens the containers Tekton injects itself, so every step and sidecar must ask for a non-root user, ' +
    'either on the container, in the task\'s `stepTemplate`, or in the run\'s pod template.',
  remediation: [
    'Require a non-root user for every step, once in the task\'s `stepTemplate` (or in the run\'s pod template), and never set `runAsUser: 0`:',
    '```yaml',
    'spec:',
    '  stepTemplate:',
    '    securityContext:',
    '      runAsNonRoot: true',
    '      runAsUser: 65532',
    '---',
    '# or, for every task of a run:',
    'spec:',
    '  taskRunTemplate:',
    '    podTemplate:',
    '      securityContext:',
    '        runAsNonRoot: true',
    '```',
    'Sidecars do not inherit `stepTemplate`: set it on each sidecar, or use the pod template.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 (step security context); tekton-kyverno-policies policy 6',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    for (const ci of pc.containers) {
      const nonRoot = containerSetting(ci, 'runAsNonRoot');
      const user = containerSetting(ci, 'runAsUser');
      const contexts = podContexts(pipeline, cluster, ci.task.name);
      let first: { note: string; evidence: Evidence[] } | null = null;
      let badRuns = 0;
      for (const ctx of contexts) {
        const nr = nonRoot?.value ?? ctx.securityContext?.runAsNonRoot;
        const uid = user ? user.value : ctx.securityContext?.runAsUser;
        const uidEvidence = user ? user.evidence : ctx.evidence;
        let problem: { note: string; evidence: Evidence[] } | null = null;
        if (uid === 0) {
          problem = { note: `sets runAsUser: 0 (root)${user ? '' : ' in the pod template'}`, evidence: uidEvidence ? [uidEvidence] : [missingEvidence(ci, 'runAsUser')] };
        } else if (nr !== true) {
          const where = ctx.run ? ` (run ${ctx.run.name})` : ' (no recent runs, so no pod template supplies it)';
          const explicitFalse = nr === false;
          const falseEv = nonRoot && nonRoot.value === false ? nonRoot.evidence : ctx.evidence;
          if (uid !== undefined && uid > 0) {
            problem = {
              note: `runs as UID ${uid} but runAsNonRoot: true is not set${explicitFalse ? ' (it is false)' : ''}, so nothing stops an image or override from running as root${where}`,
              evidence: [uidEvidence ?? missingEvidence(ci, 'runAsUser')],
            };
          } else if (explicitFalse) {
            problem = { note: `sets runAsNonRoot: false${where}`, evidence: [falseEv ?? missingEvidence(ci, 'runAsNonRoot')] };
          } else {
            problem = { note: `runAsNonRoot: true is set neither on the container, its stepTemplate nor the pod template${where}`, evidence: [missingEvidence(ci, 'runAsNonRoot')] };
          }
        }
        if (problem) {
          badRuns += 1;
          first ??= problem;
        }
      }
      if (first) {
        const some = contexts.length > 1 && badRuns < contexts.length ? ` (in ${badRuns} of ${contexts.length} recent runs)` : '';
        failures.push({ label: ci.label, note: `${first.note}${some}`, evidence: first.evidence });
      }
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      failVerb: ['may run as root', 'may run as root'],
      passMessage: `${eachContainer(pc.containers.length)} requires a non-root user.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
  },
};
