import { existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors";
import { unifiedDiff } from "../lib/diff";
import { withFileLock, writeFileAtomically } from "../lib/files";
import { AccessEditError, type EditResult, type FolderSettings, findGroup, grantAccess, revokeAccess } from "../access/edit";
import { readAccess } from "../access/load";
import { foldName } from "../provider/identity/references";

/**
 * `grant` and `revoke`: the file is read, changed and replaced under a lock, so two runs at once (two
 * people, or a bot and a person) both land; the new text replaces the old by a rename, so a reader
 * never sees half a file, and any refusal leaves the file as it was. No token, no network.
 */
export const DEFAULT_ACCESS_FILE = "access.yaml";
const DEFAULT_ACCESS_FOLDER = "access";

/** Where the commands look without a path: access.yaml, or the access folder access/ where there is no access.yaml. */
export const defaultAccessPath = (): string =>
  !existsSync(DEFAULT_ACCESS_FILE) && statSync(DEFAULT_ACCESS_FOLDER, { throwIfNoEntry: false })?.isDirectory()
    ? DEFAULT_ACCESS_FOLDER
    : DEFAULT_ACCESS_FILE;

function emailAndGroup(command: string, positionals: string[]): [string, string] {
  if (positionals.length !== 2)
    throw new UsageError(`${command} takes EMAIL and GROUP; got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}.`);
  const [email, group] = positionals;
  if (group.trim() === "") throw new UsageError(`${command} needs a group name.`);
  return [email, group];
}

function fileOption(value: string | undefined): string {
  if (value !== undefined && value.trim() === "") throw new UsageError("--file needs a file name.");
  return value ?? defaultAccessPath();
}

/**
 * The file to edit: the access file itself, or in an access folder the file that defines the group (the
 * whole folder checked first, so an edit never starts from a folder that does not load), with the
 * folder's time zone.
 */
function fileOfGroup(path: string, group: string): { file: string; folder: FolderSettings } {
  if (!existsSync(path))
    throw new AccessEditError(
      `no access file at ${path}; run in the folder that holds ${DEFAULT_ACCESS_FILE} (or the folder access/), or give --file PATH.`,
    );
  if (!statSync(path).isDirectory()) return { file: path, folder: {} };
  const access = readAccess(path);
  const wanted = foldName(findGroup(access.file, group, path).name);
  const part = access.parts.find((p) => p.file.groups.some((g) => foldName(g.name) === wanted))!;
  return { file: part.fileName, folder: access.file.timeZone === undefined ? {} : { timeZone: access.file.timeZone } };
}

/** Reads, edits and replaces the file under its lock; prints the change as a unified diff. */
function editFile(path: string, edit: (text: string) => EditResult, done: (result: EditResult) => string): void {
  const result = withFileLock(path, () => {
    const before = readFileSync(path, "utf8");
    const edited = edit(before);
    writeFileAtomically(path, edited.text);
    return { ...edited, diff: unifiedDiff(before, edited.text, path) };
  });
  process.stdout.write(result.diff);
  process.stderr.write(`kantata-access: ${done(result)}\n`);
}

export function grantCommand(args: string[], env: NodeJS.ProcessEnv): void {
  const { values, positionals } = parseArgs({
    args,
    options: { until: { type: "string" }, reason: { type: "string" }, file: { type: "string" } },
    allowPositionals: true,
  });
  const [email, group] = emailAndGroup("grant", positionals);
  const { file: path, folder } = fileOfGroup(fileOption(values.file), group);
  editFile(
    path,
    (text) => grantAccess(text, path, { email, group, until: values.until, reason: values.reason }, env, folder),
    (r) => `granted ${r.email} access to "${r.group}"${values.until ? ` until ${values.until.trim()}` : ""} in ${path}`,
  );
}

export function revokeCommand(args: string[]): void {
  const { values, positionals } = parseArgs({ args, options: { file: { type: "string" } }, allowPositionals: true });
  const [email, group] = emailAndGroup("revoke", positionals);
  const { file: path } = fileOfGroup(fileOption(values.file), group);
  editFile(
    path,
    (text) => revokeAccess(text, path, { email, group }),
    (r) => `revoked ${r.email}'s access to "${r.group}" in ${path}`,
  );
}
