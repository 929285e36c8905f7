import { describe, expect, it } from 'vitest';
import type { Evidence } from '../model/types';
import { groupEvidence } from './evidence';

const ev = (name: string, path: string, file?: string): Evidence => ({ kind: 'Pipeline', namespace: 'ci', name, path, file, line: 3 });

describe('groupEvidence', () => {
  it('puts consecutive entries about one object and file under one heading, in order', () => {
    const groups = groupEvidence([ev('a', 'spec.tasks[0]', 'f.yaml'), ev('a', 'spec.tasks[1]', 'f.yaml'), ev('b', 'spec'), ev('a', 'spec.tasks[2]', 'f.yaml')]);
    expect(groups.map((g) => [g.object.name, g.items.map((i) => i.path)])).toEqual([
      ['a', ['spec.tasks[0]', 'spec.tasks[1]']],
      ['b', ['spec']],
      ['a', ['spec.tasks[2]']],
    ]);
    expect(groups[0]).toMatchObject({ object: { kind: 'Pipeline', namespace: 'ci', name: 'a' }, file: 'f.yaml' });
    expect(groups[0].items[0]).toEqual({ path: 'spec.tasks[0]', value: undefined, line: 3 });
  });
  it('keeps the same object from different files apart', () => {
    expect(groupEvidence([ev('a', 'x', 'one.yaml'), ev('a', 'y', 'two.yaml')])).toHaveLength(2);
  });
  it('gives nothing for no evidence', () => {
    expect(groupEvidence([])).toEqual([]);
  });
});
