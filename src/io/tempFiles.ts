/**
 * The registry of temporary paths in flight: the hidden `.NAME.<pid>.<rand>.tmp` files of the
 * atomic writers and DuckDB's spill directory while an instance is open. An interrupted process
 * removes them with {@link removeTempPathsSync} before it exits, so Ctrl-C never leaves a
 * 100 MB hidden file next to the user's output.
 *
 * The library installs no signal handler (that is the application's decision); the CLI arms its
 * SIGINT / SIGTERM handlers through {@link onTempPathsChange} only while a temporary path exists,
 * so a Ctrl-C during a long computation with nothing on disk still stops the process at once.
 */
import { rmSync } from 'node:fs';

const inFlight = new Set<string>();
let listener: ((count: number) => void) | undefined;

/**
 * Registers `path` (a file or a directory) as temporary; returns the function that unregisters
 * it (call it once the path is renamed away or removed). Registering a path twice counts once.
 */
export function trackTempPath(path: string): () => void {
  const had = inFlight.has(path);
  inFlight.add(path);
  if (!had) listener?.(inFlight.size);
  return () => {
    if (inFlight.delete(path)) listener?.(inFlight.size);
  };
}

/** The temporary paths registered now. */
export function tempPaths(): string[] {
  return [...inFlight];
}

/**
 * Removes every registered path (files, and directories with their contents) synchronously, for a
 * signal handler about to exit; missing paths are ignored and so are failures to remove (the
 * process is going away; there is nobody left to tell). Returns the paths that were registered.
 */
export function removeTempPathsSync(): string[] {
  const paths = [...inFlight];
  for (const p of paths) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort: see above
    }
  }
  inFlight.clear();
  return paths;
}

/**
 * Calls `f(count)` whenever the number of registered paths changes (one listener; `undefined`
 * removes it). Returns the previous listener.
 */
export function onTempPathsChange(f: ((count: number) => void) | undefined): ((count: number) => void) | undefined {
  const previous = listener;
  listener = f;
  return previous;
}
