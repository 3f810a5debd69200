import { type Node, type Pair, Scalar, type YAMLMap, type YAMLSeq, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { type Day, DEFAULT_TIME_ZONE, accessToday, hasExpired, parseDay } from "../lib/calendar";
import { KantataError } from "../lib/errors";
import { foldName, normalizeEmail, parseUserRef } from "../provider/identity/references";
import { closestMatch } from "../provider/identity/suggest";
import { type AccessFile, type AccessGroup, parseAccessFile, yamlScalar } from "./accessFile";

/**
 * `grant` and `revoke`: one person into or out of one group of an access file, as a change a reviewer
 * reads as one line (or one entry) in a diff. The Document API finds the nodes (their byte ranges); the
 * change is spliced into the text, so every other byte stays as written — comments beside keys, blank
 * lines, quoting, flow lists, indentation — which re-stringifying the Document does not keep (it moves a
 * key's trailing comment to its own line and pads flow lists). The result is parsed again before it is
 * returned, so an edit never produces a file the parser rejects.
 */

/** A request the file cannot take as it is; the file is left as it was. */
export class AccessEditError extends KantataError {
  override readonly name = "AccessEditError";
  readonly code = "input";
}

export interface GrantRequest {
  email: string;
  group: string;
  /** The last day with access, YYYY-MM-DD, in the file's time zone. */
  until?: string;
  reason?: string;
}

export interface RevokeRequest {
  email: string;
  group: string;
}

/** The file after the change, and the group as the file names it (for messages). */
export interface EditResult {
  text: string;
  group: string;
  email: string;
}

/** What an access folder's other files say that an edit of one of its files needs (load.ts). */
export interface FolderSettings {
  /** The folder's time zone, set in another file. */
  timeZone?: string;
}

/** Adds a person to a group: at the end of its members, in the list's own style (block or flow, quoting). */
export function grantAccess(
  text: string,
  fileName: string,
  request: GrantRequest,
  env: NodeJS.ProcessEnv = process.env,
  folder: FolderSettings = {},
): EditResult {
  const file = parseAccessFile(text, fileName);
  const email = checkEmail(request.email);
  const group = findGroup(file, request.group, fileName);
  if (group.delete)
    throw new AccessEditError(`group "${group.name}" is to be deleted (delete: true) in ${fileName}; nobody can be granted access to it.`);
  if (group.members.some((m) => typeof m === "string" && normalizeEmail(m) === email))
    throw new AccessEditError(`${email} is already in group "${group.name}" in ${fileName}; nothing to grant.`);
  const until = checkUntil(request.until, file.timeZone ?? folder.timeZone, env);
  const reason = request.reason?.trim();
  if (request.reason !== undefined && !reason) throw new AccessEditError("--reason needs a text, such as --reason 'migration project'.");
  const entry: Entry = { email, ...(until !== undefined && { until }), ...(reason && { reason }) };

  const doc = parseDocument(text, { uniqueKeys: false });
  const groupNode = groupValue(doc.contents, group.name);
  const members = groupNode.get("members", true);
  let edited: string;
  if (isSeq(members)) edited = members.flow ? addToFlow(text, members, entry) : addToBlock(text, members, entry);
  else if (members === undefined || (isScalar(members) && members.value === null)) edited = addMembersKey(text, groupNode, members, entry);
  else throw new AccessEditError(`group "${group.name}": members is not a list in ${fileName}.`);
  return checked(edited, fileName, group.name, email, true);
}

/** Removes a person from a group: their line (or entry, with its until and reason); an emptied list becomes `[]`. */
export function revokeAccess(text: string, fileName: string, request: RevokeRequest): EditResult {
  const file = parseAccessFile(text, fileName);
  const email = checkEmail(request.email);
  const group = findGroup(file, request.group, fileName);
  const doc = parseDocument(text, { uniqueKeys: false });
  const groupNode = groupValue(doc.contents, group.name);
  const members = groupNode.get("members", true);
  const index = isSeq(members) ? members.items.findIndex((item) => emailOf(item) === email) : -1;
  if (!isSeq(members) || index < 0) throw new AccessEditError(`${email} is not in group "${group.name}" in ${fileName}; nothing to revoke.`);
  const membersPair = groupNode.items.find((pair) => isScalar(pair.key) && pair.key.value === "members");
  const edited = members.flow ? removeFromFlow(text, members, index) : removeFromBlock(text, members, index, membersPair);
  return checked(edited, fileName, group.name, email, false);
}

// --- The request -------------------------------------------------------------------------------------

function checkEmail(written: string): string {
  const ref = parseUserRef(written);
  if (ref?.kind !== "email") throw new AccessEditError(`"${written}" is not an email address; give one such as alice@acme.com.`);
  return ref.email;
}

/** The group a request names (ignoring case), or an error naming the closest. */
export function findGroup(file: AccessFile, wanted: string, fileName: string): AccessGroup {
  const group = file.groups.find((g) => foldName(g.name) === foldName(wanted.trim()));
  if (group) return group;
  const near = closestMatch(
    wanted,
    file.groups.map((g) => g.name),
  );
  throw new AccessEditError(
    `no group "${wanted}" in ${fileName}${near ? `; did you mean "${near}"?` : ""} (groups: ${file.groups.map((g) => g.name).join(", ")})`,
  );
}

/** `until` is a real day, and not before today in the file's time zone (today itself is a last day still to come). */
function checkUntil(written: string | undefined, zone: string | undefined, env: NodeJS.ProcessEnv): Day | undefined {
  if (written === undefined) return undefined;
  const until = parseDay(written.trim());
  if (until === undefined)
    throw new AccessEditError(`--until must be the last day with access as YYYY-MM-DD, such as 2026-12-31; got "${written}".`);
  const timeZone = zone ?? DEFAULT_TIME_ZONE;
  const today = accessToday(timeZone, env);
  if (hasExpired(until, today))
    throw new AccessEditError(`--until ${until} is in the past (today is ${today} in ${timeZone}); give today or a later day.`);
  return until;
}

// --- Finding the nodes -------------------------------------------------------------------------------

function groupValue(root: unknown, name: string): YAMLMap {
  const groups = isMap(root) ? root.get("groups", true) : undefined;
  const pair = isMap(groups) ? groups.items.find((p) => isScalar(p.key) && String(p.key.value).trim() === name) : undefined;
  // parseAccessFile accepted the file and found the group, so it is a mapping here.
  if (!isMap(pair?.value)) throw new AccessEditError(`group "${name}" is not a mapping.`);
  return pair.value;
}

/** The normalised address a member item names, whether written plainly or as `{ email, until, reason }`. */
function emailOf(item: unknown): string | undefined {
  const node = isMap(item) ? item.get("email", true) : item;
  return isScalar(node) && typeof node.value === "string" ? normalizeEmail(node.value) : undefined;
}

// --- Text splices ------------------------------------------------------------------------------------

interface Entry {
  email: string;
  until?: Day;
  reason?: string;
}

const eolOf = (text: string) => (text.includes("\r\n") ? "\r\n" : "\n");
const lineStart = (text: string, at: number) => text.lastIndexOf("\n", at - 1) + 1;
/** Just after the line break ending the line that holds `at` (or the end of the text). */
const afterLine = (text: string, at: number) => {
  const end = text.indexOf("\n", at);
  return end < 0 ? text.length : end + 1;
};
const column = (text: string, at: number) => at - lineStart(text, at);
const splice = (text: string, from: number, to: number, insert: string) => text.slice(0, from) + insert + text.slice(to);
/** The last character a node's value covers (its range's end is one past it). */
const lastOf = (node: Node) => Math.max(node.range![0], node.range![1] - 1);

/** Lines inserted at a line boundary; a text that does not end in a line break gets one first. */
function insertLines(text: string, at: number, lines: string[]): string {
  const eol = eolOf(text);
  const before = at === text.length && !text.endsWith("\n") && text !== "" ? eol : "";
  return splice(text, at, at, before + lines.map((line) => line + eol).join(""));
}

/** An address written as the list's other addresses are: quoted when they are quoted, plain where YAML allows. */
function writeEmail(email: string, list: YAMLSeq): string {
  const styles = list.items.map((item) => (isMap(item) ? item.get("email", true) : item)).filter(isScalar);
  const last = styles[styles.length - 1];
  if (last?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(email);
  if (last?.type === Scalar.QUOTE_SINGLE) return `'${email.replace(/'/g, "''")}'`;
  return yamlScalar(email);
}

function blockEntry(entry: Entry, email: string, indent: string): string[] {
  if (entry.until === undefined && entry.reason === undefined) return [`${indent}- ${email}`];
  return [
    `${indent}- email: ${email}`,
    ...(entry.until !== undefined ? [`${indent}  until: ${entry.until}`] : []),
    ...(entry.reason !== undefined ? [`${indent}  reason: ${yamlScalar(entry.reason)}`] : []),
  ];
}

function flowEntry(entry: Entry, email: string): string {
  if (entry.until === undefined && entry.reason === undefined) return email;
  const fields = [
    `email: ${email}`,
    ...(entry.until ? [`until: ${entry.until}`] : []),
    ...(entry.reason ? [`reason: ${yamlScalar(entry.reason)}`] : []),
  ];
  return `{ ${fields.join(", ")} }`;
}

function addToBlock(text: string, list: YAMLSeq, entry: Entry): string {
  const indent = " ".repeat(column(text, list.range![0]));
  const last = list.items[list.items.length - 1] as Node;
  return insertLines(text, afterLine(text, lastOf(last)), blockEntry(entry, writeEmail(entry.email, list), indent));
}

function addToFlow(text: string, list: YAMLSeq, entry: Entry): string {
  const written = flowEntry(entry, writeEmail(entry.email, list));
  const last = list.items[list.items.length - 1] as Node | undefined;
  if (last) return splice(text, last.range![1], last.range![1], `, ${written}`);
  const close = text.lastIndexOf("]", list.range![1]);
  return splice(text, close, close, written);
}

/** A group without members (the key absent, or `members:` with nothing after it): a block list under the key. */
function addMembersKey(text: string, group: YAMLMap, members: Node | undefined, entry: Entry): string {
  const email = yamlScalar(entry.email);
  if (group.flow) {
    const last = group.items[group.items.length - 1] as Pair<Node, Node | null> | undefined;
    const written = `members: [${flowEntry(entry, email)}]`;
    if (last) return splice(text, (last.value ?? last.key).range![1], (last.value ?? last.key).range![1], `, ${written}`);
    const close = text.lastIndexOf("}", group.range![1]);
    return splice(text, close, close, written);
  }
  const keyIndent = column(text, group.range![0]);
  const itemIndent = " ".repeat(keyIndent + 2);
  if (members !== undefined && members.range![0] < members.range![1])
    return splice(text, members.range![0], members.range![1], `[${flowEntry(entry, email)}]`); // `members: ~` or `null`
  if (members !== undefined) {
    const keyPair = group.items.find((pair) => pair.value === members);
    return insertLines(text, afterLine(text, (keyPair?.key as Node).range![0]), blockEntry(entry, email, itemIndent));
  }
  const last = group.items[group.items.length - 1];
  const end = lastOf((last.value ?? last.key) as Node);
  return insertLines(text, afterLine(text, end), [`${" ".repeat(keyIndent)}members:`, ...blockEntry(entry, email, itemIndent)]);
}

function removeFromBlock(text: string, list: YAMLSeq, index: number, membersPair: Pair | undefined): string {
  const item = list.items[index] as Node;
  const from = lineStart(text, item.range![0]);
  const to = afterLine(text, lastOf(item));
  const removed = splice(text, from, to, "");
  if (list.items.length > 1 || membersPair === undefined) return removed;
  // The last member gone: `members: []` says the group is empty on purpose, where a bare `members:` looks unfinished.
  const colon = text.indexOf(":", (membersPair.key as Node).range![1]);
  return splice(removed, colon + 1, colon + 1, " []");
}

function removeFromFlow(text: string, list: YAMLSeq, index: number): string {
  const item = list.items[index] as Node;
  const previous = list.items[index - 1] as Node | undefined;
  const next = list.items[index + 1] as Node | undefined;
  if (previous) return splice(text, previous.range![1], item.range![1], "");
  if (next) return splice(text, item.range![0], next.range![0], "");
  return splice(text, item.range![0], item.range![1], "");
}

/** The edited text parses, and the group holds (or no longer holds) the person: else the edit is a bug, and nothing is written. */
function checked(text: string, fileName: string, group: string, email: string, granted: boolean): EditResult {
  const after = parseAccessFile(text, fileName).groups.find((g) => g.name === group);
  const holds = after?.members.some((m) => typeof m === "string" && normalizeEmail(m) === email) ?? false;
  if (holds !== granted)
    throw new Error(`editing ${fileName} did not ${granted ? "add" : "remove"} ${email} in group "${group}"; the file is unchanged.`);
  return { text, group, email };
}
