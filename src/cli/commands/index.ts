/** Registers every command on the program. */
import type { Command } from 'commander';
import type { CliStreams } from '../run.js';

export function registerCommands(_program: Command, _streams: CliStreams): void {
  // Commands are added as their layers land: inspect (io), demo (synthetic).
}
