/** Where the CLI writes (process stdout / stderr, or a test's buffers); its own module so that the commands need not import the entry (run.ts), which imports them. */
export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

let warningSink: ((text: string) => void) | undefined;

/**
 * Where {@link warn} writes: the running command's stderr (runCli sets it for the run and puts the
 * previous one back). Returns the previous sink.
 */
export function setWarningSink(sink: ((text: string) => void) | undefined): ((text: string) => void) | undefined {
  const previous = warningSink;
  warningSink = sink;
  return previous;
}

/**
 * A warning on the running command's stderr (`factorlab: warning: ...`), for advice about an input
 * that is not part of the result (its JSON and notes stay those of the same data written otherwise);
 * dropped where no command runs (a worker thread, the library).
 */
export function warn(line: string): void {
  warningSink?.(`factorlab: warning: ${line}\n`);
}
