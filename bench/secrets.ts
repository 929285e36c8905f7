/**
 * `npm run bench:secrets`: WSP-005 over the shared corpus. Prints every detection (redacted, with its recogniser),
 * the time it took, and precision/recall against the hand-classified list
 * lib/checks/workspaces/testdata/WSP-005/corpus-secrets.json. Asserts nothing (lib/engine/secret-detections.test.ts does).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusDir } from '../lib/engine/corpus-dir';
import { scoreDetections, secretDetections, type ExpectedSecret } from '../lib/engine/secret-detections';
import { defaultPolicy } from '../lib/policy/defaults';
import { scan } from '../lib/engine/scan';
import { loadFromPaths } from '../server/sources/files';

const corpus = corpusDir();
if (!corpus) {
  console.log('no shared corpus found (../shared/corpus; set TEKTON_CORPUS): skipped');
  process.exit(0);
}
const loaded = loadFromPaths([corpus], corpus);
const t0 = performance.now();
const found = secretDetections(loaded.objects);
const ms = performance.now() - t0;
const { report } = scan({ objects: loaded.objects, loadIssues: loaded.issues, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files' } });
const wsp = report.pipelines.flatMap((p) => p.findings.filter((f) => f.checkId === 'WSP-005'));
const outcomes = new Map<string, number>();
for (const f of wsp) outcomes.set(f.outcome, (outcomes.get(f.outcome) ?? 0) + 1);
for (const d of found) console.log(`${d.file} · ${d.object} · ${d.path}\n    ${d.value}`);
const expected = JSON.parse(readFileSync(join(import.meta.dirname, '../lib/checks/workspaces/testdata/WSP-005/corpus-secrets.json'), 'utf8')) as { entries: ExpectedSecret[] };
const s = scoreDetections(found, expected.entries);
const byRule = new Map<string, number>();
for (const d of found) byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
console.log(`\nWSP-005 subjects (pipelines) on the corpus: ${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')}`);
console.log(`recogniser over every env value, param default/value, script and arg of ${loaded.objects.length} documents: ${s.detections} detections (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}) in ${ms.toFixed(0)} ms`);
const traps = expected.entries.filter((e) => !e.detect).length;
console.log(`precision ${(s.precision * 100).toFixed(1)} % (${s.truePositives}/${s.detections}), recall ${(s.recall * 100).toFixed(1)} % on ${expected.entries.length - traps} classified credentials; ${traps} classified look-alikes (Secret names, keys, templates), ${s.falsePositives.length} detected`);
for (const fp of s.falsePositives) console.log(`  false or unclassified: ${fp.file} · ${fp.path} · ${fp.value}`);
for (const m of s.missed) console.log(`  missed: ${m.file} · ${m.path} (${m.why})`);
