// WSP-005's recogniser on the real corpus, against the hand-classified list: deterministic, so the floors below
// are the measured figures (raise them when the list or the recogniser improves; never lower them silently).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFromPaths } from '../../server/sources/files';
import { corpusDir } from './corpus-dir';
import { scoreDetections, secretDetections, type ExpectedSecret } from './secret-detections';

const CORPUS_DIR = corpusDir() ?? '';
if (!CORPUS_DIR) console.warn('secret-detections.test: no shared corpus found (set TEKTON_CORPUS): SKIPPED');
const LIST = join(import.meta.dirname, '../checks/workspaces/testdata/WSP-005/corpus-secrets.json');

describe.skipIf(!CORPUS_DIR)('WSP-005 recogniser on the shared corpus', () => {
  const expected = (JSON.parse(readFileSync(LIST, 'utf8')) as { entries: ExpectedSecret[] }).entries;
  const loaded = loadFromPaths([CORPUS_DIR], CORPUS_DIR);
  const found = secretDetections(loaded.objects);
  const score = scoreDetections(found, expected);

  it('every detection is classified as a credential (precision 100 %, floor)', () => {
    expect(score.falsePositives.map((d) => `${d.file} · ${d.path} · ${d.value}`)).toEqual([]);
    expect(score.precision).toBeGreaterThanOrEqual(1);
  });
  it('finds every classified credential (recall 100 %, floor) and at least the 3 known', () => {
    expect(score.missed.map((m) => `${m.file} · ${m.path}`)).toEqual([]);
    expect(score.truePositives).toBeGreaterThanOrEqual(3);
  });
  it('the classified list points at values that exist (a trap that no longer exists is no trap)', () => {
    const byFile = new Map<string, unknown[]>();
    for (const o of loaded.objects) byFile.set(o.source.file ?? '', [...(byFile.get(o.source.file ?? '') ?? []), o.raw]);
    const dangling = expected.filter((e) => !(byFile.get(e.file) ?? []).some((raw) => typeof valueAt(raw, e.path) === 'string'));
    expect(dangling.map((e) => `${e.file} · ${e.path}`)).toEqual([]);
  });
});

function valueAt(raw: unknown, path: string): unknown {
  let v: unknown = raw;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
