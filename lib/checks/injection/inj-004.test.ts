import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { DataGap } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import { INJ_004 } from './inj-004-untrusted-pull-requests-kept-away-from-credentials';

const RUN = `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: pr-build
  namespace: ci
  annotations: {pipelinesascode.tekton.dev/on-event: "[pull_request]"}
spec:
  taskRunTemplate: {serviceAccountName: builder}
  pipelineSpec:
    tasks:
    - name: build
      taskSpec:
        steps: [{name: make, image: golang, script: make test}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: ci}
secrets: [{name: github-basic-auth}]
`;
const SECRET = `
---
apiVersion: v1
kind: Secret
metadata: {name: github-basic-auth, namespace: ci, annotations: {tekton.dev/git-0: https://github.com}}
type: kubernetes.io/basic-auth
`;

function outcome(yaml: string, sourceKind: 'live' | 'files', gaps: DataGap[] = []) {
  const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
  const cluster = buildClusterModel(loadYamlText(yaml).objects, { sourceKind, policy, gaps });
  return INJ_004.evaluate({ pipeline: cluster.pipelines[0], cluster, policy });
}

describe('INJ-004 and creds-init', () => {
  it('is unknown live when the service account lists secrets whose annotations cannot be read', () => {
    const r = outcome(RUN, 'live');
    expect(r.outcome).toBe('unknown');
    expect(r.message).toContain('creds-init');
  });
  it('passes offline when no Secret in sight says creds-init would mount it, and fails when one does', () => {
    expect(outcome(RUN, 'files').outcome).toBe('pass');
    const r = outcome(RUN + SECRET, 'files');
    expect(r.outcome).toBe('fail');
    expect(r.message).toContain('creds-init github-basic-auth');
  });
});

describe('INJ-004 and gaps', () => {
  const PLAIN = RUN.replace('annotations: {pipelinesascode.tekton.dev/on-event: "[pull_request]"}', 'annotations: {}');
  it('is not-applicable with no trigger, unknown when Trigger objects or runs could not be read, not when Triggers is not installed', () => {
    expect(outcome(PLAIN, 'live').outcome).toBe('not-applicable');
    expect(outcome(PLAIN, 'live', [{ kind: 'EventListener', namespace: 'ci', reason: 'forbidden', message: '403' }]).outcome).toBe('unknown');
    expect(outcome(PLAIN, 'live', [{ kind: 'PipelineRun', namespace: null, reason: 'forbidden', message: '403' }]).outcome).toBe('unknown');
    expect(outcome(PLAIN, 'live', [{ kind: 'Trigger', namespace: null, reason: 'not-installed', message: '' }]).outcome).toBe('not-applicable');
  });
});
