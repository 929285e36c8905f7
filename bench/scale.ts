/**
 * `npm run bench:scale`: how the engine grows with the cluster. Scores generated clusters of 500, 1,000, 2,000,
 * 4,000 and 8,000 pipelines (10 PipelineRuns and 30 TaskRuns each, 20 namespaces, as bench:engine) and prints, per
 * step, the time of model + checks + score, its CPU time, the peak RSS and the ratio to the previous step.
 * Issue 15: every doubling must cost ≤ ×2.1. Each step runs in a fresh child process, so its peak RSS is its own
 * and no step inherits another's caches or heap. Objects arrive as parsed JSON, as a live LIST delivers them.
 * The whole bench is capped at about three minutes: 8,000 is skipped when 4,000 took more than 40 s, and any step
 * whose time projected from the last doubling would overrun the three minutes is skipped (and said so).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { generateCluster } from '../lib/demo/generate';
import { scan } from '../lib/engine/scan';
import { makeObject } from '../lib/model/load';
import { defaultPolicy } from '../lib/policy/defaults';

const STEPS = [500, 1000, 2000, 4000, 8000];
const SKIP_8K_AFTER_MS = 40_000;
/** Total budget: a step whose time, projected from the last doubling, would overrun it is skipped too. */
const BUDGET_MS = 180_000;

interface StepFigures {
  pipelines: number;
  objects: number;
  ms: number;
  cpuMs: number;
  maxRssKiB: number;
}

function runStep(pipelines: number): StepFigures {
  const raws = JSON.parse(JSON.stringify(generateCluster({ pipelines, runsPerPipeline: 10, taskRunsPerRun: 3, namespaces: 20, bigPipelineTasks: 150 }))) as Record<string, unknown>[];
  const objects = raws.map((r) => makeObject(r, String(r.kind), String(r.apiVersion), String((r.metadata as { name: string }).name), {}));
  const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  scan({ objects, policy, source: { kind: 'live' } });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { pipelines, objects: objects.length, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS };
}

const child = process.env.BENCH_SCALE_STEP;
if (child) {
  console.log(JSON.stringify(runStep(Number(child))));
  process.exit(0);
}

const pad = (s: string, n: number) => s.padStart(n);
console.log(`${pad('pipelines', 9)} ${pad('objects', 8)} ${pad('time', 8)} ${pad('×prev', 6)} ${pad('CPU', 8)} ${pad('peak RSS', 9)}`);
let prev: StepFigures | null = null;
let lastRatio = 2;
const worst: number[] = [];
const started = performance.now();
for (const n of STEPS) {
  if (n === 8000 && prev && prev.ms > SKIP_8K_AFTER_MS) {
    console.log(`    8,000 skipped: 4,000 took ${(prev.ms / 1000).toFixed(1)} s (> ${SKIP_8K_AFTER_MS / 1000} s), keeping the bench near three minutes`);
    break;
  }
  const projected = prev ? prev.ms * lastRatio : 0;
  if (prev && performance.now() - started + projected > BUDGET_MS) {
    console.log(`${pad(n.toLocaleString('en'), 9)} skipped: projected ${(projected / 1000).toFixed(0)} s (×${lastRatio.toFixed(1)} the last step) would take the bench past ${BUDGET_MS / 60_000} minutes`);
    break;
  }
  const out = spawnSync(process.execPath, [...process.execArgv, process.argv[1]], { env: { ...process.env, BENCH_SCALE_STEP: String(n) }, encoding: 'utf8', maxBuffer: 1 << 20 });
  let f: StepFigures;
  try {
    f = JSON.parse(out.stdout.trim().split('\n').pop() ?? '') as StepFigures;
  } catch {
    console.log(`${pad(String(n), 9)} failed: ${out.stderr.slice(0, 500)}`);
    break;
  }
  const ratio = prev ? f.ms / prev.ms : null;
  if (ratio !== null) {
    worst.push(ratio);
    lastRatio = ratio;
  }
  console.log(
    `${pad(n.toLocaleString('en'), 9)} ${pad(String(f.objects), 8)} ${pad(`${(f.ms / 1000).toFixed(2)} s`, 8)} ${pad(ratio === null ? '' : `×${ratio.toFixed(2)}`, 6)} ${pad(`${(f.cpuMs / 1000).toFixed(2)} s`, 8)} ${pad(`${(f.maxRssKiB / 1024).toFixed(0)} MiB`, 9)}`,
  );
  prev = f;
}
if (worst.length > 0) console.log(`worst doubling ×${Math.max(...worst).toFixed(2)}   [target ≤ ×2.1 every doubling]`);
