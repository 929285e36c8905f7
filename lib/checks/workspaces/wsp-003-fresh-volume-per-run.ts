import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, notApplicable, pass, plural, unknown } from '../util';
import { recentBindings } from './bindings';

export const WSP_003: PipelineCheck = {
  id: 'WSP-003',
  title: 'Fresh volume per run',
  category: 'workspaces',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A pre-provisioned PersistentVolumeClaim outlives the run: whatever one run leaves on it (a tampered binary, a cached dependency, a credential) ' +
    'is there for the next run, and for any other pipeline that mounts the same claim. A `volumeClaimTemplate` or `emptyDir` starts every run clean.',
  remediation: [
    'Bind data workspaces to a claim template (a new PVC per run, deleted with it) or an emptyDir:',
    '```yaml',
    'apiVersion: tekton.dev/v1',
    'kind: PipelineRun',
    'spec:',
    '  workspaces:',
    '  - name: shared-data',
    '    volumeClaimTemplate:',
    '      spec:',
    '        accessModes: [ReadWriteOnce]',
    '        resources: {requests: {storage: 1Gi}}',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (workspaces); tekton-isolation-workspaces-rbac (adversary 5, cross-run contamination)',
  needs: ['PipelineRun'],
  evaluate({ pipeline }) {
    const declared = pipeline.spec?.workspaces.length ?? 0;
    if (pipeline.runs.length === 0) {
      if (pipeline.spec && declared === 0) return notApplicable('The pipeline declares no workspaces.');
      return unknown('No recent runs: workspace bindings live on the runs.');
    }
    const bindings = recentBindings(pipeline);
    const pvcs = bindings.filter(({ binding }) => binding.type === 'persistentVolumeClaim');
    if (pvcs.length > 0) {
      const claims = [...new Set(pvcs.map(({ binding }) => binding.claimName ?? '?'))];
      return fail(
        `${plural(pvcs.length, 'workspace binding')} of recent runs use a pre-provisioned PersistentVolumeClaim (${claims.slice(0, 5).join(', ')}), shared from run to run.`,
        capEvidence(pvcs.map(({ run, binding }) => evidenceAt(run.object, `${binding.path}.persistentVolumeClaim`, `${binding.name}: claimName ${binding.claimName ?? '?'}`))),
      );
    }
    if (bindings.length === 0) return notApplicable('The recent runs bind no workspaces.');
    return pass(`Recent runs bind ${plural(bindings.length, 'workspace')}, none to a pre-provisioned PersistentVolumeClaim.`);
  },
};
