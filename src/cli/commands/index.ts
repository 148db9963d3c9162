/**
 * Every command, in the order `--help` lists them, each loaded only when it is needed: a run of
 * one command imports that command's modules alone (`factorlab analyze` does not load the
 * optimiser, the backtest engine or the zoo), `--version` imports none, and the full help or an
 * unknown command loads them all (commander lists them and suggests the nearest name).
 */
import type { Command } from 'commander';
import type { CliStreams } from '../streams.js';

type Register = (program: Command, streams: CliStreams) => void;

/**
 * Command name(s) → loader of the module's register function, in help order (zoo.ts registers
 * both `zoo` and `exposures-zoo`).
 */
export const COMMANDS: ReadonlyArray<readonly [string | readonly string[], () => Promise<Register>]> = [
  ['inspect', async () => (await import('./inspect.js')).registerInspect],
  ['exposures', async () => (await import('./exposures.js')).registerExposures],
  ['rolling', async () => (await import('./rolling.js')).registerRolling],
  ['analyze', async () => (await import('./analyze.js')).registerAnalyze],
  ['combine', async () => (await import('./combine.js')).registerCombine],
  ['optimize', async () => (await import('./optimize.js')).registerOptimize],
  ['replicate', async () => (await import('./replicate.js')).registerReplicate],
  ['allocate', async () => (await import('./allocate.js')).registerAllocate],
  ['report', async () => (await import('./report.js')).registerReport],
  ['backtest', async () => (await import('./backtest.js')).registerBacktest],
  ['demo', async () => (await import('./demo.js')).registerDemo],
  [['zoo', 'exposures-zoo'], async () => (await import('./zoo.js')).registerZoo],
  ['worker', async () => (await import('./worker.js')).registerWorker],
];

/**
 * The commands a run with these arguments (`process.argv` without node and the script) needs:
 * the one it names first, none for a bare `-V` / `--version`, every one otherwise.
 */
export function commandsFor(args: readonly string[]): string[] {
  const first = args[0];
  if (first !== undefined && commandNames().includes(first)) return [first];
  if (args.length === 1 && (first === '-V' || first === '--version')) return [];
  return commandNames();
}

/** Every command's name, in help order. */
export function commandNames(): string[] {
  return COMMANDS.flatMap(([names]) => names);
}

/** Registers the named commands (see {@link commandsFor}) on the program, in help order. */
export async function registerCommands(program: Command, streams: CliStreams, names: readonly string[]): Promise<void> {
  const wanted = COMMANDS.filter(([these]) => (typeof these === 'string' ? [these] : these).some((n) => names.includes(n)));
  const registers = await Promise.all(wanted.map(([, load]) => load()));
  for (const register of registers) register(program, streams);
}
