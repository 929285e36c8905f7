import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../policy/defaults';
import { buildClusterModel } from './build';
import { loadYamlText } from './load';
import { computeCredentialReach } from './reach';

const YAML = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: ci}
secrets: [{name: github-basic}, {name: plain}, {name: not-in-sight}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: pusher, namespace: ci}
secrets: [{name: ghcr}]
---
apiVersion: v1
kind: Secret
metadata: {name: github-basic, namespace: ci, annotations: {tekton.dev/git-0: https://github.com}}
---
apiVersion: v1
kind: Secret
metadata: {name: ghcr, namespace: ci, annotations: {tekton.dev/docker-0: https://ghcr.io}}
---
apiVersion: v1
kind: Secret
metadata: {name: plain, namespace: ci}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: build, namespace: ci}
spec:
  workspaces: [{name: source}, {name: creds}, {name: token}]
  tasks:
  - name: clone
    workspaces: [{name: output, workspace: source}, {name: ssh, workspace: creds}]
    taskSpec:
      workspaces: [{name: output}, {name: ssh, readOnly: true}]
      stepTemplate:
        envFrom: [{secretRef: {name: template-secret}}]
      steps:
      - name: clone
        image: git
        env:
        - {name: A, value: x}
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: api-token, key: token}}
      sidecars:
      - name: side
        image: x
        envFrom: [{configMapRef: {name: cm}}, {secretRef: {name: side-secret}}]
      volumes:
      - {name: certs, secret: {secretName: tls-certs}}
      - {name: cache, emptyDir: {}}
  finally:
  - name: push
    workspaces: [{name: src, workspace: source}, {name: t, workspace: token}]
    taskSpec:
      workspaces: [{name: src}, {name: t}]
      steps: [{name: push, image: crane}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-old, namespace: ci}
spec:
  pipelineRef: {name: build}
  workspaces: [{name: source, persistentVolumeClaim: {claimName: old}}]
status: {startTime: "2026-11-19T10:00:00Z"}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: build-new, namespace: ci}
spec:
  pipelineRef: {name: build}
  taskRunTemplate: {serviceAccountName: builder}
  taskRunSpecs: [{pipelineTaskName: push, serviceAccountName: pusher}]
  workspaces:
  - {name: source, emptyDir: {}}
  - {name: creds, secret: {secretName: deploy-key}}
  - name: token
    projected:
      sources:
      - secret: {name: registry-token}
      - serviceAccountToken: {path: token, audience: vault}
status: {startTime: "2026-11-20T10:00:00Z"}
`;

function model(yamlText: string) {
  const loaded = loadYamlText(yamlText, 'reach.yaml');
  expect(loaded.issues).toEqual([]);
  return buildClusterModel(loaded.objects, { sourceKind: 'files', policy: defaultPolicy() });
}

describe('computeCredentialReach', () => {
  const cluster = model(YAML);
  const p = cluster.pipelines.find((x) => x.id === 'ci/build')!;

  it('binds workspaces as the newest run does, with the task-side readOnly', () => {
    const reach = computeCredentialReach(p, cluster);
    const clone = reach.find((r) => r.task === 'clone')!;
    expect(clone.workspaces).toEqual([
      { workspace: 'source', binding: 'emptyDir', secretName: null, readOnly: false },
      { workspace: 'creds', binding: 'secret', secretName: 'deploy-key', readOnly: true },
    ]);
  });

  it('finds secret workspaces, env, envFrom (steps, sidecars, stepTemplate), secret volumes and creds-init', () => {
    const clone = computeCredentialReach(p, cluster).find((r) => r.task === 'clone')!;
    expect(clone.serviceAccountName).toBe('builder');
    expect(clone.credentials.map((c) => `${c.via}:${c.secretName}`).sort()).toEqual(
      ['workspace:deploy-key', 'env:api-token', 'envFrom:side-secret', 'envFrom:template-secret', 'volume:tls-certs', 'creds-init:github-basic'].sort(),
    );
    const env = clone.credentials.find((c) => c.via === 'env')!;
    expect(env.path).toBe('spec.tasks[0].taskSpec.steps[0].env[1].valueFrom.secretKeyRef');
    expect(clone.credentials.find((c) => c.via === 'workspace')!.path).toBe('spec.tasks[0].workspaces[1]');
  });

  it('uses the taskRunSpecs service account for creds-init and reads projected sources (finally tasks included)', () => {
    const push = computeCredentialReach(p, cluster).find((r) => r.task === 'push')!;
    expect(push.serviceAccountName).toBe('pusher');
    expect(push.credentials.map((c) => `${c.via}:${c.secretName}`).sort()).toEqual(['creds-init:ghcr', 'projected:registry-token', 'projected:serviceAccountToken'].sort());
  });

  it('honours disable-creds-init', () => {
    const reach = computeCredentialReach(p, cluster, true);
    expect(reach.flatMap((r) => r.credentials).some((c) => c.via === 'creds-init')).toBe(false);
  });

  it('is filled in by the model builder', () => {
    expect(p.credentialReach.map((r) => r.task)).toEqual(['clone', 'push']);
  });

  it('without runs: bindings unbound, no service account, no creds-init', () => {
    const c = model(YAML.split('---').filter((d) => !d.includes('kind: PipelineRun')).join('---'));
    const reach = computeCredentialReach(c.pipelines[0], c);
    expect(reach[0].workspaces.every((w) => w.binding === 'unbound')).toBe(true);
    expect(reach[0].serviceAccountName).toBe('');
    expect(reach[0].credentials.some((x) => x.via === 'creds-init' || x.via === 'workspace')).toBe(false);
  });

  it('returns nothing when the spec is not in sight', () => {
    expect(computeCredentialReach({ ...p, spec: null }, cluster)).toEqual([]);
  });
});
