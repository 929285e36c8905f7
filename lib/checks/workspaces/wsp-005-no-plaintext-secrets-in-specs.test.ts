import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateYaml } from '../testing';
import { WSP_005 } from './wsp-005-no-plaintext-secrets-in-specs';

const dir = join(import.meta.dirname, 'testdata', 'WSP-005');
const evaluate = (file: string) => evaluateYaml(WSP_005, readFileSync(join(dir, file), 'utf8')).pipelines.map((p) => p.result);

describe('WSP-005 fail fixtures fail for the reason they were written for', () => {
  it.each([
    ['fail-dockerhub-pat-env.yaml', 'secretlint:docker', 'env[0].value'],
    ['fail-docker-config-auth-env.yaml', 'docker-config-auth', 'env[0].value'],
    ['fail-slack-webhook-param-default.yaml', 'secretlint:slack', 'spec.params[0].default'],
    ['fail-sas-url-run-param.yaml', 'signed-url', 'spec.params[0]'],
    ['fail-presigned-urls-steptemplate-sidecar.yaml', 'signed-url', 'stepTemplate.env[0].value'],
    ['fail-presigned-urls-steptemplate-sidecar.yaml', 'signed-url', 'sidecars[0].env[0].value'],
    ['fail-npm-token-run-param.yaml', 'secretlint:npm', 'spec.params[0]'],
    ['fail-gcp-service-account-json-default.yaml', 'secretlint:gcp', 'params[0].default'],
    ['fail-aws-documented-example-key.yaml', 'aws-example', 'env[0].value'],
    ['fail-taskrun-param-password.yaml', 'name:password', 'spec.params[0].value'],
    ['fail-token-under-secret-name.yaml', 'name:token', 'env[0].value'],
    ['fail-resolver-url-password.yaml', 'secretlint:basicauth', 'taskRef.params[name=url]'],
  ])('%s → %s at …%s', (file, rule, path) => {
    const [r] = evaluate(file);
    expect(r.outcome).toBe('fail');
    expect(r.evidence.some((e) => e.path.endsWith(path) && e.value?.endsWith(`[${rule}]`)), JSON.stringify(r.evidence)).toBe(true);
  });

  it('evidence never carries the credential itself', () => {
    const secrets: [string, string][] = [
      ['fail-dockerhub-pat-env.yaml', 'Xq7LmP2vR9tY4wK1nB6cD3fG8hJ'],
      ['fail-slack-webhook-param-default.yaml', 'q8Zr2LxV0pN7tK4mW9bC1dF6'],
      ['fail-sas-url-run-param.yaml', 'q8Zr2LxV0pN7tK4mW9bC1dF6'],
      ['fail-taskrun-param-password.yaml', 'S3cure!Passw0rd'],
      ['fail-resolver-url-password.yaml', 'Zx8q2LmP0vR7tY4w'],
    ];
    for (const [file, secret] of secrets) {
      const text = JSON.stringify(evaluate(file));
      expect(text).not.toContain(secret.slice(2, -2));
    }
  });
});

describe('WSP-005 TaskRun params', () => {
  const yaml = (trValue: string) => `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: release, namespace: ci}
spec:
  params: [{name: token}]
  tasks:
  - name: release
    params: [{name: token, value: $(params.token)}]
    taskSpec:
      params: [{name: token}]
      steps: [{name: r, image: alpine, script: 'true'}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: release-1, namespace: ci}
spec:
  pipelineRef: {name: release}
  params: [{name: token, value: ghp_R8s2kLm4Nq7Tv1Xy9Bz3Cd5Fg6Hj0Kp2Wr4U}]
status: {conditions: [{type: Succeeded, status: "True"}], startTime: "2026-11-20T10:00:00Z"}
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: release-1-release
  namespace: ci
  labels: {tekton.dev/pipelineRun: release-1, tekton.dev/pipelineTask: release}
spec:
  params: [{name: token, value: ${trValue}}]
  taskSpec: {params: [{name: token}], steps: [{name: r, image: alpine, script: 'true'}]}
status: {conditions: [{type: Succeeded, status: "True"}], startTime: "2026-11-20T10:00:00Z"}
`;
  const run = (v: string) => evaluateYaml(WSP_005, yaml(v)).pipelines[0].result;
  it('a value passed down from the run is one finding line, not one per TaskRun', () => {
    const r = run('ghp_R8s2kLm4Nq7Tv1Xy9Bz3Cd5Fg6Hj0Kp2Wr4U');
    expect(r.evidence.map((e) => e.kind)).toEqual(['PipelineRun']);
  });
  it('a credential only the TaskRun carries is reported on the TaskRun', () => {
    const r = run('glpat-aB3dE5fG7hJ9kL1mN3pQ');
    expect(r.evidence.map((e) => `${e.kind} ${e.path}`)).toContain('TaskRun spec.params[0].value');
  });
  it('hostile TaskRun params (not a list, nameless, numbers) are ignored', () => {
    for (const v of ['42', '{a: 1}', '[1, 2]', 'null']) expect(() => run(v)).not.toThrow();
  });
});
