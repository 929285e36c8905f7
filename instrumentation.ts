/**
 * Starts the configured data source once per server instance (STACK-NOTES §2). The positive NEXT_RUNTIME branch
 * lets the edge bundle drop the import; nothing starts while `next build` collects pages.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    if (process.env.NEXT_PHASE !== 'phase-production-build') {
      const { ensureStarted } = await import('./server/state');
      ensureStarted().catch((e: unknown) => {
        console.error(JSON.stringify({ level: 'error', msg: 'engine start failed', error: e instanceof Error ? e.message : String(e) }));
      });
    }
  }
}
