/** Outcomes that depend on data gaps (403s, kinds not installed), which YAML fixtures cannot express. */
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { DataGap } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import { INJ_003 } from '../injection/inj-003-webhook-payloads-kept-out-of-scripts';
import type { PipelineCheck } from '../types';
import { WSP_002 } from '../workspaces/wsp-002-no-credential-hand-off-through-shared-volumes';
import { WSP_004 } from '../workspaces/wsp-004-no-readwritemany-sharing';
import { namespaceChecks } from './index';

const YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: ci, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: build, namespace: ci}
spec:
  tasks:
  - name: test
    taskSpec:
      steps: [{name: test, image: golang, script: "go test ./..."}]
`;

function run(check: PipelineCheck, gaps: DataGap[], yaml = YAML) {
  const policy = defaultPolicy();
  const cluster = buildClusterModel(loadYamlText(yaml, 'g.yaml').objects, { sourceKind: 'live', policy, gaps });
  return check.evaluate({ pipeline: cluster.pipelines[0], cluster, policy });
}

describe('gaps make checks unknown', () => {
  const cases: [string, string][] = [
    ['NSG-001', 'Namespace'],
    ['NSG-002', 'NetworkPolicy'],
    ['NSG-003', 'ResourceQuota'],
    ['NSG-004', 'LimitRange'],
    ['NSG-005', 'TaskRun'],
  ];
  for (const [id, kind] of cases) {
    it(`${id} with ${kind} forbidden → unknown`, () => {
      const check = namespaceChecks.find((c) => c.id === id)!;
      expect(check.needs).toContain(kind);
      const r = run(check, [{ kind, namespace: 'ci', reason: 'forbidden', message: '403' }]);
      expect(r.outcome).toBe('unknown');
      expect(r.message).toContain('forbidden');
    });
    it(`${id} ignores a gap in another namespace`, () => {
      const check = namespaceChecks.find((c) => c.id === id)!;
      expect(run(check, [{ kind, namespace: 'other', reason: 'forbidden', message: '403' }]).outcome).not.toBe('unknown');
    });
  }

  const TRIGGERED = `${YAML}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: t, namespace: ci}
spec:
  resourcetemplates:
  - apiVersion: tekton.dev/v1
    kind: PipelineRun
    metadata: {generateName: build-}
    spec: {pipelineRef: {name: build}}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el, namespace: ci}
spec:
  triggers: [{name: push, bindings: [{name: rev, value: $(body.after)}], template: {ref: t}}]
`;
  it('INJ-003: Triggers not installed → not-applicable; bindings forbidden → unknown', () => {
    expect(run(INJ_003, [{ kind: 'TriggerBinding', namespace: null, reason: 'not-installed', message: '' }]).outcome).toBe('not-applicable');
    expect(run(INJ_003, [{ kind: 'TriggerTemplate', namespace: 'ci', reason: 'forbidden', message: '' }]).outcome).toBe('unknown');
    expect(run(INJ_003, [{ kind: 'TriggerBinding', namespace: 'ci', reason: 'forbidden', message: '' }], TRIGGERED).outcome).toBe('unknown');
    expect(run(INJ_003, [], TRIGGERED).outcome).toBe('pass');
  });

  it('WSP-002: a ServiceAccount gap turns a pass into unknown', () => {
    expect(WSP_002.needs).not.toContain('ServiceAccount');
    const yaml = `${YAML}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-1, namespace: ci}
spec: {pipelineRef: {name: build}}
`;
    const withEnvSecret = yaml.replace('script: "go test ./..."', 'script: "go test ./...", env: [{name: T, valueFrom: {secretKeyRef: {name: s, key: k}}}]');
    expect(run(WSP_002, [], withEnvSecret).outcome).toBe('pass');
    expect(run(WSP_002, [{ kind: 'ServiceAccount', namespace: 'ci', reason: 'forbidden', message: '' }], withEnvSecret).outcome).toBe('unknown');
  });

  it('WSP-004: a PVC gap makes a claimed workspace unknown', () => {
    const yaml = `${YAML}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-1, namespace: ci}
spec:
  pipelineRef: {name: build}
  workspaces: [{name: w, persistentVolumeClaim: {claimName: c}}]
`;
    expect(run(WSP_004, [{ kind: 'PersistentVolumeClaim', namespace: 'ci', reason: 'forbidden', message: '' }], yaml).outcome).toBe('unknown');
  });
});
