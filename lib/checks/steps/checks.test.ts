/** Cases the YAML fixtures cannot express: data gaps and an empty registry allowlist. */
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { DataGap } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import { evaluateYaml } from '../testing';
import { SUP_003 } from '../supply-chain/sup-003-trusted-registries';
import { STP_006 } from './stp-006-bounded-resources';
import { STP_005 } from './stp-005-not-privileged';
import { stepChecks } from './index';
import { SUP_001 } from '../supply-chain/sup-001-images-pinned-by-digest';
import { SUP_002 } from '../supply-chain/sup-002-no-floating-tags';
import { SUP_004 } from '../supply-chain/sup-004-remote-tasks-pinned';

const PIPELINE = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: build, namespace: ci}
spec:
  tasks:
  - name: compile
    taskSpec:
      steps:
      - {name: make, image: golang:1.23, script: make}
`;

function withGaps(yamlText: string, gaps: DataGap[]) {
  const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
  const cluster = buildClusterModel(loadYamlText(yamlText, 'x.yaml').objects, { sourceKind: 'live', policy, gaps });
  return { cluster, policy, pipeline: cluster.pipelines[0] };
}

describe('gaps and policy', () => {
  it('STP-006 is unknown when LimitRanges cannot be read and a step has no limits', () => {
    const ctx = withGaps(PIPELINE, [{ kind: 'LimitRange', namespace: 'ci', reason: 'forbidden', message: '403' }]);
    const r = STP_006.evaluate(ctx);
    expect(r.outcome).toBe('unknown');
    expect(r.message).toContain('LimitRange');
  });
  it('STP-006 still passes under a LimitRange gap when every step has limits', () => {
    const y = PIPELINE.replace('script: make}', 'script: make, computeResources: {limits: {cpu: "1", memory: 1Gi}}}');
    const ctx = withGaps(y, [{ kind: 'LimitRange', namespace: 'ci', reason: 'forbidden', message: '403' }]);
    expect(STP_006.evaluate(ctx).outcome).toBe('pass');
  });
  it('a StepAction gap is named when a StepAction step cannot be resolved', () => {
    const y = PIPELINE.replace('- {name: make, image: golang:1.23, script: make}', '- {name: clone, ref: {name: git-clone}}');
    const ctx = withGaps(y, [{ kind: 'StepAction', namespace: null, reason: 'not-installed', message: 'CRD missing' }]);
    const r = STP_005.evaluate(ctx);
    expect(r.outcome).toBe('unknown');
    expect(r.message).toContain('StepAction');
  });
  it('SUP-003 is unknown when no allowlist is configured', () => {
    const r = evaluateYaml(SUP_003, PIPELINE);
    expect(r.pipelines[0].result.outcome).toBe('unknown');
    expect(r.pipelines[0].result.message).toMatch(/allowlist/);
  });
  it('never crashes on hostile specs', () => {
    const hostile = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: hostile, namespace: ci}
spec:
  params: [{name: p, default: [1, 2]}]
  tasks:
  - name: t
    params: [{name: image, value: "$(params.p)"}]
    taskSpec:
      params: [{name: image}]
      stepTemplate: {securityContext: "nope", computeResources: {limits: 7}}
      volumes: [{name: v, hostPath: "x"}, 3]
      steps:
      - {name: a, image: "$(params.image)", securityContext: {runAsUser: "abc", capabilities: {drop: "ALL"}}, ports: "x"}
      - {name: b, image: "@@@::", ref: {resolver: git, params: "x"}}
      - 42
      sidecars: [{image: "$($($(params.x"}]
`;
    for (const check of [...stepChecks, SUP_001, SUP_002, SUP_003, SUP_004]) expect(() => evaluateYaml(check, hostile)).not.toThrow();
  });
});
