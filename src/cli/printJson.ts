/** `--json`: a command's result on stdout as compact JSON. */
import { compactJsonChunks } from '../io/write.js';
import type { CliStreams } from './streams.js';

/**
 * `JSON.stringify(value)` and a newline on stdout (NaN and infinities as null), written in chunks
 * of about 64 K as it is made: a large result (a backtest's 489,000 trades, 106 MB) is never one
 * string, nor its encoded copy.
 */
export function printJson(streams: CliStreams, value: unknown): void {
  for (const chunk of compactJsonChunks(value)) streams.stdout(chunk);
  streams.stdout('\n');
}
