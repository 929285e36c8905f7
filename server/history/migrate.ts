import 'server-only';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlClient } from './sql';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/**
 * Where the numbered SQL files are: beside this module in the repository, under the working directory in the
 * standalone server (next.config traces them there), or POSTURE_MIGRATIONS_DIR.
 */
export function migrationsDir(): string {
  const candidates = [
    process.env.POSTURE_MIGRATIONS_DIR,
    join(process.cwd(), 'server', 'history', 'migrations'),
    join(process.cwd(), '..', 'server', 'history', 'migrations'),
  ].filter((d): d is string => Boolean(d));
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`history migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The migration files in version order; two files of one version are a mistake worth stopping for. */
export function readMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const sql = readFileSync(join(dir, name), 'utf8');
    out.push({ version: Number(m[1]), name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i].version === out[i - 1].version) throw new Error(`two history migrations share version ${out[i].version}: ${out[i - 1].name}, ${out[i].name}`);
  }
  return out;
}

// Replicas starting together must not both apply a migration: they queue on this lock inside the transaction.
const MIGRATION_LOCK = 7_414_101;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, in one transaction: a failing file
 * leaves the schema as it was. A recorded migration whose file changed since is refused (the database would no
 * longer match what the code expects); a database newer than this build is used as it is.
 */
export async function migrate(db: SqlClient, migrations: Migration[] = readMigrations()): Promise<{ applied: string[] }> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const done = new Map((await tx.query<{ version: number; checksum: string; name: string }>('SELECT version, name, checksum FROM schema_migrations')).map((r) => [r.version, r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const recorded = done.get(m.version);
      if (recorded) {
        if (recorded.checksum !== m.checksum) throw new Error(`history migration ${m.name} changed after it was applied (as ${recorded.name}): add a new migration instead`);
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      applied.push(m.name);
    }
    return { applied };
  });
}
