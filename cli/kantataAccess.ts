#!/usr/bin/env node
/**
 * `kantata-access`: tools around the provider for people who review and onboard access.
 *   kantata-access review [FILE] [--format markdown|text|json]   summary of `pulumi preview --json` (FILE or stdin)
 *   kantata-access export (--all | --group NAME...) [--mode M] [--out FILE]   an account's memberships as an access file
 *   kantata-access report [--access FILE] [--stack NAME] [--out DIR]          evidence for an access review (HTML, CSV, JSON)
 *   kantata-access grant|revoke EMAIL GROUP [--until DAY] [--reason TEXT] [--file FILE]   one person in or out of a group of the file
 *   kantata-access validate [FILE|DIR]                                        the file's offline checks, FILE:LINE:COLUMN
 *   kantata-access codeowners [--access PATH] [--out PATH] [--check]          CODEOWNERS from the groups' owners
 *   kantata-access notify --webhook-url-file PATH [--format slack|teams] [FILE]   the review, to a chat webhook
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, isKantataError } from "../lib/errors";
import { writeFileAtomically } from "../lib/files";
import { createExportSource, exportAccess, progressReporter } from "../access/export";
import { MODES, type MembershipMode } from "../provider/plan/memberships";
import { parsePreviewJson } from "../access/previewJson";
import { REVIEW_FORMATS, type ReviewFormat, renderReview } from "../access/render";
import { reviewPreview } from "../access/review";
import { REPORT_FILES, createReport, createReportSource, renderJson, writeReport } from "../access/report";
import { TOKEN_OPTIONS, tokenFromOptions } from "./token";
import { grantCommand, revokeCommand } from "./editCommands";
import { validateCommand } from "./validateCommand";
import { codeownersCommand } from "./codeownersCommand";
import { notifyCommand } from "./notifyCommand";

export const USAGE = `Usage:
  kantata-access review [FILE] [--format markdown|text|json]
  kantata-access export (--all | --group NAME [--group NAME]...) [--mode additive|authoritative]
                        [--out FILE | --split --out DIR] [--token-file FILE|-] [--base-url URL]
  kantata-access report [--access FILE] [--stack NAME] [--out DIR] [--token-file FILE|-] [--base-url URL]
  kantata-access grant EMAIL GROUP [--until YYYY-MM-DD] [--reason TEXT] [--file FILE]
  kantata-access revoke EMAIL GROUP [--file FILE]
  kantata-access validate [FILE|DIR]
  kantata-access codeowners [--access FILE|DIR] [--out PATH] [--check]
  kantata-access notify --webhook-url-file PATH [--format slack|teams] [--title TEXT] [FILE]

  review   Summarises which Kantata OX workspace groups are created, renamed or deleted, and who
           gains and who loses access to which group, from the output of \`pulumi preview --json\`
           (FILE, or standard input). Markdown by default, for a pull-request comment or a CI step
           summary; --format text for a terminal; --format json for other tools (schema version 1:
           per group gains, losses, unchanged, counts, warnings, groupChange; the rules checked,
           access expiring or expired, people no longer active).

  export   Writes the account's workspace groups (names, notes) and memberships as an access file
           (access.yaml), members by email address, to put an existing account under code. --all exports every group;
           --group NAME (repeatable; exact, ignoring case) only those. --mode sets every group's mode
           (default additive). --out FILE writes the file (atomically) instead of standard output;
           --split --out DIR writes an access folder instead: one file per group (a new or empty DIR).
           The base URL comes from --base-url, else KANTATA_BASE_URL. The token (an Account
           Administrator's) comes from KANTATA_API_TOKEN, or from --token-file FILE (- reads
           standard input); never from the command line, where every user of the machine can read it.

  report   Evidence for an access review: every workspace group of the account, managed by code or
           not, and every membership with since when (created_at), added by whom (creator_id), and
           whether code manages it, and members who are disabled users. --access FILE (or an access folder) compares the
           account with a reviewed access.yaml (drift; its git commit goes in the header), reports each
           member's end date (until, reason; judged in the file's timeZone, or on KANTATA_ACCESS_TODAY)
           and judges the file's rules against the account as it is now. --stack NAME reads what the stack manages and
           which members it adopted (\`pulumi stack export\`; the Pulumi CLI on PATH). --out DIR
           writes DIR/${REPORT_FILES.html} (one self-contained page), ${REPORT_FILES.csv} (one row per
           membership) and ${REPORT_FILES.json} (schema version 1); without --out the JSON goes to
           standard output. Cost: ⌈memberships/200⌉ + ⌈groups/200⌉ GETs + the look-ups of creators
           + 2 user counts; only if some user is disabled, + ⌈members/200⌉ active checks + the
           look-ups of unreadable members.
           The token and base URL come as for export.

  grant    Adds EMAIL to GROUP in the access file (--file: access.yaml, else the folder access/; in a
           folder, the file that defines GROUP), at the end of the group's members; --until makes it
           the last day with access (in the file's timeZone, never a day before today), --reason says why. revoke takes EMAIL out of GROUP. Every other byte
           of the file stays as written (comments, blank lines, order, quoting); the change is printed
           as a unified diff. The file is edited under a lock (FILE.lock) and replaced by a rename, so
           two runs at once both land. Refused, with the file untouched: a group the file does not
           list (the closest name is suggested), an address that is not one, a person already in the
           group (grant) or not in it (revoke), an until that is not a day or is past, a file that does
           not parse. No token, no network.

  validate Checks an access file (default as for grant), or an access folder DIR (one *.yaml per group
           or team, checked together), without Kantata: keys, addresses, end dates, time zone, names, renames, the shape
           of rules, and each rule judged against the people the file lists (whose end date has not
           passed; on KANTATA_ACCESS_TODAY when set). Prints every problem as FILE:LINE:COLUMN: message
           and exits 1 on any. No token, no network: members added by hand are the preview's to judge.

  codeowners Writes the groups' owners (owners: [@user, @org/team]) to CODEOWNERS (--out, default
           .github/CODEOWNERS), one line per file of the access folder (--access, default as for
           grant), so a pull request changing a group's file asks its
           owners. Only a marked section is written; the rest of the file is kept. --check writes
           nothing: it prints the difference and exits 1 when the file is not up to date.

  notify   Posts the review of \`pulumi preview --json\` (FILE, or standard input) to a Slack (default)
           or Microsoft Teams incoming webhook: who gains and who loses access in which groups, group
           changes, the rules, access ending soon. Names are shown as text (no link, no mention).
           The webhook's URL is read from --webhook-url-file and never printed. A 429 or 5xx answer
           is retried, 4 posts at most.
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
      split: { type: "boolean", default: false },
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
  if (values.split && values.out === undefined) throw new UsageError("--split needs --out DIR: the folder to write one file per group in.");
  if (values.split && existsSync(values.out!) && readdirSync(values.out!).some((name) => /\.ya?ml$/.test(name)))
    throw new UsageError(`--split writes a new access folder; ${values.out} already holds *.yaml files. Give an empty or new folder.`);
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
    split: values.split,
    source: source.baseUrl,
    onProgress: progressReporter((line) => process.stderr.write(`kantata-access: ${line}\n`)),
  });
  if (values.out === undefined) process.stdout.write(result.text);
  else if (result.files === undefined) writeFileAtomically(values.out, result.text);
  else {
    mkdirSync(values.out, { recursive: true });
    for (const file of result.files) writeFileAtomically(join(values.out, file.name), file.text);
  }
  if (result.byId > 0)
    process.stderr.write(
      `kantata-access: ${result.byId} ${result.byId === 1 ? "member is" : "members are"} listed by user id (no address could be read); see the comments in the file.\n`,
    );
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  if (values.out !== undefined)
    process.stderr.write(`kantata-access: wrote ${plural(result.groups, "group")}, ${plural(result.members, "member")} to ${values.out}\n`);
}

/**
 * `report`. The token comes as for export (never from the command line). `--generated-at
 * ISO` is hidden, like export's `--exported-at`: it fixes the snapshot time, so two reports of an
 * unchanged account are byte-identical.
 */
async function reportCommand(args: string[], env: NodeJS.ProcessEnv, stdin: () => string): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      access: { type: "string" },
      stack: { type: "string" },
      out: { type: "string" },
      "base-url": { type: "string" },
      "generated-at": { type: "string" },
      ...TOKEN_OPTIONS,
    },
    allowPositionals: true,
  });
  const apiToken = tokenFromOptions(values, stdin);
  if (positionals.length > 0) throw new UsageError(`report takes no positional arguments; got "${positionals[0]}".`);
  for (const option of ["access", "stack", "out"] as const)
    if (values[option] !== undefined && values[option].trim() === "") throw new UsageError(`--${option} needs a value.`);
  let generatedAt: Date | undefined;
  if (values["generated-at"] !== undefined) {
    generatedAt = new Date(values["generated-at"]);
    if (Number.isNaN(generatedAt.getTime())) throw new UsageError(`--generated-at must be an ISO 8601 time; got "${values["generated-at"]}".`);
  }
  const source = createReportSource({ explicit: { apiToken, baseUrl: values["base-url"] }, env });
  const model = await createReport(source, {
    account: source.baseUrl,
    accessFile: values.access,
    stack: values.stack,
    generatedAt,
    env,
    requestsMade: source.requestsMade,
    onProgress: progressReporter((line) => process.stderr.write(`kantata-access: ${line}\n`)),
  });
  const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? word : many}`;
  const s = model.summary;
  const requests = model.header.requests;
  const what = `${plural(s.groups, "group")}, ${plural(s.people, "person", "people")}, ${plural(s.memberships, "membership")}; ${plural(s.drift, "drift item")}${requests ? `; ${plural(requests.made, "request")} (bound ${requests.bound.toLocaleString("en-US")})` : ""}`;
  if (values.out === undefined) {
    process.stdout.write(renderJson(model));
    process.stderr.write(`kantata-access: report of ${what}\n`);
    return;
  }
  writeReport(values.out, model);
  process.stderr.write(`kantata-access: wrote ${REPORT_FILES.html}, ${REPORT_FILES.csv} and ${REPORT_FILES.json} to ${values.out}: ${what}\n`);
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
    if (command === "report") {
      await reportCommand(rest, env, stdin);
      return 0;
    }
    if (command === "grant") {
      grantCommand(rest, env);
      return 0;
    }
    if (command === "revoke") {
      revokeCommand(rest);
      return 0;
    }
    if (command === "validate") return validateCommand(rest, env);
    if (command === "codeowners") return codeownersCommand(rest);
    if (command === "notify") {
      await notifyCommand(rest);
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
