/** The history's settings, read once from the environment. Pure over the env it is given. */
export interface HistoryConfig {
  /** false: POSTURE_HISTORY=off. */
  enabled: boolean;
  engine: 'pglite' | 'postgres';
  /** PostgreSQL URL (POSTURE_DATABASE_URL); the postgres engine only. */
  databaseUrl: string | null;
  /** PGlite data directory (POSTURE_DATA_DIR); null keeps the database in memory. */
  dataDir: string | null;
  cluster: string;
  retentionDays: number;
  /** Shortest time between two writes (POSTURE_HISTORY_INTERVAL_SECONDS, default 5). */
  minIntervalMs: number;
  /** What was wrong in the environment and replaced by a default: logged once. */
  warnings: string[];
}

export const DEFAULT_RETENTION_DAYS = 90;
const MAX_RETENTION_DAYS = 3_650;
// What a Kubernetes context or cluster is usually called; anything printable up to 253 characters is accepted.
const CLUSTER_NAME = /^[\x21-\x7e][\x20-\x7e]{0,252}$/;

function intIn(raw: string | undefined, name: string, min: number, max: number, fallback: number, warnings: string[]): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    warnings.push(`${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}: using ${fallback}`);
    return fallback;
  }
  return n;
}

export function historyConfig(env: Record<string, string | undefined> = process.env): HistoryConfig {
  const warnings: string[] = [];
  const databaseUrl = env.POSTURE_DATABASE_URL?.trim() || null;
  const rawCluster = env.POSTURE_CLUSTER_NAME?.trim();
  let cluster = 'default';
  if (rawCluster) {
    if (CLUSTER_NAME.test(rawCluster)) cluster = rawCluster;
    else warnings.push('POSTURE_CLUSTER_NAME must be 1 to 253 printable ASCII characters: using "default"');
  }
  return {
    enabled: !/^(off|false|0|no)$/i.test(env.POSTURE_HISTORY?.trim() ?? ''),
    engine: databaseUrl ? 'postgres' : 'pglite',
    databaseUrl,
    dataDir: env.POSTURE_DATA_DIR?.trim() || null,
    cluster,
    retentionDays: intIn(env.POSTURE_HISTORY_DAYS, 'POSTURE_HISTORY_DAYS', 1, MAX_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, warnings),
    minIntervalMs: intIn(env.POSTURE_HISTORY_INTERVAL_SECONDS, 'POSTURE_HISTORY_INTERVAL_SECONDS', 1, 3_600, 5, warnings) * 1000,
    warnings,
  };
}

/** The URL with its password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
