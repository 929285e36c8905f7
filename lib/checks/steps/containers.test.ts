import { describe, expect, it } from 'vitest';
import type { PipelineModel, PipelineRunModel, PipelineTaskModel, TaskSpecModel } from '../../model/types';
import { resolveInTask } from '../supply-chain/images';
import { rawAt } from './containers';
import { isBuildImage, isDindImage, runsBuildCommand, runsDockerd } from './stp-009-rootless-image-builds';

describe('rawAt', () => {
  const raw = { spec: { tasks: [{ name: 'a', taskSpec: { steps: [{ name: 's0' }, { name: 's1', ports: [{ hostPort: 80 }] }] } }] } };
  it('walks dotted and indexed paths', () => {
    expect(rawAt(raw, 'spec.tasks[0].taskSpec.steps[1].ports[0].hostPort')).toBe(80);
    expect(rawAt(raw, 'spec.tasks[0].name')).toBe('a');
  });
  it('returns undefined for missing or malformed paths', () => {
    expect(rawAt(raw, 'spec.tasks[3].name')).toBeUndefined();
    expect(rawAt(raw, 'spec.nope.x')).toBeUndefined();
    expect(rawAt(raw, 'spec.tasks[x]')).toBeUndefined();
    expect(rawAt(null, 'spec')).toBeUndefined();
  });
});

describe('image-build detection', () => {
  it('recognises docker-in-docker images', () => {
    expect(isDindImage('docker:dind')).toBe(true);
    expect(isDindImage('docker.io/library/docker:20.10.11-dind')).toBe(true);
    expect(isDindImage('icr.io/continuous-delivery/pipeline/docker:20.10.22-dind')).toBe(true);
    expect(isDindImage('docker:27-cli')).toBe(false);
    expect(isDindImage('golang:1.23')).toBe(false);
  });
  it('recognises build tool images by repository segment, not registry', () => {
    expect(isBuildImage('quay.io/buildah/stable:v1.37')).toBe(true);
    expect(isBuildImage('gcr.io/kaniko-project/executor:v1.23.2')).toBe(true);
    expect(isBuildImage('quay.io/konflux-ci/buildah-task:latest')).toBe(true);
    expect(isBuildImage('moby/buildkit:v0.10.6')).toBe(true);
    expect(isBuildImage('docker.io/library/golang:1.23')).toBe(false);
    expect(isBuildImage('registry.docker.example.com/golang:1.23')).toBe(false);
  });
  it('finds dockerd invocations and build commands without false hits', () => {
    expect(runsDockerd({ command: ['dockerd-entrypoint.sh'], args: [], script: null })).toBe(true);
    expect(runsDockerd({ command: [], args: [], script: '#!/bin/sh\nexec dockerd --host=tcp://0.0.0.0:2375' })).toBe(true);
    expect(runsDockerd({ command: [], args: [], script: 'pgrep dockerd || echo no daemon' })).toBe(false);
    expect(runsBuildCommand({ command: [], args: [], script: 'buildah --storage-driver=vfs bud -t x .' })).toBe(true);
    expect(runsBuildCommand({ command: [], args: [], script: 'docker --tls buildx build .' })).toBe(true);
    expect(runsBuildCommand({ command: [], args: [], script: 'buildah bud -t x .' })).toBe(true);
    expect(runsBuildCommand({ command: ['/kaniko/executor'], args: ['--context=.'], script: null })).toBe(true);
    expect(runsBuildCommand({ command: [], args: [], script: 'docker ps\nmake e2e' })).toBe(false);
  });
  it('is fast on hostile scripts', () => {
    const t = Date.now();
    runsDockerd({ command: [], args: [], script: `${' '.repeat(100_000)}x` });
    runsBuildCommand({ command: [], args: [], script: `buildctl ${'--a '.repeat(30_000)}` });
    runsBuildCommand({ command: [], args: [], script: `${'buildah --a '.repeat(10_000)}` });
    expect(Date.now() - t).toBeLessThan(500);
  });
});

describe('resolveInTask', () => {
  const spec = { params: [{ name: 'image', type: 'string', default: 'golang:1.23', enum: null, description: null, path: 'params[0]' }] } as unknown as TaskSpecModel;
  const run = (name: string, params: Record<string, string>) => ({ name, params: Object.entries(params).map(([n, v]) => ({ name: n, value: v, path: '' })) }) as unknown as PipelineRunModel;
  const pipeline = (runs: PipelineRunModel[], defaults: Record<string, string | undefined>) =>
    ({ runs, spec: { params: Object.entries(defaults).map(([name, d]) => ({ name, default: d })) } }) as unknown as PipelineModel;
  const task = (params: Record<string, string>, specSource = 'inline') =>
    ({ name: 't', specSource, params: Object.entries(params).map(([n, v]) => ({ name: n, value: v, path: '' })) }) as unknown as PipelineTaskModel;

  it('uses the task param default when the pipeline task passes nothing', () => {
    expect(resolveInTask('$(params.image)', pipeline([], {}), task({}), spec).candidates.map((c) => c.value)).toEqual(['golang:1.23']);
  });
  it('follows pipeline task params to run values and pipeline defaults', () => {
    const p = pipeline([run('r1', { b: 'x:1' }), run('r2', {})], { b: 'x:default' });
    const r = resolveInTask('$(params.image)', p, task({ image: '$(params.b)' }), spec);
    expect(r.candidates.map((c) => c.value).sort()).toEqual(['x:1', 'x:default']);
    expect(r.unresolved).toBeNull();
  });
  it('reports expressions it cannot resolve', () => {
    const r = resolveInTask('$(tasks.build.results.IMAGE)', pipeline([], {}), task({}), spec);
    expect(r.candidates).toEqual([]);
    expect(r.unresolved).toContain('tasks.build.results.IMAGE');
  });
  it('substitutes several params in one string and keeps literals as they are', () => {
    const s = { params: [{ name: 'repo', default: 'ghcr.io/acme/app' }, { name: 'tag', default: 'v1' }] } as unknown as TaskSpecModel;
    expect(resolveInTask('$(params.repo):$(params["tag"])', pipeline([], {}), task({}), s).candidates[0].value).toBe('ghcr.io/acme/app:v1');
    expect(resolveInTask('alpine:3', pipeline([], {}), task({}), s).candidates).toEqual([{ value: 'alpine:3', via: null }]);
  });
});
