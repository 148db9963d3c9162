/**
 * The CLI entry: builds the program, runs it, and maps every outcome to an exit code:
 * 0 ok, 2 bad input (an `InputError` or a usage error), 1 a fault of ours.
 */
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { isInputError } from '../core/errors.js';
import { flagForOption } from './optionFlags.js';
import { buildProgram } from './program.js';
import { setQuiet } from './progress.js';
import { setGeneratorVersion } from './generator.js';
import { noteCommandLine } from '../io/outputs.js';

import { setWarningSink, type CliStreams } from './streams.js';

export type { CliStreams } from './streams.js';

const defaultStreams: CliStreams = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** The package version, read from package.json next to dist/ or src/. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Commands whose outputs are renamed into place as each is written: the zoo's per-factor results
 * (a long run keeps what it finished), the worker's job results, and the demo (which reads its own
 * files back). Every other command's outputs land together at its end, or none do.
 */
const WRITE_AS_THEY_GO: ReadonlySet<string> = new Set(['zoo', 'exposures-zoo', 'worker', 'demo']);

/**
 * `--quiet` is accepted by every command, anywhere before a `--`: it silences the progress line
 * (results, warnings and errors still print). Taken out of the arguments before commander sees them.
 */
export function takeQuiet(argv: readonly string[]): { rest: string[]; quiet: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end),
    tail = end < 0 ? [] : argv.slice(end);
  const rest = head.filter((a) => a !== '--quiet');
  return { rest: [...rest, ...tail], quiet: rest.length !== head.length };
}

/** Runs the CLI with `argv` (as `process.argv`) and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], streams: CliStreams = defaultStreams): Promise<number> {
  const version = packageVersion();
  setGeneratorVersion(version);
  const { rest, quiet } = takeQuiet(argv);
  setQuiet(quiet);
  noteCommandLine(rest.slice(2)); // so that no output replaces an input (io/outputs.ts)
  const previousSink = setWarningSink(streams.stderr);
  try {
    const program = await buildProgram(streams, version, rest.slice(2));
    if (WRITE_AS_THEY_GO.has(rest[2] ?? '')) await program.parseAsync(rest);
    else {
      // every output of the run lands together, or none does (io/write.ts)
      const { writeOutputsTogether } = await import('../io/write.js');
      await writeOutputsTogether(() => program.parseAsync(rest));
    }
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (help, version, or a usage error).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (isInputError(e)) {
      // library option names in the message become the flags the user can type
      streams.stderr(`factorlab: error: ${e.renamed(flagForOption)}\n`);
      return 2;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    streams.stderr(
      `factorlab: internal error: ${err.message}\n` +
        'This is a fault in factorlab, not in your data. Please report it with the command you ran' +
        (process.env.FACTORLAB_DEBUG ? `\n${err.stack ?? ''}\n` : ' (set FACTORLAB_DEBUG=1 to see the stack trace).\n'),
    );
    return 1;
  } finally {
    noteCommandLine(undefined);
    setWarningSink(previousSink);
  }
}
