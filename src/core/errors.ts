/**
 * Errors that cross the library boundary.
 *
 * - {@link InputError}: the caller's data or arguments are wrong. The CLI exits with code 2.
 *   The message names the file, line, column, asset or date involved and says what to do.
 * - anything else is a fault of ours: the CLI exits with code 1.
 */

/** Where in the input a problem was found. Every field is optional; give what you know. */
export interface InputLocation {
  file?: string;
  /** 1-based line number in the file, counting the header as line 1. */
  line?: number;
  column?: string;
  asset?: string;
  date?: string;
  value?: string;
}

export interface InputErrorOptions extends InputLocation {
  /** What the user should do next. */
  hint?: string;
  cause?: unknown;
}

/** Bad input: the message says where and what to do next. Exit code 2 in the CLI. */
export class InputError extends Error {
  readonly location: InputLocation;
  readonly hint: string | undefined;
  readonly exitCode = 2;

  constructor(problem: string, options: InputErrorOptions = {}) {
    const { hint, cause, ...location } = options;
    super(formatInputMessage(problem, location, hint), cause === undefined ? undefined : { cause });
    this.name = 'InputError';
    this.location = location;
    this.hint = hint;
  }
}

function formatInputMessage(problem: string, loc: InputLocation, hint: string | undefined): string {
  const where: string[] = [];
  if (loc.file !== undefined) where.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  else if (loc.line !== undefined) where.push(`line ${loc.line}`);
  if (loc.column !== undefined) where.push(`column "${loc.column}"`);
  if (loc.asset !== undefined) where.push(`asset ${loc.asset}`);
  if (loc.date !== undefined) where.push(`date ${loc.date}`);
  let msg = where.length > 0 ? `${where.join(', ')}: ${problem}` : problem;
  if (loc.value !== undefined) msg += ` (value: ${JSON.stringify(truncate(loc.value, 60))})`;
  if (hint !== undefined) msg += `\n  hint: ${hint}`;
  return msg;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** True for errors caused by the caller's input (exit code 2). */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** Exit code for an error: 2 for bad input, 1 for anything else (our fault). */
export function exitCodeFor(e: unknown): 1 | 2 {
  return isInputError(e) ? 2 : 1;
}
