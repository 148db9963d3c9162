/**
 * One shared in-process DuckDB instance for the io layer, reference-counted, and SQL quoting
 * helpers.
 *
 * Each reader opens its own connection (temp tables are per connection) and closes it when done,
 * so concurrent reads never see each other's tables. The instance is created on first use and
 * closed as soon as the last read finishes (users = 0), before the caller resumes: DuckDB keeps
 * the memory of a finished scan (CSV buffers, per-column parse vectors, the materialised result)
 * cached until the instance goes. Measured on the 5,774-ticker matrix (1,226 x 5,774): RSS
 * ~450 MB after the read with the instance open (even after a GC), ~160-220 MB once it is closed.
 * A new instance costs ~30 ms per read; reads that overlap share one, and {@link holdDuckdb}
 * keeps one open across a batch of reads.
 *
 * Settings, chosen for a library embedded in someone else's process:
 *  - `memory_limit` = {@link MEMORY_SHARE} of the memory the process may use (the smaller of the
 *    machine's RAM and the cgroup limit), at least 256 MB: DuckDB's default, 80 %, leaves the host
 *    little room. It bounds DuckDB's buffer-managed memory (CSV buffers, temp tables, materialised
 *    results, joins, sorts; these spill to disk beyond it), not operator-local vectors.
 *  - `temp_directory` under the OS temp folder (DuckDB's default, `.tmp`, is in the caller's cwd).
 *  - `threads` = the cores available to the process (DuckDB's default); a gzip CSV is decoded on
 *    one thread anyway, and the peak of a scan does not depend on it (measured 1 vs 2).
 */
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { trackTempPath } from './tempFiles.js';

/** The three C-API functions of `@duckdb/node-bindings` that the bulk vector reads use (vectors.ts). */
export interface DuckdbBindings {
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  vector_get_data(vector: unknown, byteCount: number): Uint8Array;
  vector_get_validity(vector: unknown, byteCount: number): Uint8Array | null;
}

/**
 * DuckDB's native modules are loaded on the first read, not when factorlab is imported: loading
 * them takes 0.3 s or more, which `--help`, usage errors and jobs that read no file should not pay.
 */
let modules: Promise<{ Instance: typeof DuckDBInstance; bindings: DuckdbBindings }> | undefined;
let loadedBindings: DuckdbBindings | undefined;

function loadModules(): Promise<{ Instance: typeof DuckDBInstance; bindings: DuckdbBindings }> {
  modules ??= Promise.all([import('@duckdb/node-api'), import('@duckdb/node-bindings')]).then(([api, b]) => {
    const bindings: DuckdbBindings = b.default;
    loadedBindings = bindings;
    // node-api declares its types twice (for `import()` and for static imports); it is one class.
    return { Instance: api.DuckDBInstance as unknown as typeof DuckDBInstance, bindings };
  });
  return modules;
}

/** The C bindings; loaded by then, since their only callers read chunks of an open connection. */
export function duckdbBindings(): DuckdbBindings {
  if (loadedBindings === undefined) throw new Error('DuckDB bindings used before any connection was opened');
  return loadedBindings;
}

/** Share of the process's memory DuckDB may use for buffer-managed data. */
export const MEMORY_SHARE = 0.25;

/** The settings the shared instance is created with. */
export function duckdbSettings(): Record<string, string> {
  const constrained = process.constrainedMemory() ?? 0;
  const total = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  const limitMb = Math.max(256, Math.floor((total * MEMORY_SHARE) / 2 ** 20));
  return {
    memory_limit: `${limitMb}MB`,
    threads: String(Math.max(1, availableParallelism())),
    temp_directory: join(tmpdir(), `factorlab-duckdb-${process.pid}`),
  };
}

interface Shared {
  instance: Promise<DuckDBInstance>;
  /** Set once the instance exists. */
  db?: DuckDBInstance;
  users: number;
  /** Takes DuckDB's spill directory out of the registry of temporary paths (tempFiles.ts). */
  untrack: () => void;
}

let shared: Shared | undefined;
let opened = 0;

function acquire(): Shared {
  if (shared === undefined) {
    const settings = duckdbSettings();
    // While an instance is open, an interrupted CLI removes its spill directory (tempFiles.ts).
    const untrack = trackTempPath(settings.temp_directory);
    const s: Shared = { instance: loadModules().then(({ Instance }) => Instance.create(':memory:', settings)), users: 0, untrack };
    // A failed start is forgotten at once: the next read tries again.
    s.instance.then(
      (db) => {
        s.db = db;
      },
      () => {
        if (shared === s) shared = undefined;
        untrack();
      },
    );
    shared = s;
    opened++;
  }
  shared.users++;
  return shared;
}

function release(s: Shared): void {
  if (--s.users > 0) return;
  if (holds > 0 && shared === s) return; // kept open for the rest of a holdDuckdb batch
  close(s);
}

function close(s: Shared): void {
  if (shared === s) shared = undefined;
  // Synchronously when the instance exists, so the memory is back before the caller resumes.
  if (s.db !== undefined) {
    s.db.closeSync();
    s.untrack();
  } else
    s.instance.then(
      (db) => {
        db.closeSync();
        s.untrack();
      },
      () => undefined,
    );
}

/** holdDuckdb calls in progress. */
let holds = 0;

/**
 * Runs `f` (which may read several files) so that its DuckDB reads share one instance: the first
 * read that needs DuckDB creates it and it stays open until `f` settles (and no other read is in
 * progress). A batch whose files all go through the fast CSV reader never loads DuckDB at all.
 */
export async function holdDuckdb<T>(f: () => Promise<T>): Promise<T> {
  holds++;
  try {
    return await f();
  } finally {
    if (--holds === 0 && shared !== undefined && shared.users === 0) close(shared);
  }
}

/** Instances created so far, reads and holds in progress (for tests and diagnostics). */
export function duckdbStats(): { opened: number; users: number; open: boolean } {
  return { opened, users: (shared?.users ?? 0) + holds, open: shared !== undefined };
}

/**
 * Runs `f` with a fresh connection to the shared instance and always closes it; the instance is
 * closed when the last such call finishes. Nothing from the connection (results, chunks, views of
 * vectors) may be used after `f` settles.
 */
export async function withConnection<T>(f: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const s = acquire();
  try {
    const con = await (await s.instance).connect();
    try {
      return await f(con);
    } finally {
      con.closeSync();
    }
  } finally {
    release(s);
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
