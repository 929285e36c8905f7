/**
 * `npm run bench:history`: the posture history on the 2,000-pipeline generated cluster. Prints figures; asserts
 * nothing. On PGlite (a temporary data directory), and on PostgreSQL too when POSTURE_DATABASE_URL is set.
 * - writing one snapshot: the first (the baseline, every finding) and a changed one (realistic churn);
 * - storage after 100 simulated scans (tables and indexes; for PGlite also the data directory on disk);
 * - latency of the history and changes queries.
 * Targets: a changed snapshot < 1 s, queries < 100 ms, < 50 MB after 100 scans.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Outcome } from '../lib/checks/types';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';
import { scan } from '../lib/engine/scan';
import { makeObject } from '../lib/model/load';
import { defaultPolicy } from '../lib/policy/defaults';
import type { PipelineReport, Report } from '../lib/report/types';
import { scoreFindings } from '../lib/score/score';
import { openPglite } from '../server/history/pglite';
import { openPostgres } from '../server/history/postgres';
import type { SqlClient } from '../server/history/sql';
import { createHistoryStore } from '../server/history/store';

const SCANS = 100;
const SCAN_EVERY_MS = 15 * 60_000;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

// A fixed-seed PRNG: every run simulates the same churn.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];

function withFlips(p: PipelineReport, flips: number): PipelineReport {
  const findings = p.findings.slice();
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(rand() * findings.length);
    const f = findings[at];
    const next: Outcome = f.outcome === 'fail' ? 'pass' : f.outcome === 'pass' ? 'fail' : f.outcome;
    findings[at] = { ...f, outcome: next };
  }
  const card = scoreFindings(findings);
  return { ...p, findings, score: card.score, grade: card.grade, coverage: card.coverage };
}

/**
 * A scan of a lively cluster: 1 % of pipelines change one to three findings (someone fixes a step, a waiver
 * expires, an image moves), and every tenth scan a pipeline is added and another removed.
 */
function churn(report: Report, scanNo: number, removed: Set<string>): Report {
  const pipelines = report.pipelines.slice();
  for (let i = 0; i < pipelines.length / 100; i++) {
    const at = Math.floor(rand() * pipelines.length);
    pipelines[at] = withFlips(pipelines[at], 1 + Math.floor(rand() * 3));
  }
  if (scanNo % 10 === 0) {
    const gone = pick(pipelines);
    removed.add(gone.id);
    const born = { ...pick(pipelines), id: `bench-new/p-${scanNo}` };
    pipelines.push(born);
  }
  return { ...report, pipelines: pipelines.filter((p) => !removed.has(p.id)) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function bench(label: string, db: SqlClient, base: Report, dataDir?: string): Promise<void> {
  const store = await createHistoryStore(db, { cluster: 'bench', retentionDays: 90, pruneEveryMs: Number.MAX_SAFE_INTEGER });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let t = performance.now();
  const first = await store.record(base, new Date(t0));
  console.log(`${label}: first snapshot (${first.scores} score rows, ${first.transitions} transitions): ${ms(performance.now() - t)}`);
  seed = 42;
  const removed = new Set<string>();
  let report = base;
  const writes: number[] = [];
  let rows = 0;
  for (let i = 1; i <= SCANS; i++) {
    report = churn(report, i, removed);
    t = performance.now();
    const r = await store.record(report, new Date(t0 + i * SCAN_EVERY_MS));
    writes.push(performance.now() - t);
    rows += r.scores + r.transitions;
  }
  console.log(`${label}: changed snapshot: median ${ms(median(writes))}, worst ${ms(Math.max(...writes))} (${(rows / SCANS).toFixed(0)} rows a scan)`);
  t = performance.now();
  const same = await store.record(report, new Date(t0 + (SCANS + 1) * SCAN_EVERY_MS));
  console.log(`${label}: unchanged snapshot: ${ms(performance.now() - t)} (${same.scores + same.transitions} rows)`);
  await db.exec('CHECKPOINT');
  const disk = dataDir ? ` · data directory ${execFileSync('du', ['-sh', dataDir], { encoding: 'utf8' }).split('\t')[0]}` : '';
  console.log(`${label}: storage after ${SCANS} scans: history tables ${mb(await store.storageBytes())}${disk}`);
  const end = new Date(t0 + (SCANS + 2) * SCAN_EVERY_MS);
  const ids = report.pipelines.map((p) => p.id);
  const historyMs: number[] = [];
  const changesMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await store.history({ pipeline: pick(ids), since: new Date(t0 - 86_400_000) });
    historyMs.push(performance.now() - t);
    t = performance.now();
    const c = await store.changes({ since: new Date(end.getTime() - 7 * 86_400_000), until: end });
    changesMs.push(performance.now() - t);
    if (i === 0) console.log(`${label}: changes over the window: ${JSON.stringify(c.counts)}, ${c.newCritical} new critical`);
  }
  console.log(`${label}: history query: median ${ms(median(historyMs))}, worst ${ms(Math.max(...historyMs))}`);
  console.log(`${label}: changes query: median ${ms(median(changesMs))}, worst ${ms(Math.max(...changesMs))}`);
  await store.close();
}

const raws = generateCluster(BENCH_CLUSTER);
const objects = raws.map((r) => makeObject(r, String(r.kind), String(r.apiVersion), String((r.metadata as { name: string }).name), {}));
const t = performance.now();
const { report } = scan({ objects, policy: defaultPolicy(), source: { kind: 'files' } });
console.log(`generated cluster: ${report.pipelines.length} pipelines, ${report.pipelines.reduce((n, p) => n + p.findings.length, 0)} findings, scanned in ${ms(performance.now() - t)}`);

const dir = mkdtempSync(join(tmpdir(), 'posture-history-bench-'));
try {
  await bench('PGlite', await openPglite(dir), report, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.env.POSTURE_DATABASE_URL) {
  // A database of its own, dropped afterwards: the bench never touches the history already in that server.
  const admin = await openPostgres(process.env.POSTURE_DATABASE_URL, { max: 1 });
  const name = `posture_history_bench_${process.pid}`;
  await admin.exec(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(process.env.POSTURE_DATABASE_URL);
    u.pathname = `/${name}`;
    await bench('PostgreSQL', await openPostgres(u.toString()), report);
  } finally {
    await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    await admin.close();
  }
}
