/**
 * `npm run bench:load`: HTTP load on the production server over the generated 2,000-pipeline cluster.
 *
 * 1. Needs the production build (`.next/standalone/server.js`); builds nothing — run `npx next build` first.
 * 2. Writes `generateCluster(BENCH_CLUSTER)` as YAML (one file per namespace) to a temp dir.
 * 3. Starts the standalone server with POSTURE_SOURCE=files on 127.0.0.1:<free port> (scripts/start-standalone.sh
 *    when present, else `node .next/standalone/server.js`), waits for /readyz.
 * 4. Per target — `/`, `/api/pipelines`, `/pipelines/team-0-ci/pipeline-0` (the 150-task DAG) — the median of 10
 *    sequential requests (service time, no queueing), then autocannon with 100 connections × 30 s; prints
 *    requests/s, p50, p99, non-2xx, errors and timeouts. Stops the server, removes the temp dir.
 *
 * Loopback only. Bounded: BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (default 100), BENCH_READY_TIMEOUT
 * (s, default 300); the whole run aborts after ready timeout + 3 × duration + 300 s. Prints figures; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = process.cwd();
const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const READY_TIMEOUT = Number(process.env.BENCH_READY_TIMEOUT ?? 300);
const TARGETS = ['/', '/api/pipelines', '/pipelines/team-0-ci/pipeline-0'];

const serverJs = join(root, '.next', 'standalone', 'server.js');
if (!existsSync(serverJs)) {
  console.error('bench:load: no production build (.next/standalone/server.js). Run `npx next build` first (needs output: "standalone").');
  process.exit(1);
}

let child: ChildProcess | null = null;
let dir: string | null = null;
function cleanup(): void {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // the server's own process group (detached below)
    } catch {
      child.kill('SIGTERM');
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
const watchdog = setTimeout(
  () => {
    console.error('bench:load: overall time limit reached, stopping');
    process.exit(1);
  },
  (READY_TIMEOUT + 3 * DURATION + 300) * 1000,
);
watchdog.unref();

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

// ------------------------------------------------------------------ 1. the cluster as YAML files
let t0 = performance.now();
const objects = generateCluster(BENCH_CLUSTER);
dir = mkdtempSync(join(tmpdir(), 'tekton-posture-bench-'));
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

// ------------------------------------------------------------------ 2. the server
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
const [cmd, args] = existsSync(script) ? ['bash', [script]] : [process.execPath, [serverJs]];
console.log(`starting ${cmd === 'bash' ? 'scripts/start-standalone.sh' : 'node .next/standalone/server.js'} on ${base}`);
const server = spawn(cmd, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
child = server;
let serverLog = '';
server.stdout?.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-4000)));
server.stderr?.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-4000)));
server.on('exit', (code) => {
  if (code !== null && code !== 0) console.error(`server exited with ${code}\n${serverLog}`);
});

t0 = performance.now();
let ready = false;
while (performance.now() - t0 < READY_TIMEOUT * 1000) {
  if (server.exitCode !== null) break;
  try {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(120_000) });
    if (res.status === 200) {
      ready = true;
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 500));
}
if (!ready) {
  console.error(`bench:load: server not ready after ${READY_TIMEOUT} s\n${serverLog}`);
  process.exit(1);
}
console.log(`ready (first sync: load + score of ${BENCH_CLUSTER.pipelines} pipelines) after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// ------------------------------------------------------------------ 3. load
/** Service time without queueing: median of 10 sequential requests (after one warm-up). */
async function unloadedMs(url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (i > 0) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const rows: string[][] = [['target', 'status', 'unloaded ms', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'MB/s', 'requests', 'non-2xx', 'errors', 'timeouts']];
for (const path of TARGETS) {
  const probe = await fetch(base + path, { signal: AbortSignal.timeout(60_000) }).catch((e: Error) => ({ status: `error ${e.message}` }));
  const status = String(probe.status);
  if ('body' in probe) await probe.arrayBuffer();
  const single = await unloadedMs(base + path);
  process.stdout.write(`${path}: ${CONNECTIONS} connections × ${DURATION} s … `);
  const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: DURATION });
  console.log(`${r.requests.average.toFixed(0)} req/s`);
  rows.push([
    path,
    status,
    single.toFixed(0),
    r.requests.average.toFixed(1),
    String(r.latency.p50),
    String(r.latency.p99),
    String(r.latency.max),
    (r.throughput.average / 1e6).toFixed(1),
    String(r.requests.total),
    String(r.non2xx),
    String(r.errors),
    String(r.timeouts),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log();
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
const mem = await fetch(`${base}/metrics`)
  .then((r) => r.text())
  .catch(() => '');
const objectsLine = mem.split('\n').filter((l) => l.startsWith('tekton_posture_pipelines ')).join(' ');
if (objectsLine) console.log(`\n${objectsLine}`);
cleanup();
process.exit(0);
