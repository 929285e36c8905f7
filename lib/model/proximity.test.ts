import { describe, expect, it } from 'vitest';
import { coversDocument, dirOf, nearest, proximityRank, shortHash } from './proximity';

const at = (file?: string, line?: number) => ({ source: { file, line } });

describe('proximity', () => {
  it('ranks the same file, then the same directory, then the nearest common ancestor', () => {
    const from = { file: 'repo/a/b/p.yaml' };
    expect(proximityRank(from, { file: 'repo/a/b/p.yaml' })).toBe(0);
    expect(proximityRank(from, { file: 'repo/a/b/t.yaml' })).toBe(1);
    expect(proximityRank(from, { file: 'repo/a/b/sub/t.yaml' })).toBe(2);
    expect(proximityRank(from, { file: 'repo/a/c/t.yaml' })).toBe(3);
    expect(proximityRank(from, { file: 'repo/t.yaml' })).toBe(4);
    expect(proximityRank(from, { file: 'other/t.yaml' })).toBe(5);
    // No files (live, demo): all equally near.
    expect(proximityRank({}, {})).toBe(1);
  });

  it('reports ties and uses the shallower candidate, independent of input order', () => {
    const a = at('repo/task/git-clone/0.9/git-clone.yaml');
    const b = at('repo/task/other/0.1/samples/git-clone.yaml');
    for (const list of [[a, b], [b, a]]) {
      const pick = nearest({ file: 'repo/pipeline/p/0.1/p.yaml' }, list);
      expect(pick?.chosen).toBe(a);
      expect(pick?.tied).toHaveLength(2);
    }
    expect(nearest({ file: 'repo/task/other/0.1/samples/p.yaml' }, [a, b])?.tied).toEqual([b]);
    expect(nearest({ file: 'x.yaml' }, [])).toBeNull();
    // Equally near and deep: the newest version folder (numerically: 0.10 after 0.9).
    const v9 = at('repo/archived/t/0.9/t.yaml');
    const v10 = at('repo/archived/t/0.10/t.yaml');
    expect(nearest({ file: 'repo/pipelines/p.yaml' }, [v9, v10])?.chosen).toBe(v10);
    expect(nearest({ file: 'repo/pipelines/p.yaml' }, [v10, v9])?.chosen).toBe(v10);
  });

  it('lets ambient objects cover their own directory and everything below, not siblings', () => {
    expect(coversDocument({ file: 'ex/a/lr.yaml' }, { file: 'ex/a/p.yaml' })).toBe(true);
    expect(coversDocument({ file: 'ex/lr.yaml' }, { file: 'ex/a/b/p.yaml' })).toBe(true);
    expect(coversDocument({ file: 'ex/a/lr.yaml' }, { file: 'ex/b/p.yaml' })).toBe(false);
    expect(coversDocument({ file: 'ex/a/sub/lr.yaml' }, { file: 'ex/a/p.yaml' })).toBe(false);
    expect(coversDocument({}, { file: 'ex/a/p.yaml' })).toBe(true);
  });

  it('has helpers that never throw on odd paths', () => {
    expect(dirOf(undefined)).toBe('');
    expect(dirOf('./a//b\\c.yaml')).toBe('a/b');
    expect(shortHash('x')).toMatch(/^[0-9a-f]{8}$/);
    expect(shortHash('x')).toBe(shortHash('x'));
    expect(shortHash('x')).not.toBe(shortHash('y'));
  });
});
