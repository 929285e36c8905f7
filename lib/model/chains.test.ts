import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { artifactTypeEnabled, chainsInfoOf, httpUrlOrNull, runStatusOf } from './chains';
import { makeObject } from './load';
import type { K8sObject, RunStatus } from './types';

function run(opts: { kind?: string; annotations?: Record<string, unknown>; finalizers?: unknown; status?: unknown } = {}): K8sObject {
  const kind = opts.kind ?? 'PipelineRun';
  const raw: Record<string, unknown> = {
    apiVersion: 'tekton.dev/v1',
    kind,
    metadata: { name: 'r', namespace: 'ci', annotations: opts.annotations ?? {}, finalizers: opts.finalizers ?? [] },
  };
  if (opts.status !== undefined) raw.status = opts.status;
  return makeObject(raw, kind, 'tekton.dev/v1', 'r', {});
}

const cond = (status: string, reason?: string) => ({ conditions: [{ type: 'Succeeded', status, ...(reason ? { reason } : {}) }] });

describe('runStatusOf', () => {
  const cases: [unknown, RunStatus][] = [
    [cond('True', 'Succeeded'), 'succeeded'],
    [cond('True', 'Completed'), 'succeeded'],
    [cond('False', 'Failed'), 'failed'],
    [cond('False', 'ResourceVerificationFailed'), 'failed'],
    [cond('False', 'Cancelled'), 'cancelled'],
    [cond('False', 'PipelineRunCancelled'), 'cancelled'],
    [cond('False', 'TaskRunCancelled'), 'cancelled'],
    [cond('Unknown', 'Running'), 'running'],
    [cond('Unknown'), 'running'],
    [cond('Unknown', 'PipelineRunPending'), 'pending'],
    [cond('Unknown', 'Pending'), 'pending'],
    [cond('Maybe'), 'unknown'],
    [{ conditions: [{ type: 'Ready', status: 'True' }] }, 'unknown'],
    [{ conditions: 'nope' }, 'unknown'],
    [{}, 'unknown'],
    ['garbage', 'unknown'],
  ];
  for (const [status, expected] of cases) {
    it(`${JSON.stringify(status)} → ${expected}`, () => expect(runStatusOf(run({ status }))).toBe(expected));
  }
  it('no status → unknown', () => expect(runStatusOf(run())).toBe('unknown'));
});

describe('httpUrlOrNull', () => {
  it('keeps http(s) URLs', () => {
    expect(httpUrlOrNull('https://rekor.sigstore.dev/api/v1/log/entries?logIndex=12')).toBe('https://rekor.sigstore.dev/api/v1/log/entries?logIndex=12');
    expect(httpUrlOrNull('http://rekor.internal:3000/api/v1/log/entries?logIndex=1')).not.toBeNull();
  });
  it('drops everything else', () => {
    for (const v of ['', 'true', 'javascript:alert(1)', 'file:///etc/passwd', 'rekor.sigstore.dev/x', 'https://a b', `https://x/${'a'.repeat(5000)}`, 'https://']) {
      expect(httpUrlOrNull(v)).toBeNull();
    }
    expect(httpUrlOrNull(undefined)).toBeNull();
  });
});

describe('artifactTypeEnabled', () => {
  it('defaults to enabled (tekton storage, x509 signer)', () => {
    expect(artifactTypeEnabled({}, 'taskrun')).toBe(true);
    expect(artifactTypeEnabled({}, 'pipelinerun')).toBe(true);
    expect(artifactTypeEnabled({}, 'oci')).toBe(true);
  });
  it('is disabled by empty storage or the none signer', () => {
    expect(artifactTypeEnabled({ 'artifacts.taskrun.storage': '' }, 'taskrun')).toBe(false);
    expect(artifactTypeEnabled({ 'artifacts.taskrun.storage': ' , ' }, 'taskrun')).toBe(false);
    expect(artifactTypeEnabled({ 'artifacts.pipelinerun.signer': 'none' }, 'pipelinerun')).toBe(false);
    expect(artifactTypeEnabled({ 'artifacts.pipelinerun.storage': 'oci,tekton' }, 'pipelinerun')).toBe(true);
  });
});

describe('chainsInfoOf', () => {
  const done = cond('True', 'Succeeded');
  const cfg = { chainsConfig: {}, hasImageResults: false };

  it('not-finished for running, pending and unknown runs, even with annotations', () => {
    for (const status of ['running', 'pending', 'unknown'] as const) {
      expect(chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'true' } }), status, 'PipelineRun', cfg).state).toBe('not-finished');
    }
  });
  it('failed', () => {
    const i = chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'failed' } }), 'succeeded', 'PipelineRun', cfg);
    expect(i.state).toBe('failed');
    expect(i.signed).toBe('failed');
  });
  it('signed-with-evidence by transparency', () => {
    const url = 'https://rekor.sigstore.dev/api/v1/log/entries?logIndex=42';
    const i = chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/transparency': url } }), 'succeeded', 'PipelineRun', cfg);
    expect(i.state).toBe('signed-with-evidence');
    expect(i.transparencyUrl).toBe(url);
  });
  it('signed-with-evidence by payload or signature', () => {
    const a = chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/payload-pipelinerun-1234': 'eyJ9' } }), 'failed', 'PipelineRun', cfg);
    expect(a.state).toBe('signed-with-evidence');
    expect(a.payloadKeys).toEqual(['pipelinerun-1234']);
    const b = chainsInfoOf(run({ kind: 'TaskRun', annotations: { 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/signature-taskrun-9': 'MEUC' } }), 'cancelled', 'TaskRun', cfg);
    expect(b.state).toBe('signed-with-evidence');
    expect(b.signatureKeys).toEqual(['taskrun-9']);
  });
  it('marked-signed when the marker stands alone, or the evidence is hostile/empty', () => {
    expect(chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'true' } }), 'succeeded', 'PipelineRun', cfg).state).toBe('marked-signed');
    const i = chainsInfoOf(
      run({ annotations: { 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/transparency': 'not a url', 'chains.tekton.dev/payload-x': '  ', 'chains.tekton.dev/cert-x': 'abc' } }),
      'succeeded',
      'PipelineRun',
      cfg,
    );
    expect(i.state).toBe('marked-signed');
    expect(i.transparencyUrl).toBeNull();
    expect(i.payloadKeys).toEqual([]);
  });
  it('retrying', () => {
    const i = chainsInfoOf(run({ annotations: { 'chains.tekton.dev/retries': '2' } }), 'succeeded', 'PipelineRun', cfg);
    expect(i.state).toBe('retrying');
    expect(i.retries).toBe(2);
    expect(chainsInfoOf(run({ annotations: { 'chains.tekton.dev/retries': 'lots' } }), 'succeeded', 'PipelineRun', cfg)).toMatchObject({ state: 'retrying', retries: null });
  });
  it('pending when finished without annotations', () => {
    const i = chainsInfoOf(run({ status: done }), 'succeeded', 'PipelineRun', cfg);
    expect(i.state).toBe('pending');
    expect(i.signed).toBeNull();
    expect(chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'yes' } }), 'succeeded', 'PipelineRun', cfg).state).toBe('pending');
  });
  it('not-signable: PipelineRun attestations disabled', () => {
    for (const chainsConfig of [{ 'artifacts.pipelinerun.storage': '' }, { 'artifacts.pipelinerun.signer': 'none' }] as Record<string, string>[]) {
      expect(chainsInfoOf(run(), 'succeeded', 'PipelineRun', { chainsConfig, hasImageResults: false }).state).toBe('not-signable');
    }
  });
  it('not-signable: TaskRun attestations disabled and no image results', () => {
    const chainsConfig = { 'artifacts.taskrun.storage': '' };
    expect(chainsInfoOf(run({ kind: 'TaskRun' }), 'succeeded', 'TaskRun', { chainsConfig, hasImageResults: false }).state).toBe('not-signable');
    expect(chainsInfoOf(run({ kind: 'TaskRun' }), 'succeeded', 'TaskRun', { chainsConfig, hasImageResults: true }).state).toBe('pending');
    expect(
      chainsInfoOf(run({ kind: 'TaskRun' }), 'succeeded', 'TaskRun', { chainsConfig: { ...chainsConfig, 'artifacts.oci.signer': 'none' }, hasImageResults: true }).state,
    ).toBe('not-signable');
    expect(chainsInfoOf(run({ kind: 'TaskRun' }), 'succeeded', 'TaskRun', { chainsConfig: { 'artifacts.pipelinerun.storage': '' }, hasImageResults: false }).state).toBe('pending');
  });
  it('terminal annotations win over not-signable', () => {
    const chainsConfig = { 'artifacts.pipelinerun.storage': '' };
    expect(chainsInfoOf(run({ annotations: { 'chains.tekton.dev/signed': 'true' } }), 'succeeded', 'PipelineRun', { chainsConfig, hasImageResults: false }).state).toBe('marked-signed');
  });
  it('sees Chains finalizers', () => {
    expect(chainsInfoOf(run({ finalizers: ['chains.tekton.dev/pipelinerun'] }), 'running', 'PipelineRun', cfg).hasChainsFinalizer).toBe(true);
    expect(chainsInfoOf(run({ finalizers: ['chains.tekton.dev'] }), 'running', 'PipelineRun', cfg).hasChainsFinalizer).toBe(true);
    expect(chainsInfoOf(run({ finalizers: ['example.com/x'] }), 'running', 'PipelineRun', cfg).hasChainsFinalizer).toBe(false);
  });
  it('caps keys and never throws on hostile annotations', () => {
    const annotations: Record<string, string> = { 'chains.tekton.dev/signed': 'true'.padEnd(10_000, 'x') };
    for (let i = 0; i < 500; i++) annotations[`chains.tekton.dev/payload-${i}`] = 'x';
    const info = chainsInfoOf(run({ annotations }), 'succeeded', 'PipelineRun', cfg);
    expect(info.payloadKeys.length).toBeLessThanOrEqual(50);
    expect((info.signed ?? '').length).toBeLessThanOrEqual(64);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.constantFrom<RunStatus>('succeeded', 'failed', 'running'), (ann, status) => {
        const a: Record<string, string> = {};
        for (const [k, v] of Object.entries(ann)) a[`chains.tekton.dev/${k}`] = v;
        const i = chainsInfoOf(run({ annotations: a }), status, 'TaskRun', { chainsConfig: {}, hasImageResults: false });
        expect(typeof i.state).toBe('string');
      }),
      { numRuns: 200 },
    );
  });
});
