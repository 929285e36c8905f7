import { defineConfig } from '@playwright/test';
import { resolve } from 'node:path';

/**
 * E2E in Debian's Chromium (STACK-NOTES §6; never `npx playwright install`) against the production standalone
 * build (`npx next build` first). Three servers: the demo cluster on 3100, the hostile fixtures on 3101, and a real
 * kube-apiserver seeded with the demo and read under the viewer identity on 3102 (scripts/e2e-live-server.sh).
 */
const DEMO_PORT = Number(process.env.E2E_DEMO_PORT ?? 3100);
const HOSTILE_PORT = Number(process.env.E2E_HOSTILE_PORT ?? 3101);
const LIVE_PORT = Number(process.env.E2E_LIVE_PORT ?? 3102);

const server = (port: number, env: Record<string, string>, command = 'bash scripts/start-standalone.sh', timeout = 60_000) => ({
  command,
  // /readyz: the first sync is done, so a test never sees a half-read cluster.
  url: `http://127.0.0.1:${port}/readyz`,
  env: { PORT: String(port), HOSTNAME_BIND: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1', ...env },
  reuseExistingServer: false,
  timeout,
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
    // Builds kube-apiserver and etcd first when they are not cached yet (minutes): hence the long timeout.
    server(LIVE_PORT, {}, 'bash scripts/e2e-live-server.sh', 20 * 60_000),
  ],
});
