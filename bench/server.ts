/**
 * What the HTTP benchmarks (`bench:load`, `bench:ui`) share: the generated 2,000-pipeline cluster written as YAML,
 * the production standalone server started over it with POSTURE_SOURCE=files on a free loopback port, and
 * sequential service-time sampling.
 *
 * Everything started here is stopped on exit (the server's process group, the temp dir), including on Ctrl-C and
 * on the caller's watchdog `process.exit`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';

const root = process.cwd();

export interface BenchServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Seconds from spawn to the first 200 of /readyz (includes loading and scoring the cluster). */
  readySeconds: number;
}

let child: ChildProcess | null = null;
let clusterDir: string | null = null;

function cleanup(): void {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // the server's own process group (spawned detached)
    } catch {
      child.kill('SIGTERM');
    }
  }
  child = null;
  if (clusterDir) rmSync(clusterDir, { recursive: true, force: true });
  clusterDir = null;
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

/** Exits with a clear message when there is no production build to benchmark (the benchmarks build nothing). */
export function requireProductionBuild(bench: string): void {
  if (!existsSync(join(root, '.next', 'standalone', 'server.js'))) {
    console.error(`${bench}: no production build (.next/standalone/server.js). Run \`npx next build\` first (needs output: "standalone").`);
    process.exit(1);
  }
}

/** Aborts the whole run after `seconds`, so a hung server or browser cannot keep the machine busy. */
export function overallTimeLimit(bench: string, seconds: number): void {
  const watchdog = setTimeout(() => {
    console.error(`${bench}: overall time limit (${seconds} s) reached, stopping`);
    process.exit(1);
  }, seconds * 1000);
  watchdog.unref();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** `generateCluster(BENCH_CLUSTER)` as YAML, one file per namespace, in a temp dir removed on exit. */
function writeBenchCluster(): string {
  const t0 = performance.now();
  const objects = generateCluster(BENCH_CLUSTER);
  const dir = mkdtempSync(join(tmpdir(), 'tekton-posture-bench-'));
  clusterDir = dir;
  const byFile = new Map<string, string[]>();
  for (const o of objects) {
    const ns = ((o.metadata ?? {}) as { namespace?: string }).namespace ?? '_cluster';
    const list = byFile.get(ns) ?? [];
    list.push(yaml.dump(o, { noRefs: true, lineWidth: -1 }));
    byFile.set(ns, list);
  }
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const [ns, docs] of byFile) {
    const text = docs.join('---\n');
    bytes += text.length;
    writeFileSync(join(dir, `${ns}.yaml`), text);
  }
  console.log(`wrote ${objects.length} objects (${(bytes / 1e6).toFixed(0)} MB YAML, ${byFile.size} files) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

/**
 * Writes the benchmark cluster and starts the standalone production server over it (scripts/start-standalone.sh
 * when present, else `node .next/standalone/server.js`); resolves once /readyz answers 200.
 */
export async function startBenchServer(bench: string, readyTimeoutSeconds: number): Promise<BenchServer> {
  const dir = writeBenchCluster();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'production' as const,
    NEXT_TELEMETRY_DISABLED: '1',
    POSTURE_SOURCE: 'files',
    POSTURE_FILES: dir,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    HOSTNAME_BIND: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const script = join(root, 'scripts', 'start-standalone.sh');
  const [cmd, args] = existsSync(script) ? ['bash', [script]] : [process.execPath, [join(root, '.next', 'standalone', 'server.js')]];
  console.log(`starting ${cmd === 'bash' ? 'scripts/start-standalone.sh' : 'node .next/standalone/server.js'} on ${base}`);
  const server = spawn(cmd, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child = server;
  // The tail of the server's output, shown when it fails to start or dies.
  let serverLog = '';
  const keep = (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-4000));
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  server.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`server exited with ${code}\n${serverLog}`);
  });

  const t0 = performance.now();
  while (performance.now() - t0 < readyTimeoutSeconds * 1000) {
    if (server.exitCode !== null) break;
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(120_000) });
      if (res.status === 200) {
        const readySeconds = (performance.now() - t0) / 1000;
        console.log(`ready (first sync: load + score of ${BENCH_CLUSTER.pipelines} pipelines) after ${readySeconds.toFixed(1)} s`);
        return { base, readySeconds };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`${bench}: server not ready after ${readyTimeoutSeconds} s\n${serverLog}`);
  process.exit(1);
}

export function stopBenchServer(): void {
  cleanup();
}

/** The value at quantile `q` (0–1) of `sorted` (ascending), nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export interface ServiceTime {
  status: number;
  bytes: number;
  median: number;
  p90: number;
  samples: number[];
}

/**
 * Service time without queueing: `samples` sequential GETs after `warmup` discarded ones, each timed until the
 * whole body has arrived (fetch asks for gzip like a browser does, so compression is part of the time). `bytes`
 * is the decoded body of the last sample. Median and p90 are nearest-rank.
 */
export async function serviceTime(url: string, samples = 10, warmup = 2): Promise<ServiceTime> {
  const times: number[] = [];
  let status = 0;
  let bytes = 0;
  for (let i = 0; i < warmup + samples; i++) {
    const t = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    const body = await res.arrayBuffer();
    const ms = performance.now() - t;
    status = res.status;
    bytes = body.byteLength;
    if (i >= warmup) times.push(ms);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { status, bytes, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), samples: times };
}

/** Right-aligned columns, the first left-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
