/**
 * The `factorlab` command tree. Each command lives in `commands/` and registers itself here.
 */
import { Command } from 'commander';
import type { CliStreams } from './run.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(streams: CliStreams, version: string): Command {
  const program = new Command();
  program
    .name('factorlab')
    .description(
      'Factor research from the command line: load and check market data, measure factor exposures, ' +
        'test signals, build factor portfolios. Run `factorlab demo` for a tour on synthetic data.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: streams.stdout, writeErr: streams.stderr })
    .exitOverride();
  registerCommands(program, streams);
  for (const c of program.commands) c.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput({ writeOut: streams.stdout, writeErr: streams.stderr });
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 2 bad input (the message says which file, line, column or asset), 1 a fault in factorlab.

Examples:
  factorlab demo --out ./demo                      synthetic market with planted exposures and signal
  factorlab inspect prices.csv.gz --asset-col Name shape, dates, frequency, data-quality findings
  factorlab inspect F-F_Research_Data_Factors_daily.CSV   Ken French files are recognised`,
  );
  return program;
}
