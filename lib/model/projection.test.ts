import { describe, expect, it } from 'vitest';
import { slimObject } from './projection';

describe('slim projections of runs', () => {
  it('drops managedFields, step states and Chains blobs but keeps what checks read', () => {
    const run = {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: {
        name: 'tr',
        managedFields: [{ manager: 'x' }],
        annotations: { 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/payload-taskrun-abc': 'A'.repeat(10_000), 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: { serviceAccountName: 'sa' },
      status: {
        conditions: [{ type: 'Succeeded', status: 'True' }],
        steps: [{ name: 's', container: 'step-s', imageID: 'x@sha256:1', terminated: { message: 'log'.repeat(1000) } }],
        taskSpec: { steps: [] },
        provenance: { refSource: { uri: 'git+x' }, featureFlags: { a: true } },
      },
    };
    const slim = slimObject(run) as typeof run;
    expect(slim.metadata.managedFields).toBeUndefined();
    expect(slim.metadata.annotations).toEqual({ 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/payload-taskrun-abc': '(present)' });
    expect(slim.status.steps).toEqual([{ name: 's', container: 'step-s', imageID: 'x@sha256:1' }]);
    expect(slim.status.provenance).toEqual({ refSource: { uri: 'git+x' } });
    expect(JSON.stringify(slim).length).toBeLessThan(1000);
  });
});
