/**
 * The `factorlab` command tree. Each command lives in `commands/` and registers itself here.
 */
import { Command } from 'commander';
import type { CliStreams } from './streams.js';
import { commandsFor, registerCommands } from './commands/index.js';

/**
 * The program for these arguments (`process.argv` without node and the script): only the
 * commands they need are loaded (commands/index.ts), so start-up pays for one command.
 */
export async function buildProgram(streams: CliStreams, version: string, args: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('factorlab')
    .description(
      'Factor research from the command line: load and check market data, measure what assets and ' +
        'portfolios are exposed to, test whether a signal predicts returns, and backtest strategies driven by it. Run `factorlab demo` ' +
        'for a tour on synthetic data with planted exposures and a planted signal.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('  hint: run factorlab --help for the commands')
    .configureOutput(usageOutput(streams, 'factorlab'))
    .exitOverride();
  await registerCommands(program, streams, commandsFor(args));
  for (const c of program.commands)
    c.exitOverride()
      .showHelpAfterError(`  hint: run factorlab ${c.name()} --help for its flags`)
      .configureOutput(usageOutput(streams, `factorlab ${c.name()}`));
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 2 bad input (the message says which file, line, column or asset), 1 a fault in factorlab.

Examples:
  factorlab demo --out ./demo
  factorlab inspect prices.csv.gz --asset-col Name
  factorlab exposures --prices demo/prices.csv --factors demo/factors.csv --clean
  factorlab rolling --prices demo/prices.csv --factors demo/factors.csv --weights equal --window 252
  factorlab analyze --factor demo/signal.csv --prices demo/prices.csv --clean
  factorlab combine --factor demo/signal.csv --factor demo/placebo.csv --prices demo/prices.csv --method icir --out composite.csv
  factorlab optimize --prices demo/prices.csv --factors demo/factors.csv --clean --benchmark equal --max-weight 0.05 --max-names 60
  factorlab replicate --prices demo/prices.csv --factors demo/factors.csv --clean --fit-end 2019-12-31 --target-weights equal --max-names 30
  factorlab zoo --prices demo/prices.csv demo/signal.csv demo/placebo.csv momentum:252,21 --results zoo/ --table zoo/summary.csv
  factorlab backtest --prices demo/prices.csv --factor demo/signal.csv --rule top-n --top 20 --schedule weekly:fri --cost-bps 10

Each command's --help explains its flags and defaults. Long work shows a progress line on a terminal;
--quiet (on any command) silences it.`,
  );
  return program;
}

/**
 * Commander's usage errors (an unknown or missing flag, a bad choice) in the form of every other
 * error: `factorlab <command>: error: ...` on stderr, then a hint line.
 */
function usageOutput(
  streams: CliStreams,
  who: string,
): { writeOut: (s: string) => void; writeErr: (s: string) => void; outputError: (s: string, write: (s: string) => void) => void } {
  return {
    writeOut: streams.stdout,
    writeErr: streams.stderr,
    outputError: (s, write) => write(s.startsWith('error: ') ? `${who}: ${s}` : s),
  };
}
