/**
 * The Tekton Task we ship (deploy/tekton) is held to the checklist it enforces: scanned on its own it is a Task
 * subject and must grade A; with the example Pipeline that uses it, no check may fail.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../lib/engine/scan';
import { defaultPolicy } from '../../lib/policy/defaults';
import { loadFromPaths } from '../../server/sources/files';

const dir = join(__dirname);
const scanFiles = (paths: string[]) => {
  const loaded = loadFromPaths(paths, dir);
  expect(loaded.issues.filter((i) => !/kinds the engine does not read/.test(i.message))).toEqual([]);
  return scan({ objects: loaded.objects, loadIssues: loaded.issues, policy: defaultPolicy({ now: '2026-12-01T00:00:00Z' }), source: { kind: 'files' } }).report;
};

describe('deploy/tekton', () => {
  it('the tekton-posture-scan Task grades A by its own checks', () => {
    const report = scanFiles([join(dir, 'tekton-posture-scan.yaml')]);
    const task = report.pipelines.find((p) => p.name === 'tekton-posture-scan');
    expect(task?.subjectKind).toBe('task');
    expect(task!.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'warn').map((f) => `${f.checkId}: ${f.message}`)).toEqual([]);
    expect(task!.grade).toBe('A');
  });

  it('the example Pipeline with the Task fails no check', () => {
    const report = scanFiles([dir]);
    const gate = report.pipelines.find((p) => p.name === 'tekton-posture-gate');
    expect(gate).toBeDefined();
    expect(gate!.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.checkId}: ${f.message}`)).toEqual([]);
    expect(gate!.score).toBe(100);
  });
});
