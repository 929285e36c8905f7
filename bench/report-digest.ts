/**
 * `npx tsx --conditions=react-server bench/report-digest.ts <dir> [--compare]`: writes (or compares against) the
 * full reports of the shared corpus, the demo and two generated clusters, scored at a pinned time. A performance
 * change must leave every byte of them unchanged; this is how that is checked before and after each one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster } from '../lib/demo/generate';
import { corpusDir } from '../lib/engine/corpus-dir';
import { scan } from '../lib/engine/scan';
import { makeObject } from '../lib/model/load';
import { defaultPolicy } from '../lib/policy/defaults';
import { parsePolicy } from '../lib/policy/parse';
import { demoPolicyText, loadDemo, scanDemo } from '../server/sources/demo';
import { loadFromPaths } from '../server/sources/files';

const [dir, mode] = process.argv.slice(2);
if (!dir) throw new Error('usage: report-digest.ts <dir> [--compare]');
const now = '2026-11-22T12:00:00Z';
const policy = defaultPolicy({ now });

function generated(pipelines: number) {
  const raws = JSON.parse(JSON.stringify(generateCluster({ pipelines, runsPerPipeline: 4, taskRunsPerRun: 3, namespaces: 7, bigPipelineTasks: 40 })));
  const objects = raws.map((r: Record<string, unknown>) => makeObject(r, String(r.kind), String(r.apiVersion), String((r.metadata as { name: string }).name), {}));
  return scan({ objects, policy, source: { kind: 'files' } }).report;
}

const reports: Record<string, () => unknown> = {
  demo: () => {
    const text = demoPolicyText();
    void loadDemo;
    return scanDemo(text ? { ...parsePolicy(text), now } : policy).report;
  },
  corpus: () => {
    const c = corpusDir();
    if (!c) return null;
    const loaded = loadFromPaths([c], c);
    return scan({ objects: loaded.objects, loadIssues: loaded.issues, policy, source: { kind: 'files' } }).report;
  },
  generated300: () => generated(300),
};

mkdirSync(dir, { recursive: true });
let differ = false;
for (const [name, make] of Object.entries(reports)) {
  const text = JSON.stringify(make());
  const file = join(dir, `${name}.json`);
  if (mode === '--compare') {
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const same = before === text;
    differ ||= !same;
    console.log(`${name}: ${same ? 'identical' : 'DIFFERENT'} (${text.length} bytes)`);
    if (!same) writeFileSync(join(dir, `${name}.after.json`), text);
  } else {
    writeFileSync(file, text);
    console.log(`${name}: written (${text.length} bytes)`);
  }
}
process.exit(differ ? 1 : 0);
