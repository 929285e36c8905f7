import { describe, expect, it } from 'vitest';
import { loadYamlText } from './load';
import { buildClusterModel } from './build';
import { defaultPolicy } from '../policy/defaults';

function pipelineOf(tasksYaml: string, finallyYaml = '') {
  const text = `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p, namespace: ci}\nspec:\n  tasks:\n${tasksYaml}${finallyYaml ? `\n  finally:\n${finallyYaml}` : ''}\n`;
  const model = buildClusterModel(loadYamlText(text).objects, { sourceKind: 'files', policy: defaultPolicy() });
  return model.pipelines[0];
}

describe('DAG', () => {
  it('orders tasks by runAfter and result references, finally apart', () => {
    const p = pipelineOf(
      [
        '  - {name: clone, taskRef: {name: git-clone}}',
        '  - {name: build, runAfter: [clone], taskRef: {name: b}}',
        '  - name: push',
        '    taskRef: {name: push}',
        '    params: [{name: digest, value: "$(tasks.build.results.IMAGE_DIGEST)"}]',
        '  - name: scan',
        '    taskRef: {name: scan}',
        '    when: [{input: "$(tasks.push.results.IMAGE_URL)", operator: notin, values: [""]}]',
      ].join('\n'),
      '  - {name: notify, taskRef: {name: n}, params: [{name: s, value: "$(tasks.build.status)"}]}',
    );
    expect(p.dag.edges).toEqual([
      { from: 'clone', to: 'build', kind: 'runAfter' },
      { from: 'build', to: 'push', kind: 'result' },
      { from: 'push', to: 'scan', kind: 'result' },
    ]);
    expect(p.dag.order).toEqual(['clone', 'build', 'push', 'scan']);
    expect(p.dag.finallyNodes).toEqual(['notify']);
    expect(p.dag.depth).toMatchObject({ clone: 0, build: 1, push: 2, scan: 3, notify: 4 });
    expect(p.dag.cycles).toEqual([]);
  });

  it('finds result references inside an inline task spec', () => {
    const p = pipelineOf(
      [
        '  - {name: a, taskSpec: {steps: [{image: x, script: echo}]}}',
        '  - name: b',
        '    taskSpec:',
        '      steps: [{image: x, script: "echo $(tasks.a.results.out)"}]',
      ].join('\n'),
    );
    expect(p.dag.edges).toEqual([{ from: 'a', to: 'b', kind: 'result' }]);
  });

  it('reports cycles and dangling references instead of throwing', () => {
    const p = pipelineOf(
      ['  - {name: a, runAfter: [b], taskRef: {name: t}}', '  - {name: b, runAfter: [a], taskRef: {name: t}}', '  - {name: c, runAfter: [ghost, c], taskRef: {name: t}}'].join('\n'),
    );
    expect(p.dag.cycles).toEqual([['a', 'b']]);
    expect(p.dag.dangling.map((d) => d.to)).toEqual(['ghost', 'c']);
    expect(p.dag.order).toHaveLength(3);
    expect(p.issues.some((i) => i.includes('Cycle'))).toBe(true);
    expect(p.issues.some((i) => i.includes('"ghost"'))).toBe(true);
  });

  it('lays out 150 tasks fast', () => {
    const tasks = Array.from({ length: 150 }, (_, i) => `  - {name: t${i}, runAfter: [${i ? `t${Math.floor(i / 2)}` : ''}], taskRef: {name: x}}`).join('\n');
    const p = pipelineOf(tasks);
    expect(p.dag.nodes).toHaveLength(150);
    expect(p.dag.edges).toHaveLength(149);
    expect(Math.max(...Object.values(p.dag.depth))).toBe(8); // t149 → t74 → t37 → t18 → t9 → t4 → t2 → t1 → t0
  });
});
