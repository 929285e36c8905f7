import 'server-only';
import type { SqlClient, SqlRunner } from './sql';

/**
 * Embedded PostgreSQL (PGlite, WebAssembly): the default engine. `dataDir` keeps the database on disk across
 * restarts; without it the database lives in memory. One process per data directory: PGlite takes no lock of its own.
 */
export async function openPglite(dataDir?: string): Promise<SqlClient> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const runner = (q: Pick<typeof db, 'query' | 'exec'>): SqlRunner => ({
    async query<R>(sql: string, params: unknown[] = []) {
      return (await q.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    engine: 'pglite',
    ...runner(db),
    transaction: (fn) => db.transaction((tx) => fn(runner(tx))),
    close: () => db.close(),
  };
}
