/** Registers every command on the program, in the order `--help` lists them. */
import type { Command } from 'commander';
import type { CliStreams } from '../streams.js';
import { registerAnalyze } from './analyze.js';
import { registerBacktest } from './backtest.js';
import { registerCombine } from './combine.js';
import { registerDemo } from './demo.js';
import { registerExposures } from './exposures.js';
import { registerInspect } from './inspect.js';
import { registerOptimize } from './optimize.js';
import { registerReplicate } from './replicate.js';
import { registerReport } from './report.js';
import { registerRolling } from './rolling.js';

export function registerCommands(program: Command, streams: CliStreams): void {
  registerInspect(program, streams);
  registerExposures(program, streams);
  registerRolling(program, streams);
  registerAnalyze(program, streams);
  registerCombine(program, streams);
  registerOptimize(program, streams);
  registerReplicate(program, streams);
  registerReport(program, streams);
  registerBacktest(program, streams);
  registerDemo(program, streams);
}
