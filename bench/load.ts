/**
 * `npm run bench:load`: HTTP load on the production server over the generated 2,000-pipeline cluster.
 *
 * 1. Needs the production build (`.next/standalone/server.js`); builds nothing — run `npx next build` first.
 * 2. Writes `generateCluster(BENCH_CLUSTER)` as YAML (one file per namespace) to a temp dir (bench/server.ts).
 * 3. Starts the standalone server with POSTURE_SOURCE=files on 127.0.0.1:<free port> (scripts/start-standalone.sh
 *    when present, else `node .next/standalone/server.js`), waits for /readyz.
 * 4. Per target — `/`, `/api/pipelines`, `/pipelines/team-0-ci/pipeline-0` (the 150-task DAG) — the median of 10
 *    sequential requests (service time, no queueing), then autocannon with 100 connections × 30 s; prints
 *    requests/s, p50, p99, non-2xx, errors and timeouts. Stops the server, removes the temp dir.
 *
 * Loopback only. Bounded: BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (default 100), BENCH_READY_TIMEOUT
 * (s, default 300); the whole run aborts after ready timeout + 3 × duration + 300 s. Prints figures; asserts nothing.
 */
import { createRequire } from 'node:module';
import { overallTimeLimit, printTable, requireProductionBuild, serviceTime, startBenchServer, stopBenchServer } from './server';

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

const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const READY_TIMEOUT = Number(process.env.BENCH_READY_TIMEOUT ?? 300);
const TARGETS = ['/', '/api/pipelines', '/pipelines/team-0-ci/pipeline-0'];

requireProductionBuild('bench:load');
overallTimeLimit('bench:load', READY_TIMEOUT + 3 * DURATION + 300);

// ------------------------------------------------------------------ 1–2. the cluster as YAML files, the server
const { base } = await startBenchServer('bench:load', READY_TIMEOUT);

// ------------------------------------------------------------------ 3. load
const rows: string[][] = [['target', 'status', 'unloaded ms', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'MB/s', 'requests', 'non-2xx', 'errors', 'timeouts']];
for (const path of TARGETS) {
  const probe = await fetch(base + path, { signal: AbortSignal.timeout(60_000) }).catch((e: Error) => ({ status: `error ${e.message}` }));
  const status = String(probe.status);
  if ('body' in probe) await probe.arrayBuffer();
  const single = (await serviceTime(base + path, 10, 1)).median;
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
console.log();
printTable(rows);
const mem = await fetch(`${base}/metrics`)
  .then((r) => r.text())
  .catch(() => '');
const objectsLine = mem.split('\n').filter((l) => l.startsWith('tekton_posture_pipelines ')).join(' ');
if (objectsLine) console.log(`\n${objectsLine}`);
stopBenchServer();
process.exit(0);
