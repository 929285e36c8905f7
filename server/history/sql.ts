import 'server-only';

/**
 * The little SQL both engines share: parameterised queries, multi-statement scripts (migrations) and
 * transactions. The store and the migrations are written once against it; `pglite.ts` and `postgres.ts` adapt.
 */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlRunner {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A timestamptz as both drivers may hand it back (Date, or text for a value read through a cast). */
export function isoOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}
