// Stand-in for the `server-only` package in integration tests (vitest.integration.config.ts aliases it here).
export {};
