import 'server-only';
import type { HistoryConfig } from './config';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import { createHistoryStore, type HistoryStore } from './store';

/** Opens the configured engine and brings its schema up to date. */
export async function openHistoryStore(config: HistoryConfig): Promise<HistoryStore> {
  const db = config.engine === 'postgres' && config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDir ?? undefined);
  try {
    return await createHistoryStore(db, { cluster: config.cluster, retentionDays: config.retentionDays });
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
