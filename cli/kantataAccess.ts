#!/usr/bin/env node
/**
 * `kantata-access`: tools around the provider for people who review and onboard access.
 *   kantata-access review [FILE] [--format markdown|text]   summary of `pulumi preview --json` (FILE or stdin)
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parsePreviewJson } from "../access/previewJson";
import { type ReviewFormat, renderReview } from "../access/render";
import { reviewPreview } from "../access/review";

export const USAGE = `Usage:
  kantata-access review [FILE] [--format markdown|text]

  review   Summarises who gains and who loses access to which Kantata OX workspace group, from the
           output of \`pulumi preview --json\` (FILE, or standard input). Markdown by default, for a
           pull-request comment or a CI step summary; --format text for a terminal.
`;

const FORMATS: readonly ReviewFormat[] = ["markdown", "text"];

/** Thrown for a wrong command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

function review(args: string[]): string {
  const { values, positionals } = parseArgs({ args, options: { format: { type: "string", default: "markdown" } }, allowPositionals: true });
  const format = values.format as ReviewFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be markdown or text; got "${values.format}".`);
  if (positionals.length > 1) throw new UsageError(`review takes at most one FILE; got ${positionals.length}.`);
  const [file] = positionals;
  const text = readFileSync(file ?? 0, "utf8");
  return renderReview(reviewPreview(parsePreviewJson(text, file ?? "standard input")), format);
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === "review") {
      process.stdout.write(review(rest));
      return 0;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      process.stdout.write(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? "No command given." : `Unknown command "${command}".`);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`kantata-access: ${(error as Error).message}\n${usage ? `\n${USAGE}` : ""}`);
    return usage ? 2 : 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
