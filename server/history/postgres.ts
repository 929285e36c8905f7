import 'server-only';
import type { SqlClient, SqlRunner } from './sql';

/** A PostgreSQL server (POSTURE_DATABASE_URL) through `pg`: what a fleet shares. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<SqlClient> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 4, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle client that loses its connection emits on the pool: without a listener that would crash the process.
  pool.on('error', () => {});
  const probe = await pool.connect();
  probe.release();
  const runner = (q: { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): SqlRunner => ({
    async query<R>(sql: string, params: unknown[] = []) {
      return (await q.query(sql, params)).rows as R[];
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await q.query(sql);
    },
  });
  return {
    engine: 'postgres',
    ...runner(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(runner(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
