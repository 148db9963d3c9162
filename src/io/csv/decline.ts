/**
 * `Declined`: thrown by the fast CSV reader when a file needs something it does not do (quoted
 * fields, a date shape only DuckDB's casts read). Not an input error: `readPanel` then reads the
 * file with DuckDB, which either reads it or reports the located InputError as before.
 */
export class Declined extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`the fast CSV reader declined${line !== undefined ? ` at line ${line}` : ''}: ${reason}`);
    this.name = 'Declined';
  }
}
