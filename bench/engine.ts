/**
 * `npm run bench:engine`: time and heap to load and score (1) the whole shared corpus and (2) a generated cluster
 * of 2,000 pipelines, 20,000 PipelineRuns and 60,000 TaskRuns. Prints figures; asserts nothing.
 * Targets: corpus < 1 s; generated cluster < 10 s and < 1 GiB heap.
 * The corpus figures are also given against a floor measured in the same run: reading the same files and parsing
 * them with js-yaml (the parser the loader ships), nothing else — what no loader of these files can go below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';
import { corpusDir } from '../lib/engine/corpus-dir';
import { fillEvidenceLines } from '../lib/engine/evidence-lines';
import { scan } from '../lib/engine/scan';
import { makeObject } from '../lib/model/load';
import { defaultPolicy } from '../lib/policy/defaults';
import { loadFromPaths } from '../server/sources/files';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const gc = (globalThis as { gc?: () => void }).gc;

function measure<T>(label: string, fn: () => T): T {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s, heap used after ${mib(heapAfter)} (before ${mib(heapBefore)})`);
  return result;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** Median and best of `runs` timings of `fn`, in ms. */
function timings(runs: number, fn: () => void): { median: number; best: number } {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    all.push(performance.now() - t0);
  }
  all.sort((a, b) => a - b);
  return { median: all[Math.floor(runs / 2)], best: all[0] };
}

/** The files the files source reads for a directory (same rules as server/sources/files.ts). */
function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(p));
    else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) out.push(p);
  }
  return out;
}

function plainParse(text: string): void {
  try {
    yaml.loadAll(text, undefined, { json: true });
  } catch {
    // a file that does not parse costs its parse attempt, as in the loader
  }
}

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const corpus = corpusDir();
if (corpus) {
  const loaded = measure('corpus: load (read + parse)', () => loadFromPaths([corpus], corpus));
  const result = measure('corpus: model + 54 checks + score', () => scan({ objects: loaded.objects, policy, source: { kind: 'files' } }));
  console.log(`corpus: ${loaded.files} files, ${loaded.objects.length} objects, ${result.model.pipelines.length} pipelines`);
  const evidence = [...result.report.pipelines.flatMap((p) => p.findings), ...result.report.platform.findings].reduce((n, f) => n + f.evidence.length, 0);
  // The evidence-lines pass again, on freshly loaded objects whose documents are not indexed yet (cold).
  const fresh = loadFromPaths([corpus], corpus);
  const t0 = performance.now();
  fillEvidenceLines(result.report, fresh.objects);
  console.log(`corpus: evidence lines pass (cold, inside the scan above): ${secs(performance.now() - t0)} for ${evidence} evidence items`);
  // Five warm runs, median and best: one run on a shared 2-core machine is mostly noise.
  const warm = timings(5, () => {
    const again = loadFromPaths([corpus], corpus);
    scan({ objects: again.objects, policy, source: { kind: 'files' } });
  });
  console.log(`corpus: load + score end to end (warm, 5 runs): median ${secs(warm.median)}, best ${secs(warm.best)}   [target < 1 s]`);
  const files = manifestFiles(corpus);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const parseOnly = timings(5, () => texts.forEach(plainParse));
  const readParse = timings(5, () => files.forEach((f) => plainParse(readFileSync(f, 'utf8'))));
  console.log(`corpus: floor, js-yaml loadAll of the same ${files.length} files (5 runs): parse only median ${secs(parseOnly.median)}; read + parse median ${secs(readParse.median)}, best ${secs(readParse.best)}`);
  console.log(
    `corpus: load + score / floor (medians): ${(warm.median / readParse.median).toFixed(2)}× read + parse, ${(warm.median / parseOnly.median).toFixed(2)}× parse only   [target < 2×]`,
  );
} else {
  console.log("no shared corpus found (../shared/corpus; set TEKTON_CORPUS): skipped");
}

const raws = measure('generated: generate 2,000 pipelines / 20,000 PipelineRuns / 60,000 TaskRuns', () => generateCluster(BENCH_CLUSTER));
const t0 = performance.now();
const objects = measure('generated: load objects', () => raws.map((r) => makeObject(r, String(r.kind), String(r.apiVersion), String((r.metadata as { name: string }).name), {})));
const result = measure('generated: model + 53 checks + score', () => scan({ objects, policy, source: { kind: 'files' } }));
const total = (performance.now() - t0) / 1000;
console.log(`generated: ${objects.length} objects, ${result.model.pipelines.length} pipelines; load + score ${total.toFixed(2)} s [target < 10 s]; heap now ${mib(process.memoryUsage().heapUsed)} [target < 1 GiB]`);
