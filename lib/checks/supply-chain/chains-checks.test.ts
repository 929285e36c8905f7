import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { DataGap } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import type { PipelineCheck } from '../types';
import { supplyChainChecks } from '.';
import { SUP_005 } from './sup-005-runs-signed-by-chains';
import { SUP_006 } from './sup-006-signatures-carry-evidence';
import { SUP_008 } from './sup-008-task-definitions-verified';

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });

function evaluate(check: PipelineCheck, yaml: string, opts: { sourceKind?: 'live' | 'files'; gaps?: DataGap[] } = {}) {
  const { objects } = loadYamlText(yaml, 'x.yaml');
  const cluster = buildClusterModel(objects, { sourceKind: opts.sourceKind ?? 'live', policy, gaps: opts.gaps ?? [] });
  return cluster.pipelines.map((pipeline) => check.evaluate({ pipeline, cluster, policy }));
}

const run = (annotations: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: r1, namespace: ci, labels: {tekton.dev/pipeline: p}, annotations: {${annotations}}}
spec: {pipelineRef: {name: p}}
status: {conditions: [{type: Succeeded, status: "True"}], completionTime: "2026-11-20T00:00:00Z"}
`;

describe('supply-chain index', () => {
  it('lists SUP-001…SUP-010 in catalog order', () => {
    expect(supplyChainChecks.map((c) => c.id)).toEqual(['SUP-001', 'SUP-002', 'SUP-003', 'SUP-004', 'SUP-005', 'SUP-006', 'SUP-007', 'SUP-008', 'SUP-009', 'SUP-010']);
  });
});

describe('SUP-005 / SUP-006 with live data', () => {
  it('a live cluster without chains-config: SUP-006 applies the tekton-storage default', () => {
    expect(evaluate(SUP_006, run('chains.tekton.dev/signed: "true"'))[0].outcome).toBe('fail');
  });
  it('an unreadable chains-config makes unsigned runs and bare markers unknown', () => {
    const gaps: DataGap[] = [{ kind: 'ConfigMap', namespace: 'tekton-chains', reason: 'forbidden', message: '403' }];
    expect(evaluate(SUP_005, run(''), { gaps })[0]).toMatchObject({ outcome: 'unknown' });
    expect(evaluate(SUP_005, run(''), { gaps })[0].message).toContain('could not be read');
    expect(evaluate(SUP_006, run('chains.tekton.dev/signed: "true"'), { gaps })[0].outcome).toBe('unknown');
  });
  it('transparency manual counts only for runs that asked for an upload', () => {
    const cfg = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: chains-config, namespace: tekton-chains}\ndata: {transparency.enabled: manual, artifacts.pipelinerun.storage: oci}\n---\n';
    expect(evaluate(SUP_006, cfg + run('chains.tekton.dev/signed: "true"'))[0].outcome).toBe('unknown');
    expect(evaluate(SUP_006, cfg + run('chains.tekton.dev/signed: "true", chains.tekton.dev/transparency-upload: "true"'))[0].outcome).toBe('fail');
  });
});

describe('SUP-008 robustness', () => {
  it('survives hostile patterns and refs', () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p, namespace: ci}
spec:
  tasks:
  - name: t
    taskRef: {resolver: git, params: [{name: url, value: "${'a'.repeat(5000)}!"}]}
---
apiVersion: tekton.dev/v1alpha1
kind: VerificationPolicy
metadata: {name: v, namespace: ci}
spec:
  resources:
  - pattern: "(a|a)*!"
  - pattern: "a*a*a*a*!"
  - pattern: "[unclosed"
  - pattern: 42
  - {}
  mode: enforce
`;
    const t0 = Date.now();
    const [r] = evaluate(SUP_008, yaml);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.outcome).toBe('unknown');
  });
});
