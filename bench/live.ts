/**
 * `npm run bench:live`: seeds 2,000 pipelines, 20,000 PipelineRuns and 60,000 TaskRuns into the dev cluster (real
 * kube-apiserver + etcd, once: later runs reuse them), then prints the app's cold sync time, one raw paged LIST of
 * pipelineruns and taskruns (what `kubectl get pipelineruns,taskruns -A -o json` does) against the same apiserver,
 * their ratio, the app's RSS after sync and the event-to-rescore latency of 100 annotation changes.
 * Targets: ratio ≤ 1.5, RSS ≤ 600 MiB, p99 ≤ 1 s. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { performance } from 'node:perf_hooks';
import { BENCH_CLUSTER, generateCluster } from '../lib/demo/generate';
import { Kube, seedObjects, type KObj } from '../scripts/dev-cluster/kube';
import { ensureDevCluster } from '../server/testing/cluster';
import { loadKubeConfig, ReadOnlyKubeClient } from '../server/live/kube-client';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const cluster = await ensureDevCluster();
const admin = new Kube(cluster.adminKubeconfig, 16);
const last = await admin.request('GET', `/apis/tekton.dev/v1/namespaces/team-${(BENCH_CLUSTER.pipelines - 1) % BENCH_CLUSTER.namespaces}-ci/pipelines/pipeline-${BENCH_CLUSTER.pipelines - 1}`);
if (last.status !== 200) {
  const objects = generateCluster(BENCH_CLUSTER) as unknown as KObj[];
  console.log(`seeding ${objects.length} objects (once; later runs reuse them)…`);
  const r = await seedObjects(admin, objects, { concurrency: 32, onProgress: (d, t) => d % 10000 === 0 && console.log(`  ${d}/${t}`) });
  console.log(`seeded in ${(r.ms / 1000).toFixed(0)} s, ${r.failed.length} failures${r.failed.length ? `: ${r.failed[0].error}` : ''}`);
}
admin.close();

const viewer = new ReadOnlyKubeClient(loadKubeConfig({ kubeconfig: cluster.viewerKubeconfig }));
let listed = 0;
const t0 = performance.now();
// One page after the other, as `kubectl get --chunk-size=500` does (the app's own listAll prefetches the next page).
for (const plural of ['pipelineruns', 'taskruns']) {
  let token: string | null = null;
  do {
    const page = await viewer.listPage(`/apis/tekton.dev/v1/${plural}`, 500, token);
    listed += page.items.length;
    token = page.continueToken;
  } while (token);
}
const rawMs = performance.now() - t0;
console.log(`raw paged LIST of pipelineruns + taskruns (kubectl get -A -o json equivalent): ${listed} objects in ${(rawMs / 1000).toFixed(2)} s`);

// The app's side runs as compiled JavaScript under plain node, as in production: under tsx the TypeScript loader's
// own worker thread (a second V8 isolate) would count in the RSS.
const bundleDir = mkdtempSync(join(tmpdir(), 'posture-bench-live-'));
const childJs = join(bundleDir, 'live-sync-child.mjs');
await build({
  entryPoints: ['bench/live-sync-child.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['react-server'],
  outfile: childJs,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
const child = spawnSync(process.execPath, ['--expose-gc', childJs, cluster.viewerKubeconfig, cluster.adminKubeconfig], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 20 * 60_000 });
rmSync(bundleDir, { recursive: true, force: true });
const line = child.stdout.trim().split('\n').pop() ?? '';
if (child.status !== 0 || !line.startsWith('{')) {
  console.error(child.stdout, child.stderr);
  process.exit(1);
}
const r = JSON.parse(line) as { syncMs: number; firstScoreMs: number; rssAfterSync: number; heapAfterSync: number; heapTotalAfterSync: number; externalAfterSync: number; pipelines: number; objects: Record<string, number>; p50: number; p99: number; max: number };
console.log(`app cold sync (every kind listed, watches started, first full score of ${r.pipelines} pipelines): ${(r.syncMs / 1000).toFixed(2)} s, of which the first full score ${(r.firstScoreMs / 1000).toFixed(2)} s`);
console.log(`ratio app sync / raw LIST: ${(r.syncMs / rawMs).toFixed(2)}   [target ≤ 1.5]`);
console.log(`app RSS after sync: ${mib(r.rssAfterSync)} (V8 heap used ${mib(r.heapAfterSync)} of ${mib(r.heapTotalAfterSync)}, external ${mib(r.externalAfterSync)})   [target ≤ 600 MiB]; kept objects: ${JSON.stringify(r.objects)}`);
console.log(`event-to-rescore latency, 100 annotation changes: p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms   [target p99 ≤ 1 s]`);
