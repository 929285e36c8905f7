import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../policy/defaults';
import { buildClusterModel } from './build';
import { loadYamlText } from './load';

const model = (text: string) => buildClusterModel(loadYamlText(text, 'p.yaml').objects, { sourceKind: 'files', policy: defaultPolicy() });

describe('pipeline issues', () => {
  it('reports a task name used twice (Tekton rejects it; references to it are ambiguous)', () => {
    const m = model(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: dup, namespace: ci}
spec:
  tasks:
    - {name: build, taskSpec: {steps: [{image: alpine}]}}
    - {name: build, taskSpec: {steps: [{image: alpine, securityContext: {privileged: true}}]}}
  finally:
    - {name: build, taskSpec: {steps: [{image: alpine}]}}
`);
    expect(m.pipelines[0].issues).toContain('Task name "build" is used by 3 pipeline tasks: Tekton rejects this pipeline, and references to it are ambiguous.');
  });

  it('says nothing for distinct names', () => {
    const m = model(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ok, namespace: ci}
spec:
  tasks:
    - {name: a, taskSpec: {steps: [{image: alpine}]}}
    - {name: b, runAfter: [a], taskSpec: {steps: [{image: alpine}]}}
`);
    expect(m.pipelines[0].issues.filter((i) => i.includes('is used by'))).toEqual([]);
  });
});
