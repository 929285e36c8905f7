import type { PipelineCheck } from '../types';
import { fail, pass } from '../util';
import { objectEvidence, forUnspecifiedNamespace } from './guardrail';

export const NSG_006: PipelineCheck = forUnspecifiedNamespace('it is not in `default` by itself, but where it will run is not known', false, {
  id: 'NSG-006',
  title: 'Not in the default namespace',
  category: 'namespace',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'The `default` namespace is where everything lands when nobody chose: its service accounts, secrets and RBAC are shared with unrelated workloads ' +
    'and rarely carry Pod Security, quota or egress guardrails. Pipelines belong in a namespace of their own, with guardrails set for CI.',
  remediation: [
    'Create a namespace for the team\'s pipelines and run there:',
    '```yaml',
    'apiVersion: tekton.dev/v1',
    'kind: PipelineRun',
    'metadata:',
    '  generateName: build-',
    '  namespace: team-a-ci',
    '```',
  ].join('\n'),
  source: 'tekton-kyverno-policies (require-tekton-namespace-pipelinerun)',
  needs: [],
  evaluate({ pipeline }) {
    if (pipeline.namespace !== 'default') return pass(`The pipeline runs in namespace "${pipeline.namespace}".`);
    const subjects = pipeline.runs.length > 0 ? pipeline.runs.map((r) => r.object) : pipeline.object ? [pipeline.object] : [];
    const evidence = subjects.slice(0, 10).map((o) => objectEvidence(o, 'metadata.namespace', 'default'));
    if (evidence.length === 0) evidence.push({ kind: 'Namespace', namespace: null, name: 'default', path: 'metadata.name', value: 'default' });
    return fail(
      pipeline.runs.length > 0 ? 'The runs execute in the `default` namespace.' : 'The pipeline is defined in the `default` namespace, so its runs execute there.',
      evidence,
    );
  },
});
