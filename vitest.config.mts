import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { 'server-only': fileURLToPath(new URL('./lib/testing/empty.ts', import.meta.url)) },
  },
  test: {
    include: ['{lib,server,components,app,cli,deploy,scripts,bench}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/*.integration.test.ts', '**/*.faults.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 20 * 60_000,
  },
});
