import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from './build';
import { parsePublicKey, parsePublicKeys, pae, verifyRun } from './chains-verify';
import { loadYamlText, makeObject } from './load';
import { slimObject } from './projection';
import { defaultPolicy } from '../policy/defaults';

const TYPE = 'application/vnd.in-toto+json';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const statement = (kind = 'TaskRun', digest = DIGEST) =>
  JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://slsa.dev/provenance/v1', subject: [{ name: 'img', digest: { sha256: digest.slice(7) } }], predicate: { buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: { runSpec: kind === 'TaskRun' ? { taskRef: { name: 't' } } : { pipelineRef: { name: 'p' } } } }, runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } } } });

function envelope(body: string, key: KeyObject, alg: string | null = 'sha256', padding?: number): string {
  const sig = sign(alg, pae(TYPE, Buffer.from(body)), padding === undefined ? key : { key, padding });
  return b64(JSON.stringify({ payloadType: TYPE, payload: b64(body), signatures: [{ keyid: '', sig: b64(sig) }] }));
}

function taskRun(signature: string, payload?: string) {
  const raw = {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: 'tr', namespace: 'ci', annotations: { 'chains.tekton.dev/signed': 'true', 'chains.tekton.dev/signature-taskrun-u1': signature, ...(payload ? { 'chains.tekton.dev/payload-taskrun-u1': payload } : {}) } },
    status: { conditions: [{ type: 'Succeeded', status: 'True' }], results: [{ name: 'IMAGE_URL', value: 'img' }, { name: 'IMAGE_DIGEST', value: DIGEST }] },
  };
  return raw;
}
const obj = (raw: Record<string, unknown>) => makeObject(raw, 'TaskRun', 'tekton.dev/v1', 'tr', {});
const pemOf = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

describe('verifyRun', () => {
  for (const [name, pair, alg] of [
    ['ECDSA P-256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), 'sha256'],
    ['ed25519', generateKeyPairSync('ed25519'), null],
    ['RSA', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'sha256'],
  ] as const) {
    it(`verifies a ${name} signature and rejects a tampered payload`, () => {
      const keys = parsePublicKeys([pemOf(pair.publicKey)]);
      expect(keys).toHaveLength(1);
      const good = verifyRun(obj(taskRun(envelope(statement(), pair.privateKey, alg), b64(statement()))), 'TaskRun', { keys });
      expect(good).toMatchObject({ verdict: 'verified', summary: { builderId: 'https://tekton.dev/chains/v2', runSpecKind: 'TaskRun' } });
      const tampered = verifyRun(obj(taskRun(envelope(statement(), pair.privateKey, alg), b64(statement('TaskRun', `sha256:${'cd'.repeat(32)}`)))), 'TaskRun', { keys });
      expect(tampered.verdict).toBe('bad-signature');
    });
  }

  it('tells subject and kind mismatches apart, and says when no key is configured', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keys = parsePublicKeys([pemOf(pair.publicKey)]);
    const other = statement('TaskRun', `sha256:${'cd'.repeat(32)}`);
    expect(verifyRun(obj(taskRun(envelope(other, pair.privateKey))), 'TaskRun', { keys }).verdict).toBe('subject-mismatch');
    expect(verifyRun(obj(taskRun(envelope(statement('PipelineRun'), pair.privateKey))), 'TaskRun', { keys }).verdict).toBe('kind-mismatch');
    expect(verifyRun(obj(taskRun(envelope(statement(), pair.privateKey))), 'TaskRun', { keys: [] }).verdict).toBe('no-key-configured');
  });

  it('never throws on hostile annotations', () => {
    const keys = parsePublicKeys([pemOf(generateKeyPairSync('ed25519').publicKey)]);
    for (const bad of ['', '<img src=x>', b64('null'), b64('{"payloadType":1}'), b64(JSON.stringify({ payloadType: TYPE, payload: '!!', signatures: [{ sig: 5 }] })), 'A'.repeat(600 * 1024)]) {
      const v = verifyRun(obj(taskRun(bad || ' ')), 'TaskRun', { keys });
      expect(['malformed', 'not-stored']).toContain(v.verdict);
    }
  });

  it('reads a live projection as payload not kept', () => {
    const pair = generateKeyPairSync('ed25519');
    const slim = slimObject(taskRun(envelope(statement(), pair.privateKey, null)));
    expect(verifyRun(obj(slim), 'TaskRun', { keys: parsePublicKeys([pemOf(pair.publicKey)]) }).verdict).toBe('payload-not-kept');
  });

  it('refuses private keys and junk as configured keys', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(parsePublicKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toContain('private key');
    expect(typeof parsePublicKey('not a key')).toBe('string');
  });

  it('marks a verified run signed-verified in the model', () => {
    const pair = generateKeyPairSync('ed25519');
    const yaml = JSON.stringify({ ...taskRun(envelope(statement(), pair.privateKey, null)), metadata: { ...taskRun('').metadata, labels: { 'tekton.dev/pipelineRun': 'pr' }, annotations: taskRun(envelope(statement(), pair.privateKey, null)).metadata.annotations } });
    const pr = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: pr, namespace: ci}\nspec: {pipelineRef: {name: p}}\nstatus: {conditions: [{type: Succeeded, status: "True"}]}\n---\n';
    const { objects } = loadYamlText(pr + yaml, 'x.yaml');
    const model = buildClusterModel(objects, { sourceKind: 'files', policy: defaultPolicy({ chains: { publicKeys: [pemOf(pair.publicKey)] } }) });
    const tr = model.pipelines[0].runs[0].taskRuns[0];
    expect(tr.chains.state).toBe('signed-verified');
  });
});
