/**
 * Where the client reports what it does on its own: pauses for back-pressure, retries, per-item failure
 * lists. One call per line, without a trailing newline. Lines never hold the token or request headers.
 */
export type KantataLogger = (line: string) => void;

/** The default logger: one line to stderr, which Pulumi shows in the provider's diagnostic log. */
export const stderrLogger: KantataLogger = (line) => {
  process.stderr.write(`${line}\n`);
};

/** "2.0 s": durations in log lines and messages, to a tenth of a second. */
export const seconds = (ms: number): string => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
