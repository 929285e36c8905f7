/**
 * Child process of bench/live.ts, so RSS is the app's alone: cold-syncs the live source under the viewer
 * identity, then measures event-to-rescore latency of 100 annotation changes made with the admin identity.
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { Kube } from '../scripts/dev-cluster/kube';
import { defaultPolicy } from '../lib/policy/defaults';
import type { ScanResult } from '../lib/engine/scan';
import { LiveSource } from '../server/live/source';

const [viewerKubeconfig, adminKubeconfig] = process.argv.slice(2);
let latest: ScanResult | null = null;
let publishedAt = 0;
const source = new LiveSource(defaultPolicy(), { kubeconfig: viewerKubeconfig, debounceMs: 10 }, (s) => {
  latest = s;
  publishedAt = performance.now();
});

const t0 = performance.now();
await source.start();
const syncMs = performance.now() - t0;
const firstScoreMs = source.stats.rescans.lastMs;
// Settled, as `kubectl top` would see it a moment later: V8 returns the sync's transient pages after a few GCs.
for (let i = 0; i < 5; i++) {
  global.gc?.();
  await new Promise((r) => setTimeout(r, 1000));
}
const { rss: rssAfterSync, heapUsed: heapAfterSync, heapTotal: heapTotalAfterSync, external: externalAfterSync } = process.memoryUsage();
const pipelines = latest!.model.pipelines.length;

const admin = new Kube(adminKubeconfig, 4);
const latencies: number[] = [];
const withRuns = latest!.model.pipelines.filter((p) => p.runs.length > 0);
for (let i = 0; i < 100; i++) {
  const p = withRuns[(i * 17) % withRuns.length];
  const run = p.runs[0];
  // Always a change from what the run carries now (an earlier bench run may have left either value).
  const value = run.chains.signed === 'true' ? 'failed' : 'true';
  const target = value === 'failed' ? 'failed' : run.chains.payloadKeys.length || run.chains.transparencyUrl ? 'signed-with-evidence' : 'marked-signed';
  const path = `/apis/tekton.dev/v1/namespaces/${run.namespace}/pipelineruns/${run.name}`;
  const sent = performance.now();
  const r = await admin.request('PATCH', path, { metadata: { annotations: { 'chains.tekton.dev/signed': value } } }, 'application/merge-patch+json');
  if (r.status >= 300) throw new Error(`patch failed: ${r.status} ${r.text}`);
  for (;;) {
    const seen = latest!.model.pipelines.find((x) => x.id === p.id)?.runs.find((x) => x.name === run.name);
    if (seen && seen.chains.signed === value && seen.chains.state === target) break;
    if (performance.now() - sent > 10_000) throw new Error(`change ${i} not seen within 10 s`);
    await new Promise((res) => setTimeout(res, 2));
  }
  latencies.push(publishedAt - sent);
}
admin.close();
source.stop();
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
console.log(JSON.stringify({ syncMs, firstScoreMs, rssAfterSync, heapAfterSync, heapTotalAfterSync, externalAfterSync, pipelines, objects: source.stats.objectsByKind, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] }));
process.exit(0);
