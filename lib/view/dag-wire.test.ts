import { describe, expect, it } from 'vitest';
import type { Finding } from '../checks/types';
import { buildClusterModel } from '../model/build';
import { loadYamlText } from '../model/load';
import { defaultPolicy } from '../policy/defaults';
import { canvasHeight, pipelineGraph, pipelineGraphBody, pipelineGraphSrc, type DagWire, type WireTaskData } from './dag-wire';

const YAML = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: build, namespace: ci }
spec:
  tasks:
    - name: clone
      taskSpec: { steps: [{ name: s, image: alpine, script: echo }] }
    - name: test
      runAfter: [clone]
      taskSpec: { steps: [{ name: s, image: alpine, script: echo }] }
`;

const model = buildClusterModel(loadYamlText(YAML).objects, { sourceKind: 'files', policy: defaultPolicy() });
const pipeline = model.pipelines[0];
const evidence = (task: number) => ({ kind: 'Pipeline', namespace: 'ci', name: 'build', path: `spec.tasks[${task}].taskSpec.steps[0].image` });
const findings: Finding[] = [
  { checkId: 'SUP-001', title: 'Images pinned', category: 'supply-chain', severity: 'high', outcome: 'fail', message: 'alpine is a tag', evidence: [evidence(0), evidence(1)] },
];

describe('the graph as the canvas fetches it', () => {
  it('sends each finding once, and per task only its check id and paths', () => {
    const wire = JSON.parse(new TextDecoder().decode(pipelineGraphBody(pipeline, findings))) as DagWire;
    expect(Object.keys(wire.findingIndex)).toEqual(['SUP-001']);
    expect(wire.findingIndex['SUP-001'].message).toBe('alpine is a tag');
    const tasks = wire.nodes.filter((n) => n.type === 'task').map((n) => n.data as unknown as WireTaskData);
    expect(tasks.map((t) => t.name)).toEqual(['clone', 'test']);
    for (const t of tasks) expect(t.findings).toEqual([{ checkId: 'SUP-001', paths: [expect.stringMatching(/steps\[0\]\.image$/)] }]);
    expect(wire.edges.some((e) => e.source === 'task:clone' && e.target === 'task:test')).toBe(true);
  });

  it('lays out and encodes once per pipeline model, findings and run', () => {
    expect(pipelineGraphBody(pipeline, findings)).toBe(pipelineGraphBody(pipeline, findings));
    expect(pipelineGraph(pipeline, findings)).toBe(pipelineGraph(pipeline, findings));
    expect(pipelineGraph(pipeline, [...findings])).not.toBe(pipelineGraph(pipeline, findings));
    expect(pipelineGraph(pipeline, findings, 'other-run')).not.toBe(pipelineGraph(pipeline, findings));
  });

  it('gives the canvas a readable height and a URL that survives hostile names', () => {
    expect(canvasHeight(pipelineGraph(pipeline, findings))).toBeGreaterThanOrEqual(280);
    expect(pipelineGraphSrc('ci', 'a/b?c#d')).toBe('/api/pipelines/ci/a%2Fb%3Fc%23d/graph');
    expect(pipelineGraphSrc('ci', 'build', 'run 1&x')).toBe('/api/pipelines/ci/build/graph?run=run%201%26x');
  });
});
