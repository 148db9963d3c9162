/**
 * One shared in-process DuckDB instance for the io layer, and SQL quoting helpers.
 *
 * Each reader opens its own connection (temp tables are per connection) and closes it when done,
 * so concurrent reads never see each other's tables. The instance is created lazily on first use.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | undefined;

/** The shared in-memory DuckDB instance. */
export function duckdbInstance(): Promise<DuckDBInstance> {
  instance ??= DuckDBInstance.create(':memory:');
  return instance;
}

/** Runs `f` with a fresh connection and always closes it. */
export async function withConnection<T>(f: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const con = await (await duckdbInstance()).connect();
  try {
    return await f(con);
  } finally {
    con.closeSync();
  }
}

/** SQL string literal: `'it''s'`. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** SQL quoted identifier: `"my ""col"""`. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** First line of a DuckDB error message, without the "Invalid Input Error: " style prefix. */
export function duckdbMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].replace(/^[A-Za-z ]+ Error: /, '');
}
