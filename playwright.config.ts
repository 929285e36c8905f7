import { defineConfig } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * E2E in Debian's Chromium (STACK-NOTES §6; never `npx playwright install`) against the production standalone
 * build (`npx next build` first). Four servers: the demo cluster on 3100, the hostile fixtures on 3101, a generated
 * cluster with the 150-task pipeline on 3103 (scripts/e2e-big-server.sh), and the
 * live source on 3102 reading the real dev cluster (scripts/dev-cluster, DEV_CLUSTER_PORT / DEV_CLUSTER_ETCD_PORT)
 * under the read-only viewer identity; scripts/e2e-live-server.sh starts and seeds the cluster first.
 */
const DEMO_PORT = Number(process.env.E2E_DEMO_PORT ?? 3100);
const HOSTILE_PORT = Number(process.env.E2E_HOSTILE_PORT ?? 3101);
const LIVE_PORT = Number(process.env.E2E_LIVE_PORT ?? 3102);
const BIG_PORT = Number(process.env.E2E_BIG_PORT ?? 3103);
// The 150-task DAG spec (e2e/dag.spec.ts) reads this server unless DAG_BIG_BASE_URL points at another.
process.env.DAG_BIG_BASE_URL ??= `http://127.0.0.1:${BIG_PORT}`;
/** Whether kube-apiserver and etcd are built (scripts/dev-cluster/build-bins.sh); a cold build takes ~15 min. */
const CLUSTER_BINS = join(process.env.TEKTON_POSTURE_CACHE ?? join(homedir(), '.cache/tekton-posture'), 'bin');
const binsBuilt = (process.env.KUBE_APISERVER && process.env.ETCD) || (existsSync(CLUSTER_BINS) && ['k8s-', 'etcd-'].every((p) => readdirSync(CLUSTER_BINS).some((d) => d.startsWith(p))));

const server = (port: number, env: Record<string, string>, command = 'bash scripts/start-standalone.sh', ready = '/healthz') => ({
  command,
  url: `http://127.0.0.1:${port}${ready}`,
  env: { PORT: String(port), HOSTNAME_BIND: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1', ...env },
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
});

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'demo', testIgnore: /(hostile|live)\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${DEMO_PORT}` } },
    { name: 'hostile', testMatch: /hostile\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${HOSTILE_PORT}` } },
    { name: 'live', testMatch: /live\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${LIVE_PORT}` } },
  ],
  webServer: [
    server(DEMO_PORT, { POSTURE_SOURCE: 'demo' }),
    server(HOSTILE_PORT, { POSTURE_SOURCE: 'files', POSTURE_FILES: resolve('testdata/hostile') }),
    server(BIG_PORT, {}, 'bash scripts/e2e-big-server.sh'),
    // Ready = /readyz: the live source's first sync of the cluster is done (503 before). Starting the cluster takes
    // seconds once its binaries are built (`npm test` builds them in the integration step); a first build minutes.
    { ...server(LIVE_PORT, {}, 'bash scripts/e2e-live-server.sh', '/readyz'), timeout: binsBuilt ? 240_000 : 40 * 60_000 },
  ],
});
