/**
 * Output paths checked before any work: a command validates every output it was asked for
 * (extension, directory, writability, no two outputs on one file) before reading or computing
 * anything, so a bad path costs the user a second, not a long run, and never leaves one output
 * written and the next one failed.
 *
 * Every problem is an {@link InputError} (exit code 2 in the CLI) naming the flag and the path and
 * saying what to do.
 */
import { accessSync, constants, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

export type OutputFormat = 'csv' | 'csv.gz' | 'parquet' | 'json' | 'html';

/** Every table format, in the order messages list them. */
export const TABLE_FORMATS: readonly OutputFormat[] = ['csv', 'csv.gz', 'parquet', 'json'];

/** The format a file name asks for (`.csv`, `.csv.gz`, `.parquet` or `.pq`, `.json`, `.html` or `.htm`; any case), or undefined. */
export function outputFormatOf(file: string): OutputFormat | undefined {
  const f = basename(file).toLowerCase();
  if (f.endsWith('.csv.gz')) return 'csv.gz';
  if (f.endsWith('.csv')) return 'csv';
  if (f.endsWith('.parquet') || f.endsWith('.pq')) return 'parquet';
  if (f.endsWith('.json')) return 'json';
  if (f.endsWith('.html') || f.endsWith('.htm')) return 'html';
  return undefined;
}

export interface OutputSpec {
  /** The flag that named the path, for messages (`--out`). */
  flag: string;
  /** The formats this output may be written in. */
  formats: readonly OutputFormat[];
}

function stats(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function extensionOf(file: string): string {
  const name = basename(file);
  const dot = name.indexOf('.', 1);
  return dot < 0 ? '(none)' : `"${name.slice(dot)}"`;
}

function listFormats(formats: readonly OutputFormat[]): string {
  const names = formats.map((f) => `.${f}`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Fails unless `dir` exists, is a directory and can be written in. */
function assertWritableDirectory(dir: string, file: string, flag: string): void {
  const s = stats(dir);
  if (s === undefined) {
    throw new InputError(`${flag}: the directory ${dir} does not exist`, {
      file,
      hint: `create it first (mkdir -p ${dir}) or choose another path`,
    });
  }
  if (!s.isDirectory())
    throw new InputError(`${flag}: ${dir} is not a directory`, { file, hint: 'choose a path inside an existing directory' });
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${flag}: cannot write in the directory ${dir} (permission denied)`, {
      file,
      hint: 'choose a directory you can write in',
    });
  }
}

/**
 * Checks that `path` can be written as an output of `spec.flag` and returns its format. Throws an
 * InputError when the extension is unknown or not one of `spec.formats` (the message lists the
 * accepted ones), when the parent directory is missing ("create it first"), is not a directory or
 * cannot be written in, or when `path` is an existing directory. An existing file is fine: it is
 * replaced atomically when the output is complete. Touches nothing on disk.
 */
export function checkOutput(path: string, spec: OutputSpec): OutputFormat {
  const { flag, formats } = spec;
  if (path.trim() === '')
    throw new InputError(`${flag} needs a file name`, {
      hint: `e.g. ${flag} result${formats[0] === 'csv.gz' ? '.csv.gz' : `.${formats[0]}`}`,
    });
  const format = outputFormatOf(path);
  if (stats(path)?.isDirectory()) {
    // Checked first: a directory name usually has no extension, and "is a directory" is the real cause.
    throw new InputError(`${flag}: ${path} is a directory`, {
      file: path,
      hint: `give a file name, e.g. ${join(path, `result.${format !== undefined && formats.includes(format) ? format : formats[0]}`)}`,
    });
  }
  if (format === undefined || !formats.includes(format)) {
    const accepted = listFormats(formats);
    throw new InputError(
      format === undefined
        ? `${flag}: unknown extension ${extensionOf(path)}; ${flag} writes ${accepted}`
        : `${flag} cannot write .${format}; it writes ${accepted}`,
      { file: path, hint: `name the file with one of: ${accepted}` },
    );
  }
  assertWritableDirectory(dirname(resolve(path)), path, flag);
  return format;
}

/** Where a path would be written, with symbolic links in its directory resolved. */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/** The file a path reads: every symbolic link resolved, its own name included (its canonical path when it cannot be). */
function realFile(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return canonical(path);
  }
}

/**
 * How many times each existing file is named on the command line being run (the file it reads,
 * symbolic links resolved → count), or undefined outside a command line (library use):
 * {@link noteCommandLine}.
 */
let commandLineFiles: Map<string, number> | undefined;

/**
 * Notes the files a command line names (every argument, and the value of each `--flag=value`, that
 * is an existing regular file), so that {@link checkOutputs} can refuse an output that would
 * replace one of the command's inputs: `--out prices.csv` beside `--prices ./prices.csv` names the
 * file twice. An existing output from an earlier run is named once, as an output, and may be
 * replaced. `undefined` forgets the line (the CLI calls this around each run).
 */
export function noteCommandLine(args: readonly string[] | undefined): void {
  if (args === undefined) {
    commandLineFiles = undefined;
    return;
  }
  const files = new Map<string, number>();
  for (const a of args) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const value = eq > 0 ? a.slice(eq + 1) : a;
    if (value === '' || !stats(value)?.isFile()) continue;
    const key = realFile(value);
    files.set(key, (files.get(key) ?? 0) + 1);
  }
  commandLineFiles = files;
}

/**
 * {@link checkOutput} for every output a command was given (undefined paths are skipped: the flag
 * was not used), in order, and then that no two of them name the same file and that none names a
 * file the command line also gives as an input ({@link noteCommandLine}: writing it would replace
 * the user's data). Returns the formats in the same order (undefined for skipped ones).
 */
export function checkOutputs(outputs: readonly (OutputSpec & { path: string | undefined })[]): (OutputFormat | undefined)[] {
  const formats = outputs.map((o) => (o.path === undefined ? undefined : checkOutput(o.path, o)));
  const seen = new Map<string, string>();
  for (const o of outputs) {
    if (o.path === undefined) continue;
    const key = canonical(o.path);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new InputError(`${other} and ${o.flag} name the same file`, { file: o.path, hint: 'give each output its own file name' });
    }
    seen.set(key, o.flag);
    // the file the output replaces (a symbolic link named as an output is replaced itself, not its
    // target) must not be read by the command: named once, as the output itself, when it exists
    // and is not a link; else not at all (`--prices link.csv --nav-out target.csv` replaces the data)
    let own = 0;
    try {
      own = lstatSync(o.path).isFile() ? 1 : 0;
    } catch {
      own = 0;
    }
    if ((commandLineFiles?.get(key) ?? 0) > own)
      throw new InputError(`${o.flag} ${o.path} is also an input of this command: writing it would replace that data`, {
        file: o.path,
        hint: `give ${o.flag} another file name`,
      });
  }
  return formats;
}

/**
 * Checks a directory output (`demo --out DIR`) and the files to be written in it: `dir` must be
 * a directory or not exist yet (it is then created, with its parents, by the writer); an existing
 * file there, or a missing / unwritable nearest existing ancestor, is an InputError. `files` (names
 * inside `dir`) must not be existing directories.
 */
export function checkOutputDirectory(dir: string, flag: string, files: readonly string[] = []): void {
  if (dir.trim() === '') throw new InputError(`${flag} needs a directory name`, { hint: `e.g. ${flag} ./out` });
  const abs = resolve(dir);
  const s = stats(abs);
  if (s !== undefined && !s.isDirectory()) {
    throw new InputError(`${flag}: ${dir} exists and is not a directory`, {
      file: dir,
      hint: 'give the name of a directory (it is created if missing), or remove the file',
    });
  }
  if (s === undefined) {
    // The nearest existing ancestor must be a directory we can write in.
    let up = dirname(abs);
    while (stats(up) === undefined && dirname(up) !== up) up = dirname(up);
    const u = stats(up);
    if (u === undefined || !u.isDirectory()) {
      throw new InputError(`${flag}: cannot create ${dir}: ${up} is not a directory`, {
        file: dir,
        hint: 'choose a path under an existing directory',
      });
    }
    try {
      accessSync(up, constants.W_OK | constants.X_OK);
    } catch {
      throw new InputError(`${flag}: cannot create ${dir} in ${up} (permission denied)`, {
        file: dir,
        hint: 'choose a directory you can write in',
      });
    }
    return;
  }
  try {
    accessSync(abs, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${flag}: cannot write in the directory ${dir} (permission denied)`, {
      file: dir,
      hint: 'choose a directory you can write in',
    });
  }
  for (const name of files) {
    if (stats(join(abs, name))?.isDirectory()) {
      throw new InputError(`${flag}: ${join(dir, name)} is a directory, and ${name} is written there`, {
        file: join(dir, name),
        hint: 'remove or rename it, or choose another --out directory',
      });
    }
  }
}

/**
 * The outputs of a run being put in place: io/write.ts `writeOutputsTogether` renames them one
 * after another at the run's end. An interrupt that lands then (cli/interrupt.ts) says which are in
 * place and which are not, and ends the process by the signal (exit status 130 for Ctrl-C), instead
 * of the signal being lost: the renames run in one synchronous loop, so the signal reaches its
 * JavaScript handler only after it, and before this record the handler was already gone by then
 * (it is armed while a temporary file exists, and the last rename removed the last one), so the
 * run ended with status 0 after a Ctrl-C.
 */
export interface OutputCommit {
  /** The targets, in the order they are renamed. */
  readonly files: readonly string[];
  /** How many of them (the first ones) are in place. */
  inPlace: number;
}

let commit: OutputCommit | undefined;
let commitListener: ((active: boolean) => void) | undefined;

/** Records the start of a commit of `files` (in rename order); the caller advances `inPlace` and ends it with {@link endOutputCommit}. */
export function beginOutputCommit(files: readonly string[]): OutputCommit {
  commit = { files: [...files], inPlace: 0 };
  commitListener?.(true);
  return commit;
}

/** Ends `c` (when it is the current commit). */
export function endOutputCommit(c: OutputCommit): void {
  if (commit !== c) return;
  commit = undefined;
  commitListener?.(false);
}

/** The commit under way (its targets in place and not yet), or undefined. */
export function outputCommit(): { inPlace: string[]; notInPlace: string[] } | undefined {
  if (commit === undefined) return undefined;
  return { inPlace: commit.files.slice(0, commit.inPlace), notInPlace: commit.files.slice(commit.inPlace) };
}

/** Calls `f(active)` when a commit begins or ends (one listener; `undefined` removes it). Returns the previous listener. */
export function onOutputCommitChange(f: ((active: boolean) => void) | undefined): ((active: boolean) => void) | undefined {
  const previous = commitListener;
  commitListener = f;
  return previous;
}

/**
 * Resolves once every signal that arrived until now has reached its JavaScript handler: Node reads
 * the signals libuv caught in the poll phase of the event loop, and two nested `setImmediate`s span
 * one poll phase whatever phase this is called in (one is not enough from an I/O callback: its
 * check phase comes before the next poll). A caller that must not lose a signal (a commit's end)
 * waits for this before it lets its handler go.
 */
export function signalsDelivered(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
