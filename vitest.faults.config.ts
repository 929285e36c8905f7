import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Fault injection against a dev cluster of its own (scripts/dev-cluster): other ports and another state dir than
// the integration tests, so the two (and other checkouts) never share or stop each other's apiserver.
export default defineConfig({
  resolve: {
    alias: { 'server-only': fileURLToPath(new URL('./server/testing/empty.ts', import.meta.url)) },
  },
  test: {
    include: ['**/*.faults.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**', '**/.dev-cluster*/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    env: {
      DEV_CLUSTER_PORT: process.env.FAULTS_CLUSTER_PORT ?? '27443',
      DEV_CLUSTER_ETCD_PORT: process.env.FAULTS_CLUSTER_ETCD_PORT ?? '27379',
      DEV_CLUSTER_STATE: fileURLToPath(new URL('./.dev-cluster-faults', import.meta.url)),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
  },
});
