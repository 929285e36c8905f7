import { describe, expect, it } from 'vitest';
import { subjectIds, type IdEntry } from './subjects';

const e = (key: string, namespace: string, name: string, extra: Partial<IdEntry> = {}): IdEntry => ({ key, namespace, name, fileBorn: true, canonical: false, ...extra });

describe('subjectIds', () => {
  it('keeps a unique explicit-namespace id bare and hashes the unspecified namespace', () => {
    const ids = subjectIds([e('k1', 'ci', 'build'), e('k2', '', 'build')]);
    expect(ids.get('k1')).toBe('ci/build');
    expect(ids.get('k2')).toMatch(/^_\/build~[0-9a-f]{8}$/);
  });

  it('gives each of several same-named subjects its own hash, whatever the order', () => {
    const a = subjectIds([e('k1', 'ci', 'build'), e('k2', 'ci', 'build')]);
    const b = subjectIds([e('k2', 'ci', 'build'), e('k1', 'ci', 'build')]);
    expect(a.get('k1')).not.toBe(a.get('k2'));
    expect(a.get('k1')).toBe(b.get('k1'));
    expect(a.get('k2')).toBe(b.get('k2'));
  });

  it('lets a canonical (live) Pipeline object keep the bare id beside a same-named run identity', () => {
    const ids = subjectIds([e('obj', 'ci', 'build', { fileBorn: false, canonical: true }), e('ref', 'ci', 'build', { fileBorn: false })]);
    expect(ids.get('obj')).toBe('ci/build');
    expect(ids.get('ref')).toMatch(/^ci\/build~[0-9a-f]{8}$/);
  });

  it('tags Task subjects so that they never collide with a pipeline of the same name', () => {
    const ids = subjectIds([e('p', 'ci', 'build'), e('t', 'ci', 'build', { kind: 'task' }), e('s', '', 'x', { kind: 'stepaction' })]);
    expect(ids.get('p')).toBe('ci/build');
    expect(ids.get('t')).toBe('ci/build~task');
    expect(ids.get('s')).toMatch(/^_\/x~stepaction-[0-9a-f]{8}$/);
  });
});
