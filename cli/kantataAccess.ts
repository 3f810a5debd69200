#!/usr/bin/env node
/**
 * `kantata-access`: tools around the provider for people who review and onboard access.
 *   kantata-access review [FILE] [--format markdown|text|json]   summary of `pulumi preview --json` (FILE or stdin)
 *   kantata-access export (--all | --group NAME...) [--mode M] [--out FILE]   an account's memberships as an access file
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError, isKantataError } from "../lib/errors";
import { writeFileAtomically } from "../lib/files";
import { createExportSource, exportAccess, progressReporter } from "../access/export";
import { MODES, type MembershipMode } from "../provider/plan/memberships";
import { parsePreviewJson } from "../access/previewJson";
import { REVIEW_FORMATS, type ReviewFormat, renderReview } from "../access/render";
import { reviewPreview } from "../access/review";
import { TOKEN_OPTIONS, tokenFromOptions } from "./token";

export const USAGE = `Usage:
  kantata-access review [FILE] [--format markdown|text|json]
  kantata-access export (--all | --group NAME [--group NAME]...) [--mode additive|authoritative]
                        [--out FILE] [--token-file FILE|-] [--base-url URL]

  review   Summarises who gains and who loses access to which Kantata OX workspace group, from the
           output of \`pulumi preview --json\` (FILE, or standard input). Markdown by default, for a
           pull-request comment or a CI step summary; --format text for a terminal; --format json
           for other tools (schema version 1: per group gains, losses, unchanged, counts, warnings).

  export   Writes the account's workspace group memberships as an access file (access.yaml), members
           by email address, to put an existing account under code. --all exports every group;
           --group NAME (repeatable; exact, ignoring case) only those. --mode sets every group's mode
           (default additive). --out FILE writes the file (atomically) instead of standard output.
           The base URL comes from --base-url, else KANTATA_BASE_URL. The token (an Account
           Administrator's) comes from KANTATA_API_TOKEN, or from --token-file FILE (- reads
           standard input); never from the command line, where every user of the machine can read it.
`;

function review(args: string[]): string {
  const { values, positionals } = parseArgs({ args, options: { format: { type: "string", default: "markdown" } }, allowPositionals: true });
  const format = values.format as ReviewFormat;
  if (!REVIEW_FORMATS.includes(format)) throw new UsageError(`--format must be markdown, text or json; got "${values.format}".`);
  if (positionals.length > 1) throw new UsageError(`review takes at most one FILE; got ${positionals.length}.`);
  const [file] = positionals;
  const text = readFileSync(file ?? 0, "utf8");
  return renderReview(reviewPreview(parsePreviewJson(text, file ?? "standard input")), format);
}

/**
 * `--exported-at ISO` is hidden (not in the usage): it fixes the header's timestamp, the export's only
 * non-deterministic line, so tests and anyone diffing two exports can compare bytes.
 */
async function exportCommand(args: string[], env: NodeJS.ProcessEnv, stdin: () => string): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      all: { type: "boolean", default: false },
      group: { type: "string", multiple: true },
      mode: { type: "string", default: "additive" },
      out: { type: "string" },
      ...TOKEN_OPTIONS,
      "base-url": { type: "string" },
      "exported-at": { type: "string" },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`export takes no positional arguments; got "${positionals[0]}".`);
  const groups = values.group;
  if (values.all === (groups !== undefined)) throw new UsageError("export needs exactly one of --all or --group NAME.");
  if (groups?.some((g) => g.trim() === "")) throw new UsageError("--group needs a group name.");
  const mode = values.mode as MembershipMode;
  if (!MODES.includes(mode)) throw new UsageError(`--mode must be additive or authoritative; got "${values.mode}".`);
  if (values.out === "") throw new UsageError("--out needs a file name.");
  let exportedAt: Date | undefined;
  if (values["exported-at"] !== undefined) {
    exportedAt = new Date(values["exported-at"]);
    if (Number.isNaN(exportedAt.getTime())) throw new UsageError(`--exported-at must be an ISO 8601 time; got "${values["exported-at"]}".`);
  }
  const source = createExportSource({ explicit: { apiToken: tokenFromOptions(values, stdin), baseUrl: values["base-url"] }, env });
  const result = await exportAccess(source, {
    groups,
    mode,
    exportedAt,
    source: source.baseUrl,
    onProgress: progressReporter((line) => process.stderr.write(`kantata-access: ${line}\n`)),
  });
  if (values.out === undefined) process.stdout.write(result.text);
  else writeFileAtomically(values.out, result.text);
  if (result.byId > 0)
    process.stderr.write(
      `kantata-access: ${result.byId} ${result.byId === 1 ? "member is" : "members are"} listed by user id (no address could be read); see the comments in the file.\n`,
    );
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  if (values.out !== undefined)
    process.stderr.write(`kantata-access: wrote ${plural(result.groups, "group")}, ${plural(result.members, "member")} to ${values.out}\n`);
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  stdin = (): string => readFileSync(0, "utf8"),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "review") {
      process.stdout.write(review(rest));
      return 0;
    }
    if (command === "export") {
      await exportCommand(rest, env, stdin);
      return 0;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      process.stdout.write(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? "No command given." : `Unknown command "${command}".`);
  } catch (error) {
    const usage = isKantataError(error, "usage") || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`kantata-access: ${(error as Error).message}\n${usage ? `\n${USAGE}` : ""}`);
    return usage ? 2 : 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
