import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry';
import { defaultPolicy } from '../policy/defaults';
import { loadFromPaths } from '../../server/sources/files';
import { corpusDir } from './corpus-dir';
import { scan } from './scan';

const CORPUS_DIR = corpusDir() ?? '';
if (!CORPUS_DIR) console.warn('corpus.test: no shared corpus found (set TEKTON_CORPUS): the corpus tests are SKIPPED');

describe.skipIf(!CORPUS_DIR)('the whole shared corpus', () => {
  it('loads and scores every pipeline with every check without a crash', () => {
    const loaded = loadFromPaths([CORPUS_DIR], CORPUS_DIR);
    const { model, report } = scan({ objects: loaded.objects, loadIssues: loaded.issues, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files' } });
    const byCheck = new Map<string, Record<string, number>>();
    for (const f of [...report.pipelines.flatMap((p) => p.findings), ...report.platform.findings]) {
      const counts = byCheck.get(f.checkId) ?? {};
      counts[f.outcome] = (counts[f.outcome] ?? 0) + 1;
      byCheck.set(f.checkId, counts);
      expect(f.message.startsWith('The check could not be evaluated'), `${f.checkId} crashed: ${f.message}`).toBe(false);
    }
    const lines = [...byCheck].map(([id, c]) => `${id} ${Object.entries(c).map(([o, n]) => `${o}=${n}`).join(' ')}`);
    console.log(
      `corpus: ${loaded.files} files, ${loaded.objects.length} objects, ${loaded.ignored} ignored docs, ${loaded.issues.length} load issues, ` +
        `${model.pipelines.length} pipelines scored\n${lines.join('\n')}`,
    );
    expect(loaded.files).toBeGreaterThan(1000);
    expect(model.pipelines.length).toBeGreaterThan(100);
    for (const p of report.pipelines) expect(p.findings.length).toBe(CHECKS.filter((c) => c.scope === 'pipeline').length);
  });
});
