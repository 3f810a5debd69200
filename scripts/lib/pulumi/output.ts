/** One run of the `pulumi` CLI, and what the suites read from what it printed. */
import { type PreviewJson, parsePreviewJson } from "../../../access/previewJson";

export interface CliResult {
  args: string[];
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order they arrived, for failure reports. */
  output: string;
  /** null when a signal ended the run. */
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

export function describeFailure(result: CliResult): string {
  return `pulumi ${result.args.join(" ")} exited with ${result.code} after ${result.ms} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** `pulumi preview --json` as the suites read it: the steps and summary, and the engine's diagnostics. */
export interface EnginePreview extends PreviewJson {
  diagnostics?: Array<{ message: string; severity: string }>;
}

export function previewOf(result: CliResult): EnginePreview {
  try {
    return parsePreviewJson(result.stdout, `pulumi ${result.args.join(" ")}`);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${describeFailure(result)}`, { cause: error });
  }
}

/** The operations a `pulumi preview --json` plans other than "same", e.g. { update: 1 }; {} when none. */
export function plannedChanges(result: CliResult): Record<string, number> {
  const summary = previewOf(result).changeSummary ?? {};
  return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && n > 0));
}

/** Throws unless a `pulumi preview --json` plans no changes (its changeSummary holds only `same`). */
export function assertNoChanges(result: CliResult): void {
  const changes = plannedChanges(result);
  if (Object.keys(changes).length > 0) {
    throw new Error(`preview plans changes ${JSON.stringify(changes)}:\n${describeFailure(result)}`);
  }
}

/** Lines of CLI output that are warnings (`warning: …`), for "runs are warning-free" checks. */
export function warningLines(result: CliResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => /\bwarning:/i.test(line));
}
