#!/usr/bin/env node
/** `factorlab` executable. */
import { installInterruptCleanup } from './interrupt.js';
import { runCli } from './run.js';
import { markStartup } from './timings.js';

markStartup();

// `factorlab ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// Ctrl-C or kill during a write removes the temporary files in flight and exits 130 / 143.
installInterruptCleanup((t) => process.stderr.write(t));

process.exitCode = await runCli(process.argv);
