import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { ClusterModel, K8sObject } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import { WSP_002 } from './wsp-002-no-credential-hand-off-through-shared-volumes';

const here = dirname(fileURLToPath(import.meta.url));
const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const FIXTURE = readFileSync(join(here, 'testdata/WSP-002/warn-creds-init-finally.yaml'), 'utf8');

const FEATURE_FLAGS_OFF = `
apiVersion: v1
kind: ConfigMap
metadata: {name: feature-flags, namespace: tekton-pipelines}
data: {disable-creds-init: "true"}
`;

function objects(extra = ''): K8sObject[] {
  const loaded = loadYamlText(`${FIXTURE}\n---\n${extra}`, 'fixture.yaml');
  return loaded.objects;
}

/** What the live source would hold: everything but Secrets, which it never reads. */
const liveView = (objs: K8sObject[]) => objs.filter((o) => o.kind !== 'Secret');

function wsp002(objs: K8sObject[], sourceKind: ClusterModel['sourceKind']) {
  const cluster = buildClusterModel(objs, { sourceKind, policy });
  const pipeline = cluster.pipelines.find((p) => p.name === 'build');
  if (!pipeline) throw new Error('fixture has no pipeline "build"');
  return { result: WSP_002.evaluate({ pipeline, cluster, policy }), pipeline };
}

describe('creds-init secrets the live source cannot see', () => {
  it('the same pipeline warns offline (annotated Secret in the files) and is unknown live, never a pass', () => {
    expect(wsp002(objects(), 'files').result.outcome).toBe('warn');
    const live = wsp002(liveView(objects()), 'live');
    expect(live.result.outcome).toBe('unknown');
    expect(live.result.message).toContain('"github-basic" may be creds-init credentials');
    expect(live.result.message).toContain('the live source does not read Secrets');
    expect(live.result.evidence.some((e) => e.kind === 'ServiceAccount' && e.name === 'builder' && e.path === 'secrets[0]')).toBe(true);
  });

  it('carries the possible creds-init credential in the reach model, for the DAG to show', () => {
    const { pipeline } = wsp002(liveView(objects()), 'live');
    const clone = pipeline.credentialReach.find((r) => r.task === 'clone');
    expect(clone?.credentials).toEqual([]);
    expect(clone?.possibleCredsInit).toEqual([{ secretName: 'github-basic', path: 'secrets[0]' }]);
  });

  it('is decided live when disable-creds-init is true: no credential, nothing to hand off', () => {
    const live = wsp002(liveView(objects(FEATURE_FLAGS_OFF)), 'live');
    expect(live.result.outcome).toBe('not-applicable');
    expect(live.pipeline.credentialReach.every((r) => (r.possibleCredsInit ?? []).length === 0)).toBe(true);
  });

  it('is decided live when the service account lists no secrets', () => {
    const objs = liveView(objects()).map((o) => (o.kind === 'ServiceAccount' ? { ...o, raw: { ...o.raw, secrets: [] } } : o));
    expect(wsp002(objs, 'live').result.outcome).toBe('not-applicable');
  });

  it('still warns live when another readable credential (a secretKeyRef) makes the hand-off certain', () => {
    const withEnv = FIXTURE.replace(
      '{name: clone, image: cgr.dev/chainguard/git, script:',
      '{name: clone, image: cgr.dev/chainguard/git, env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: gh, key: token}}}], script:',
    );
    const objs = loadYamlText(withEnv, 'fixture.yaml').objects.filter((o) => o.kind !== 'Secret');
    expect(wsp002(objs, 'live').result.outcome).toBe('warn');
  });
});
