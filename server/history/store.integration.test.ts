/**
 * The history store suite against a real PostgreSQL server (scripts/postgres.sh): the same SQL and migrations as
 * PGlite. Each test gets its own database. POSTURE_DATABASE_URL, when set, is used instead of starting a server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openPostgres } from './postgres';
import type { SqlClient } from './sql';
import { storeSuite } from './store.suite';

const script = join(process.cwd(), 'scripts', 'postgres.sh');
let dir: string | null = null;
let url = process.env.POSTURE_DATABASE_URL ?? '';
let admin: SqlClient | null = null;
let n = 0;

beforeAll(async () => {
  if (!url) {
    dir = mkdtempSync(join(tmpdir(), 'posture-pg-'));
    url = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8', timeout: 110_000 }).trim().split('\n').pop() ?? '';
  }
  admin = await openPostgres(url, { max: 1 });
});

afterAll(async () => {
  await admin?.close();
  if (dir) {
    execFileSync('bash', [script, 'stop', dir], { stdio: 'ignore', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  }
});

storeSuite('PostgreSQL', async () => {
  const name = `posture_history_${process.pid}_${n++}`;
  await admin!.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin!.exec(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return openPostgres(u.toString(), { max: 2 });
});
