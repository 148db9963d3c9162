#!/usr/bin/env node
/** `factorlab` executable. */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv);
