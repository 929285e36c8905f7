/**
 * `npm run bench:engine`: time and heap to load and score (1) the whole shared corpus and (2) a generated cluster
 * of 2,000 pipelines, 20,000 PipelineRuns and 60,000 TaskRuns. Prints figures; asserts nothing.
 * Targets: corpus < 1 s; generated cluster < 10 s and < 1 GiB heap.
 */
import { performance } from 'node:perf_hooks';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';
import { corpusDir } from '../lib/engine/corpus-dir';
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

const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const corpus = corpusDir();
if (corpus) {
  const loaded = measure('corpus: load (read + parse)', () => loadFromPaths([corpus], corpus));
  const result = measure('corpus: model + 53 checks + score', () => scan({ objects: loaded.objects, policy, source: { kind: 'files' } }));
  console.log(`corpus: ${loaded.files} files, ${loaded.objects.length} objects, ${result.model.pipelines.length} pipelines`);
  // Five warm runs, median and best: one run on a shared 2-core machine is mostly noise.
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const again = loadFromPaths([corpus], corpus);
    scan({ objects: again.objects, policy, source: { kind: 'files' } });
    warm.push(performance.now() - t0);
  }
  warm.sort((a, b) => a - b);
  console.log(`corpus: load + score end to end (warm, 5 runs): median ${(warm[2] / 1000).toFixed(2)} s, best ${(warm[0] / 1000).toFixed(2)} s   [target < 1 s]`);
} else {
  console.log("no shared corpus found (../shared/corpus; set TEKTON_CORPUS): skipped");
}

const raws = measure('generated: generate 2,000 pipelines / 20,000 PipelineRuns / 60,000 TaskRuns', () => generateCluster(BENCH_CLUSTER));
const t0 = performance.now();
const objects = measure('generated: load objects', () => raws.map((r) => makeObject(r, String(r.kind), String(r.apiVersion), String((r.metadata as { name: string }).name), {})));
const result = measure('generated: model + 53 checks + score', () => scan({ objects, policy, source: { kind: 'files' } }));
const total = (performance.now() - t0) / 1000;
console.log(`generated: ${objects.length} objects, ${result.model.pipelines.length} pipelines; load + score ${total.toFixed(2)} s [target < 10 s]; heap now ${mib(process.memoryUsage().heapUsed)} [target < 1 GiB]`);
