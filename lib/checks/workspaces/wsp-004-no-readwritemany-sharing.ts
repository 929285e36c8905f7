import type { Evidence } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, notApplicable, pass, plural, unknown } from '../util';
import { recentBindings } from './bindings';

export const WSP_004: PipelineCheck = {
  id: 'WSP-004',
  title: 'No ReadWriteMany sharing',
  category: 'workspaces',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A ReadWriteMany volume can be mounted by pods of several runs at once, on any node. Two concurrent runs then share files while they run: ' +
    'one run (or any pod that mounts the claim) can plant a binary or a modified source file that the other executes.',
  remediation: [
    'Ask for `ReadWriteOnce` (or `ReadWriteOncePod`) in claim templates and claims used by pipelines:',
    '```yaml',
    'workspaces:',
    '- name: shared-data',
    '  volumeClaimTemplate:',
    '    spec:',
    '      accessModes: [ReadWriteOnce]',
    '      resources: {requests: {storage: 1Gi}}',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (adversary 5, cross-run workspace contamination)',
  // A PersistentVolumeClaim gap only matters for claimed workspaces: weighed inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const declared = pipeline.spec?.workspaces.length ?? 0;
    if (pipeline.runs.length === 0) {
      if (pipeline.spec && declared === 0) return notApplicable('The pipeline declares no workspaces.');
      return unknown('No recent runs: workspace bindings live on the runs.');
    }
    const claims = recentBindings(pipeline).filter(({ binding }) => binding.type === 'persistentVolumeClaim' || binding.type === 'volumeClaimTemplate');
    if (claims.length === 0) return notApplicable('The recent runs bind no PersistentVolumeClaim or claim template.');
    const rwx: Evidence[] = [];
    const missing: string[] = [];
    for (const { run, binding } of claims) {
      if (binding.type === 'persistentVolumeClaim' && (binding.pvcMissing || binding.accessModes === null)) {
        missing.push(binding.claimName ?? binding.name);
        continue;
      }
      if ((binding.accessModes ?? []).includes('ReadWriteMany')) {
        if (binding.type === 'volumeClaimTemplate') {
          rwx.push(evidenceAt(run.object, `${binding.path}.volumeClaimTemplate.spec.accessModes`, `${binding.name}: ReadWriteMany`));
        } else {
          const pvc = cluster.pvcs.get(`${run.namespace}/${binding.claimName ?? ''}`);
          rwx.push(
            pvc
              ? evidenceAt({ kind: pvc.kind, namespace: pvc.namespace, name: pvc.name, ...pvc.source }, 'spec.accessModes', `ReadWriteMany (bound to workspace ${binding.name} of run ${run.name})`)
              : evidenceAt(run.object, `${binding.path}.persistentVolumeClaim`, `${binding.name}: claim ${binding.claimName ?? '?'} is ReadWriteMany`),
          );
        }
      }
    }
    if (rwx.length > 0) return fail(`${plural(rwx.length, 'workspace binding')} of recent runs ask for ReadWriteMany storage, which concurrent runs can share.`, capEvidence(rwx));
    const gaps = gapsFor(cluster, ['PersistentVolumeClaim'], pipeline.namespace);
    if (missing.length > 0 || (gaps.length > 0 && claims.some(({ binding }) => binding.type === 'persistentVolumeClaim'))) {
      const why = missing.length ? `the PersistentVolumeClaim${missing.length > 1 ? 's' : ''} ${[...new Set(missing)].join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in sight` : gapMessage(gaps);
      return unknown(`Access modes unknown: ${why}.`);
    }
    return pass(`The ${plural(claims.length, 'claim-backed workspace binding')} of recent runs ask for no ReadWriteMany access.`);
  },
};
