import { describe, expect, it } from 'vitest';
import { normalizeContainer } from '../../model/normalize';
import { classifySubstitution, findSubstitutions, shellCodeIndex } from './substitutions';
import { validatesParam } from './validation';

describe('classifySubstitution', () => {
  it.each([
    ['params.revision', 'param', 'revision', false],
    ['params.flags[*]', 'param', 'flags', true],
    ['params["org.acme.x"]', 'param', 'org.acme.x', false],
    ["params['x-y'][*]", 'param', 'x-y', true],
    ['params.obj.key', 'param', 'obj', false],
    ['inputs.params.who', 'param', 'who', false],
    [' params.spaced ', 'param', 'spaced', false],
    ['tasks.clone.results.commit', 'task-result', 'clone.commit', false],
    ['tasks.build.results.images[*]', 'task-result', 'build.images', false],
    ['steps.fetch.results.url', 'step-result', 'fetch.url', false],
  ])('%s → %s %s', (expr, kind, name, isArray) => {
    expect(classifySubstitution(expr)).toMatchObject({ kind, name, isArray });
  });
  it.each([
    'workspaces.source.path',
    'workspaces.source.bound',
    'results.commit.path',
    'step.results.out.path',
    'steps.step-clone.exitCode.path',
    'steps.fetch.results.url.path',
    'context.pipelineRun.name',
    'context.taskRun.uid',
    'credentials.path',
    'tasks.status',
    'tasks.clone.status',
    'tasks.clone.reason',
    'tt.params.x',
    'date +%s',
    'cat file',
    'paramsfoo',
  ])('%s is not user-influenced', (expr) => expect(classifySubstitution(expr)).toBeNull());
});

describe('findSubstitutions', () => {
  it('reports each occurrence with its line', () => {
    const found = findSubstitutions('#!/bin/sh\necho "$(workspaces.w.path)"\ngit checkout $(params.rev) && echo $(tasks.a.results.b)\n');
    expect(found.map((f) => [f.sub.expr, f.line])).toEqual([
      ['params.rev', 3],
      ['tasks.a.results.b', 3],
    ]);
    expect(found[0].snippet).toBe('git checkout $(params.rev) && echo $(tasks.a.results.b)');
  });
  it('ignores shell command substitutions and stays fast on hostile input', () => {
    expect(findSubstitutions('X=$(date +%s); Y=$(cat $(echo f))')).toEqual([]);
    const t0 = performance.now();
    findSubstitutions('$('.repeat(200_000));
    findSubstitutions(`$(params.${'a'.repeat(500_000)})`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('shellCodeIndex', () => {
  it.each([
    [['sh', '-c', 'echo hi'], 2],
    [['/bin/bash', '-ec', 'echo hi'], 2],
    [['bash', '-o', 'pipefail', '-c', 'x'], 4],
    [['/usr/bin/env', 'bash', '-xc', 'x'], 3],
    [['busybox', 'sh', '-c', 'x'], 3],
    [['sh', '-c'], null],
    [['sh', 'script.sh', '-c', 'x'], null],
    [['/ko-app/git-init', '-url=x'], null],
    [['python', '-c', 'print(1)'], null],
    [[], null],
  ])('%j → %s', (argv, idx) => expect(shellCodeIndex(argv as string[])).toBe(idx));
});

describe('validatesParam', () => {
  const step = (script: string, env: { name: string; value: string }[] = []) => normalizeContainer({ name: 's', image: 'alpine', script, env }, 'step', 0, 'steps[0]');
  it('accepts a grep -E / =~ / case test of the param or of a variable that holds it', () => {
    expect(validatesParam(step('R="$(params.rev)"\necho "$R" | grep -qE \'^[a-f0-9]{40}$\' || exit 1'), 'rev')).toBe(true);
    expect(validatesParam(step('[[ "$REV" =~ ^[a-f0-9]{40}$ ]] || exit 1', [{ name: 'REV', value: '$(params.rev)' }]), 'rev')).toBe(true);
    expect(validatesParam(step('case "${TAG}" in\n  *[!a-z0-9.-]*) exit 1;;\nesac', [{ name: 'TAG', value: '$(params.tag)' }]), 'tag')).toBe(true);
    expect(validatesParam(step('[[ "$(params.tag)" =~ ^v[0-9]+$ ]]'), 'tag')).toBe(true);
  });
  it('rejects tests of other values and scripts without a pattern test', () => {
    expect(validatesParam(step('R="$(params.rev)"\necho "$OTHER" | grep -qE x'), 'rev')).toBe(false);
    expect(validatesParam(step('echo $(params.rev)'), 'rev')).toBe(false);
    expect(validatesParam(step('R="$(params.rev)"\n[ -n "$R" ] || exit 1'), 'rev')).toBe(false);
    expect(validatesParam(step('[[ "$REVISION" =~ x ]]', [{ name: 'REV', value: '$(params.rev)' }]), 'rev')).toBe(false);
  });
});
