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
  /**
   * Library option names (e.g. `maxLoss`) that the problem or hint mentions by name. A front end
   * with its own names for them (the CLI's `--max-loss`) rewrites the message with
   * {@link InputError.renamed}, so the user reads the name they can type.
   */
  options?: readonly string[];
  cause?: unknown;
}

/** Bad input: the message says where and what to do next. Exit code 2 in the CLI. */
export class InputError extends Error {
  readonly location: InputLocation;
  readonly hint: string | undefined;
  /** The problem alone, without location or hint. */
  readonly problem: string;
  /** Library option names mentioned in the problem or hint (see {@link InputErrorOptions.options}). */
  readonly options: readonly string[];
  readonly exitCode = 2;

  constructor(problem: string, options: InputErrorOptions = {}) {
    const { hint, cause, options: names, ...location } = options;
    super(formatInputMessage(problem, location, hint), cause === undefined ? undefined : { cause });
    this.name = 'InputError';
    this.location = location;
    this.hint = hint;
    this.problem = problem;
    this.options = names ?? [];
  }

  /**
   * The message with every whole-word occurrence of each option name in {@link options} replaced
   * by `rename(name)`; names `rename` leaves undefined stay as they are. Location and value are
   * formatted exactly as in `message`.
   */
  renamed(rename: (option: string) => string | undefined): string {
    let problem = this.problem,
      hint = this.hint;
    for (const name of this.options) {
      const to = rename(name);
      if (to === undefined) continue;
      const word = new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
      problem = problem.replace(word, to);
      if (hint !== undefined) hint = hint.replace(word, to);
    }
    return formatInputMessage(problem, this.location, hint);
  }
}

/** Longest user-supplied value shown in a message (file, column, asset or value), in characters. */
export const SHOWN_VALUE_CHARS = 40;

/**
 * Text safe to print on a terminal: every run of control characters (C0 and C1, DEL), the Unicode
 * replacement character (what undecodable bytes become) and other non-printing format characters
 * becomes one `?`; tabs and newlines too (unless `keepNewlines`), so a binary file's bytes never
 * reach the terminal.
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNPRINTABLE_BUT_NEWLINE : UNPRINTABLE, '?');
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+/g;
// eslint-disable-next-line no-control-regex -- as above
const UNPRINTABLE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffd\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+/g;

/** {@link printable}, then cut to at most `max` characters (an ellipsis marks the cut). */
export function shown(text: string, max = SHOWN_VALUE_CHARS): string {
  return truncate(printable(text), max);
}

/**
 * `where: problem (value: "...")` and the hint on its own line. Everything that can come from
 * the user's files is made printable ({@link printable}); column, asset, date and value are cut
 * to {@link SHOWN_VALUE_CHARS} characters (file paths are shown whole: the user typed them).
 */
function formatInputMessage(problem: string, loc: InputLocation, hint: string | undefined): string {
  const where: string[] = [];
  const file = loc.file === undefined ? undefined : printable(loc.file);
  if (file !== undefined) where.push(loc.line !== undefined ? `${file}:${loc.line}` : file);
  else if (loc.line !== undefined) where.push(`line ${loc.line}`);
  if (loc.column !== undefined) where.push(`column "${shown(loc.column)}"`);
  if (loc.asset !== undefined) where.push(`asset ${shown(loc.asset)}`);
  if (loc.date !== undefined) where.push(`date ${shown(loc.date)}`);
  const what = printable(problem, true);
  let msg = where.length > 0 ? `${where.join(', ')}: ${what}` : what;
  if (loc.value !== undefined) msg += ` (value: ${JSON.stringify(shown(loc.value))})`;
  if (hint !== undefined) msg += `\n  hint: ${printable(hint, true)}`;
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
