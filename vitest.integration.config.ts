import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration tests against the dev cluster (scripts/dev-cluster): real etcd + kube-apiserver on 127.0.0.1.
// One fork, files run one after another: they share one cluster (isolate by namespace).
export default defineConfig({
  resolve: {
    alias: { 'server-only': fileURLToPath(new URL('./server/testing/empty.ts', import.meta.url)) },
  },
  test: {
    include: ['**/*.integration.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**', '**/.dev-cluster/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
