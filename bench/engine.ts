/**
 * `npm run bench:engine`: time and heap to load and score (1) the whole shared corpus and (2) a generated cluster
 * of 2,000 pipelines, 20,000 PipelineRuns and 60,000 TaskRuns. Prints figures; asserts nothing.
 * Targets: corpus ≤ 2× its floor warm and ≤ 3× cold; generated cluster < 10 s and < 1 GiB heap.
 * The floor reads exactly the files the loader reads (server/sources/files.ts `listFiles`, `.tekton/` included) and
 * parses them with js-yaml (the parser the loader ships), nothing else — what no loader of these files can go below.
 * Cold figures are the first run in a fresh child process, for the product and the floor alike.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';
import { corpusDir } from '../lib/engine/corpus-dir';
import { fillEvidenceLines } from '../lib/engine/evidence-lines';
import { scan } from '../lib/engine/scan';
import { makeObject } from '../lib/model/load';
import { defaultPolicy } from '../lib/policy/defaults';
import { listFiles, loadFromPaths } from '../server/sources/files';

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

function plainParse(text: string): void {
  try {
    yaml.loadAll(text, undefined, { json: true });
  } catch {
    // a file that does not parse costs its parse attempt, as in the loader
  }
}

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const corpus = corpusDir();

/** The files the product reads, parsed by js-yaml and nothing else: what no loader of these files can go below. */
function floorRun(files: string[]): void {
  for (const f of files) if (statSync(f).size <= 50 * 1024 * 1024) plainParse(readFileSync(f, 'utf8'));
}

function productRun(dir: string) {
  const loaded = loadFromPaths([dir], dir);
  return { loaded, result: scan({ objects: loaded.objects, loadIssues: loaded.issues, policy, source: { kind: 'files' } }) };
}

// Cold: the first run in a fresh process (nothing compiled, no caches), one child process per side.
const coldChild = process.env.BENCH_ENGINE_COLD;
if (coldChild && corpus) {
  const t0 = performance.now();
  if (coldChild === 'floor') floorRun(listFiles(corpus));
  else productRun(corpus);
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
  process.exit(0);
}

function coldMs(side: 'floor' | 'product'): number {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]], { env: { ...process.env, BENCH_ENGINE_COLD: side }, encoding: 'utf8' });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(line) as { ms: number }).ms;
  } catch {
    throw new Error(`cold ${side} run failed: ${child.stderr}`);
  }
}

if (corpus) {
  const files = listFiles(corpus);
  const coldProduct = coldMs('product');
  const coldFloor = coldMs('floor');
  console.log(`corpus: cold (first run in a fresh process): load + score ${secs(coldProduct)}; floor (read + js-yaml parse) ${secs(coldFloor)}; ratio ${(coldProduct / coldFloor).toFixed(2)}×   [target ≤ 3×]`);
  const loaded = measure('corpus: load (read + parse)', () => loadFromPaths([corpus], corpus));
  const result = measure('corpus: model + checks + score', () => scan({ objects: loaded.objects, loadIssues: loaded.issues, policy, source: { kind: 'files' } }));
  console.log(`corpus: ${loaded.files} files, ${loaded.objects.length} objects, ${result.model.pipelines.length} subjects`);
  const evidence = [...result.report.pipelines.flatMap((p) => p.findings), ...result.report.platform.findings].reduce((n, f) => n + f.evidence.length, 0);
  // The evidence-lines pass again, on freshly loaded objects whose documents are not indexed yet (cold).
  const fresh = loadFromPaths([corpus], corpus);
  const t0 = performance.now();
  fillEvidenceLines(result.report, fresh.objects);
  console.log(`corpus: evidence lines pass (cold, inside the scan above): ${secs(performance.now() - t0)} for ${evidence} evidence items`);
  // Five warm runs, median and best: one run on a shared 2-core machine is mostly noise.
  const warm = timings(5, () => void productRun(corpus));
  console.log(`corpus: load + score end to end (warm, 5 runs): median ${secs(warm.median)}, best ${secs(warm.best)}`);
  if (files.length !== loaded.files) throw new Error(`floor reads ${files.length} files, the loader ${loaded.files}`);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const parseOnly = timings(5, () => texts.forEach(plainParse));
  const readParse = timings(5, () => floorRun(files));
  console.log(`corpus: floor, js-yaml loadAll of the same ${files.length} files the loader reads (warm, 5 runs): parse only median ${secs(parseOnly.median)}; read + parse median ${secs(readParse.median)}, best ${secs(readParse.best)}`);
  console.log(
    `corpus: warm load + score / floor (medians): ${(warm.median / readParse.median).toFixed(2)}× read + parse, ${(warm.median / parseOnly.median).toFixed(2)}× parse only   [target ≤ 2×]`,
  );
} else {
  console.log("no shared corpus found (../shared/corpus; set TEKTON_CORPUS): skipped");
}

const raws = measure('generated: generate 2,000 pipelines / 20,000 PipelineRuns / 60,000 TaskRuns', () => generateCluster(BENCH_CLUSTER));
const t0 = performance.now();
const objects = measure('generated: load objects', () => raws.map((r) => makeObject(r, String(r.kind), String(r.apiVersion), String((r.metadata as { name: string }).name), {})));
const result = measure('generated: model + checks + score', () => scan({ objects, policy, source: { kind: 'files' } }));
const total = (performance.now() - t0) / 1000;
console.log(`generated: ${objects.length} objects, ${result.model.pipelines.length} pipelines; load + score ${total.toFixed(2)} s [target < 10 s]; heap now ${mib(process.memoryUsage().heapUsed)} [target < 1 GiB]`);
