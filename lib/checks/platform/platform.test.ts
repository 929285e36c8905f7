import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { DataGap } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import type { PlatformCheck } from '../types';
import { platformChecks } from '.';
import { PLT_001 } from './plt-001-chains-installed';
import { PLT_002 } from './plt-002-slsa-provenance';
import { PLT_004 } from './plt-004-signing-key-custody';
import { PLT_005 } from './plt-005-unmatched-resources-rejected';
import { PLT_008 } from './plt-008-risky-resolvers-off';
import { PLT_009 } from './plt-009-run-history-bounded';
import { parseGoBool } from './config';

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });

function evaluate(check: PlatformCheck, yaml: string, opts: { sourceKind?: 'live' | 'files' | 'demo'; gaps?: DataGap[] } = {}) {
  const { objects } = loadYamlText(yaml, 'x.yaml');
  const cluster = buildClusterModel(objects, { sourceKind: opts.sourceKind ?? 'live', policy, gaps: opts.gaps ?? [] });
  return check.evaluate({ cluster, policy });
}

const CHAINS = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: chains-config, namespace: tekton-chains}\ndata: {artifacts.pipelinerun.format: slsa/v2alpha4}\n';
const RUN = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: r1, namespace: ci}\nspec: {pipelineRef: {name: p}}\nstatus: {conditions: [{type: Succeeded, status: "True"}], completionTime: "2026-11-20T00:00:00Z"}\n';
const forbidden = (kind: string, namespace: string | null): DataGap => ({ kind, namespace, reason: 'forbidden', message: '403' });

describe('platform checks', () => {
  it('are in catalog order with unique ids', () => {
    expect(platformChecks.map((c) => c.id)).toEqual(['PLT-001', 'PLT-002', 'PLT-003', 'PLT-004', 'PLT-005', 'PLT-006', 'PLT-007', 'PLT-008', 'PLT-009']);
  });

  it('live cluster: absent ConfigMaps mean defaults, an empty cluster has no Chains', () => {
    expect(evaluate(PLT_001, '').outcome).toBe('fail');
    expect(evaluate(PLT_002, '').outcome).toBe('not-applicable');
    expect(evaluate(PLT_005, '').outcome).toBe('fail');
    expect(evaluate(PLT_008, '').outcome).toBe('fail');
    // the demo snapshot stands for a live cluster
    expect(evaluate(PLT_005, '', { sourceKind: 'demo' }).outcome).toBe('fail');
  });

  it('files: absent ConfigMaps are unknown, not defaults', () => {
    expect(evaluate(PLT_005, '', { sourceKind: 'files' }).outcome).toBe('unknown');
    expect(evaluate(PLT_008, '', { sourceKind: 'files' }).outcome).toBe('unknown');
    expect(evaluate(PLT_001, '', { sourceKind: 'files' }).outcome).toBe('unknown');
    expect(evaluate(PLT_001, RUN, { sourceKind: 'files' }).outcome).toBe('fail');
  });

  it('Chains observed on runs without its config: defaults apply on a live cluster', () => {
    const signed = RUN.replace('metadata: {name: r1, namespace: ci}', 'metadata: {name: r1, namespace: ci, annotations: {chains.tekton.dev/signed: "true"}}');
    expect(evaluate(PLT_001, signed).outcome).toBe('pass');
    expect(evaluate(PLT_002, signed).outcome).toBe('warn'); // default in-toto
    expect(evaluate(PLT_004, signed).outcome).toBe('fail'); // default x509 key in signing-secrets
    expect(evaluate(PLT_002, signed, { sourceKind: 'files' }).outcome).toBe('unknown');
  });

  it('ConfigMap gaps make exactly the affected checks unknown', () => {
    const chainsGap = [forbidden('ConfigMap', 'tekton-chains')];
    expect(evaluate(PLT_001, RUN, { gaps: chainsGap }).outcome).toBe('unknown');
    expect(evaluate(PLT_002, RUN, { gaps: chainsGap }).outcome).toBe('unknown');
    expect(evaluate(PLT_005, '', { gaps: chainsGap }).outcome).toBe('fail'); // feature-flags lives elsewhere
    expect(evaluate(PLT_005, '', { gaps: [forbidden('ConfigMap', 'tekton-pipelines')] }).outcome).toBe('unknown');
    expect(evaluate(PLT_005, '', { gaps: [forbidden('ConfigMap', null)] }).outcome).toBe('unknown');
    // a readable chains-config wins over a run gap; no config and unreadable runs cannot tell
    expect(evaluate(PLT_001, CHAINS, { gaps: [forbidden('PipelineRun', 'ci')] }).outcome).toBe('pass');
    expect(evaluate(PLT_001, '', { gaps: [forbidden('PipelineRun', 'ci')] }).outcome).toBe('unknown');
    const resolverGap = [forbidden('ConfigMap', 'tekton-pipelines-resolvers')];
    expect(evaluate(PLT_008, '', { gaps: resolverGap }).outcome).toBe('unknown');
  });

  it('PLT-009 passes many recent runs and needs a report time to judge age', () => {
    const many = ['apiVersion: v1', 'kind: List', 'items:', '- {apiVersion: &v tekton.dev/v1, kind: &k TaskRun, metadata: {name: r0, namespace: ci}, status: {completionTime: "2026-11-18T00:00:00Z"}}'];
    for (let i = 1; i <= 5000; i++) many.push(`- {apiVersion: *v, kind: *k, metadata: {name: r${i}, namespace: ci}}`);
    const text = many.join('\n');
    expect(evaluate(PLT_009, text).outcome).toBe('pass');
    const { objects } = loadYamlText(text.replace('2026-11-18', '2025-11-18'), 'x.yaml');
    const cluster = buildClusterModel(objects, { sourceKind: 'live', policy });
    expect(PLT_009.evaluate({ cluster, policy }).outcome).toBe('fail');
    expect(PLT_009.evaluate({ cluster, policy: defaultPolicy() }).outcome).toBe('unknown');
  });

  it('parses flags like Go', () => {
    expect(parseGoBool('True')).toBe(true);
    expect(parseGoBool('0')).toBe(false);
    expect(parseGoBool('yes')).toBeNull();
  });

  it('never throws on hostile config values', () => {
    const hostile = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: chains-config, namespace: tekton-chains}\ndata:\n  artifacts.pipelinerun.format: "${'x'.repeat(10000)}"\n  artifacts.pipelinerun.storage: ",,,"\n  signers.kms.kmsref: "\\u0000"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: feature-flags, namespace: tekton-pipelines}\ndata: {set-security-context: [1, 2]}\n`;
    for (const c of platformChecks) expect(() => evaluate(c, hostile)).not.toThrow();
  });
});
