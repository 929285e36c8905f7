import type { PipelineCheck } from '../types';
import { capEvidence, fail, gapMessage, gapsFor, pass, plural, unknown } from '../util';
import { objectEvidence, forUnspecifiedNamespace } from './guardrail';

export const NSG_005: PipelineCheck = forUnspecifiedNamespace('the TaskRuns of that namespace are not known', false, {
  id: 'NSG-005',
  title: 'No direct TaskRuns',
  category: 'namespace',
  severity: 'low',
  scope: 'pipeline',
  rationale:
    'A TaskRun created by hand runs any Task with any parameters, workspaces and service account the creator can name, outside the reviewed pipelines. ' +
    'In a CI namespace every TaskRun should come from a PipelineRun; stray ones are either ad-hoc experiments or someone working around the pipeline.',
  remediation: [
    'Run tasks through a Pipeline, and deny direct TaskRun creation to people (keep `create` on `taskruns` for the Tekton controller only), e.g. with the Kyverno policy:',
    '```yaml',
    'apiVersion: kyverno.io/v1',
    'kind: ClusterPolicy',
    'metadata: {name: block-direct-taskruns}',
    'spec:',
    '  validationFailureAction: Enforce',
    '  rules:',
    '  - name: only-the-controller',
    '    match: {any: [{resources: {kinds: [TaskRun]}}]}',
    '    exclude: {any: [{subjects: [{kind: ServiceAccount, name: tekton-pipelines-controller, namespace: tekton-pipelines}]}]}',
    '    validate: {message: "TaskRuns are created by PipelineRuns only", deny: {}}',
    '```',
  ].join('\n'),
  source: 'tekton-kyverno-policies (policy 1: block direct TaskRuns)',
  needs: ['TaskRun'],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const gaps = gapsFor(cluster, ['TaskRun'], ns);
    if (gaps.length) return unknown(`TaskRuns could not be read: ${gapMessage(gaps)}.`);
    const direct = cluster.directTaskRuns.get(ns) ?? [];
    if (direct.length === 0) return pass(`No TaskRun without a PipelineRun parent runs in namespace "${ns}".`);
    return fail(
      `${plural(direct.length, 'TaskRun')} without a PipelineRun parent ran in namespace "${ns}" (${direct.slice(0, 3).map((t) => t.name).join(', ')}${direct.length > 3 ? '…' : ''}).`,
      capEvidence(direct.map((t) => objectEvidence(t.object, 'metadata.ownerReferences', t.taskRef?.name ? `taskRef ${t.taskRef.name}` : 'no PipelineRun owner'))),
    );
  },
});
