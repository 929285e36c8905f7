import type { PipelineCheck } from '../types';
import { evidenceAt, fail, pass, unknown } from '../util';

export const IDN_001: PipelineCheck = {
  id: 'IDN-001',
  title: 'Dedicated service account',
  category: 'identity',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Runs that set no service account get the namespace\'s `default` one, which every other workload in the namespace can also use. ' +
    'Anything granted to it for one pipeline is granted to all of them, and nobody can tell which pipeline needs which permission.',
  remediation: [
    'Create a service account for this pipeline with only the permissions it needs, and name it on every run:',
    '```yaml',
    'apiVersion: tekton.dev/v1',
    'kind: PipelineRun',
    'spec:',
    '  taskRunTemplate:',
    '    serviceAccountName: build-and-push-sa',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (service-account isolation); tekton-isolation-workspaces-rbac step 1',
  needs: ['PipelineRun'],
  evaluate({ pipeline }) {
    if (pipeline.runs.length === 0) return unknown('No recent runs: the service account is chosen by each run, so which one (and what it may do) is not known yet.');
    const offenders = pipeline.runs.flatMap((run) => {
      const uses = [
        ...(run.serviceAccountName === 'default' ? [{ path: run.serviceAccountExplicit ? 'spec.taskRunTemplate.serviceAccountName' : 'spec.taskRunTemplate', task: null as string | null }] : []),
        ...run.taskRunSpecs
          .filter((s) => s.serviceAccountName === 'default')
          .map((s) => ({ path: 'spec.taskRunSpecs', task: s.pipelineTaskName })),
      ];
      return uses.map((u) => evidenceAt(run.object, u.path, u.task ? `task ${u.task}: default` : run.serviceAccountExplicit ? 'default' : '(not set: Tekton uses default)'));
    });
    if (offenders.length > 0) {
      return fail(`${offenders.length} of the recent runs' task identities use the namespace's default service account.`, offenders);
    }
    return pass(`Recent runs use ${pipeline.serviceAccounts.map((s) => `"${s}"`).join(', ')}, not the default service account.`);
  },
};
