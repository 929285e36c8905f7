import type { PipelineCheck } from '../types';
import { booleanSettingFailures, collectContainers, eachContainer, summarize } from './containers';

export const STP_004: PipelineCheck = {
  id: 'STP-004',
  title: 'Read-only root filesystem',
  category: 'steps',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'A writable root filesystem lets a compromised step replace binaries and tools that later commands in the same container trust. ' +
    'With `readOnlyRootFilesystem: true` a step can write only to its workspaces and explicit volumes, which also makes what it produced visible.',
  remediation: [
    'Make the root filesystem read-only (via `stepTemplate` and on each sidecar) and give scratch space as an `emptyDir` volume:',
    '```yaml',
    'spec:',
    '  stepTemplate:',
    '    securityContext:',
    '      readOnlyRootFilesystem: true',
    '    volumeMounts:',
    '    - {name: tmp, mountPath: /tmp}',
    '  volumes:',
    '  - {name: tmp, emptyDir: {}}',
    '```',
    'The feature flag `set-security-context-read-only-root-filesystem` covers only Tekton\'s own injected containers, not your steps.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 (step security context)',
  // Task/StepAction/LimitRange gaps are handled inside: they leave specs unresolved (→ unknown), never a false pass.
  needs: [],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures = booleanSettingFailures(pc, 'readOnlyRootFilesystem', true, 'readOnlyRootFilesystem: true is not set');
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: pc.containers.length,
      failures,
      failVerb: ['has a writable root filesystem', 'have a writable root filesystem'],
      passMessage: `${eachContainer(pc.containers.length)} runs with a read-only root filesystem.`,
      naMessage: 'The pipeline has no steps or sidecars.',
    });
  },
};
