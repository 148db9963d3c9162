/** Where the CLI writes (process stdout / stderr, or a test's buffers); its own module so that the commands need not import the entry (run.ts), which imports them. */
export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
