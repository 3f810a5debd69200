/**
 * Ends the provider plugin once nobody can read it. When the engine goes away (a failed or cancelled
 * run), the plugin's stdout and stderr pipes close, and the next line written fails with EPIPE. Pulumi's
 * dynamic-provider host reports every uncaught error by writing it to stderr, which fails again: a loop
 * that spins a core and keeps each error, growing without bound (an orphaned plugin was seen at 3.4 GB
 * after 15 minutes). An `error` listener keeps the failure from being uncaught, and the process ends,
 * as the engine's own shutdown would have ended it.
 */
export function exitWhenOutputClosed(
  streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") exit(1);
    });
  }
}
