import { describe, expect, it } from 'vitest';
import { makeObject } from '../model/load';
import { BLOB_NOT_KEPT, slimObject } from '../model/projection';
import { decodePayloads } from './chains';

const run = (annotations: Record<string, string>) => {
  const raw = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r', namespace: 'ci', annotations } };
  return raw;
};
const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://slsa.dev/provenance/v0.2', subject: [{ name: 'img', digest: { sha256: 'ab' } }] })).toString('base64');

describe('decodePayloads', () => {
  it('decodes an in-toto statement, and reports a broken one as such', () => {
    const o = makeObject(run({ 'chains.tekton.dev/payload-taskrun-1': statement, 'chains.tekton.dev/payload-taskrun-2': '<img src=x>' }), 'TaskRun', 'tekton.dev/v1', 'r', {});
    const [good, bad] = decodePayloads(o);
    expect(good).toMatchObject({ ok: true, predicateType: 'https://slsa.dev/provenance/v0.2', subjects: [{ name: 'img', digest: 'sha256:ab' }] });
    expect(bad).toMatchObject({ ok: false, error: 'not valid base64' });
  });

  it('a payload the live source did not keep is present, not broken', () => {
    const slim = slimObject(run({ 'chains.tekton.dev/payload-taskrun-1': statement }));
    expect((slim.metadata as { annotations: Record<string, string> }).annotations['chains.tekton.dev/payload-taskrun-1']).toBe(BLOB_NOT_KEPT);
    const [p] = decodePayloads(makeObject(slim, 'TaskRun', 'tekton.dev/v1', 'r', {}));
    expect(p).toMatchObject({ ok: false, notKept: true });
    expect(p.error).toBeUndefined();
  });
});
