import { readFileSync } from "node:fs";
import { KantataError } from "../lib/errors";
import { type Document, LineCounter, type Node, type Pair, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { foldName, normalizeEmail, parseUserRef } from "../provider/identity/references";
import { closestMatch } from "../provider/identity/suggest";
import { MODES, type MembershipMode } from "../provider/plan/memberships";

/**
 * `access.yaml`: who belongs to which Kantata OX workspace group, as a file reviewed in pull requests.
 *
 *   groups:
 *     Delivery-EMEA:
 *       mode: authoritative          # optional; additive by default
 *       members:
 *         - ada.lovelace@example.com # comments give reviewers context
 *         - 1003                     # a user id, where no address can be read
 *
 * Parsing keeps line numbers, so every problem is reported as FILE:LINE:COLUMN with what is wrong.
 */

export interface AccessGroup {
  /** The group's name as written (the resource looks it up exactly, ignoring case). */
  name: string;
  mode: MembershipMode;
  /** Email addresses (as written) or user ids. */
  members: Array<string | number>;
  maxRemovals?: number;
  removePreexistingOnDestroy?: boolean;
}

export interface AccessFile {
  groups: AccessGroup[];
}

/** Every problem found in one file, each as `FILE:LINE:COLUMN: message`. */
export class AccessFileError extends KantataError {
  override readonly name = "AccessFileError";
  readonly code = "input";
  constructor(readonly problems: string[]) {
    super(`${problems.length === 1 ? "access file has a problem" : `access file has ${problems.length} problems`}:\n${problems.join("\n")}`);
  }
}

const TOP_KEYS = ["groups"];
const GROUP_KEYS = ["mode", "members", "maxRemovals", "removePreexistingOnDestroy"];

export function parseAccessFile(text: string, fileName: string): AccessFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const problems: string[] = [];
  const position = (node: Node | null | undefined) => lineCounter.linePos(node?.range?.[0] ?? 0);
  const at: At = (node, message) => {
    const { line, col } = position(node);
    problems.push(`${fileName}:${line}:${col}: ${message}`);
  };
  at.line = (node) => position(node).line;
  for (const error of doc.errors)
    problems.push(`${fileName}:${error.linePos?.[0].line ?? 1}:${error.linePos?.[0].col ?? 1}: ${error.message.split("\n")[0]}`);
  const groups = problems.length === 0 ? readGroups(doc, at) : [];
  if (problems.length > 0) throw new AccessFileError(problems);
  return { groups };
}

export function loadAccessFile(path: string): AccessFile {
  return parseAccessFile(readFileSync(path, "utf8"), path);
}

/** Reports a problem at a node; `line` tells where another node is, for "first at line N". */
interface At {
  (node: Node | null | undefined, message: string): void;
  line: (node: Node) => number;
}

const unknownKey = (key: string, allowed: readonly string[]) => {
  const near = closestMatch(key, allowed);
  return `unknown key "${key}"${near ? `; did you mean "${near}"?` : ""} (allowed: ${allowed.join(", ")})`;
};

function readGroups(doc: Document, at: At): AccessGroup[] {
  const root = doc.contents;
  if (!isMap(root)) {
    at(root, 'expected a mapping with a "groups" key at the top');
    return [];
  }
  for (const pair of root.items)
    if (isScalar(pair.key) && !TOP_KEYS.includes(String(pair.key.value))) at(pair.key, unknownKey(String(pair.key.value), TOP_KEYS));
  const groupsNode = root.get("groups", true);
  if (!isMap(groupsNode)) {
    at(groupsNode ?? root, '"groups" must map each workspace group\'s name to its mode and members');
    return [];
  }
  const seen = new Map<string, Pair>();
  const groups: AccessGroup[] = [];
  for (const pair of groupsNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value).trim() : "";
    if (name === "") {
      at(pair.key as Node, "a group needs a name");
      continue;
    }
    const twin = seen.get(foldName(name));
    if (twin) at(pair.key as Node, `group "${name}" is listed twice (names ignore case; first at line ${at.line(twin.key as Node)})`);
    seen.set(foldName(name), pair);
    const group = readGroup(name, pair.value as Node, at);
    if (group) groups.push(group);
  }
  return groups;
}

function readGroup(name: string, node: Node | null, at: At): AccessGroup | undefined {
  if (!isMap(node)) {
    at(node, `group "${name}" must have "members" (and optionally "mode")`);
    return undefined;
  }
  for (const pair of node.items) {
    if (isScalar(pair.key) && !GROUP_KEYS.includes(String(pair.key.value)))
      at(pair.key, `group "${name}": ${unknownKey(String(pair.key.value), GROUP_KEYS)}`);
  }
  const modeNode = node.get("mode", true);
  const mode = modeNode === undefined ? "additive" : isScalar(modeNode) ? modeNode.value : undefined;
  if (!MODES.includes(mode as MembershipMode)) {
    const near = typeof mode === "string" ? closestMatch(mode, MODES) : undefined;
    at(
      modeNode,
      `group "${name}": mode must be additive or authoritative; got ${JSON.stringify(mode)}${near ? `; did you mean "${near}"?` : ""}`,
    );
  }
  const group: AccessGroup = { name, mode: mode as MembershipMode, members: readMembers(name, node.get("members", true), node, at) };
  const maxRemovals = node.get("maxRemovals", true);
  if (maxRemovals !== undefined) {
    const value = isScalar(maxRemovals) ? maxRemovals.value : undefined;
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) group.maxRemovals = value;
    else at(maxRemovals, `group "${name}": maxRemovals must be a whole number of 0 or more`);
  }
  const removePreexisting = node.get("removePreexistingOnDestroy", true);
  if (removePreexisting !== undefined) {
    if (isScalar(removePreexisting) && typeof removePreexisting.value === "boolean") group.removePreexistingOnDestroy = removePreexisting.value;
    else at(removePreexisting, `group "${name}": removePreexistingOnDestroy must be true or false`);
  }
  return group;
}

function readMembers(name: string, node: Node | undefined, parent: Node, at: At): Array<string | number> {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    at(node ?? parent, `group "${name}": members must be a list of email addresses or user ids`);
    return [];
  }
  const members: Array<string | number> = [];
  const seen = new Map<string, Node>();
  for (const item of node.items) {
    const value = isScalar(item) ? item.value : undefined;
    const ref = parseUserRef(value);
    if (!isScalar(item) || ref === undefined || (typeof value !== "string" && typeof value !== "number")) {
      at(item as Node, `group "${name}": ${JSON.stringify(value ?? null)} is not an email address (such as alice@acme.com) or a user id`);
      continue;
    }
    const key = ref.kind === "email" ? ref.email : `#${ref.id}`;
    const twin = seen.get(key);
    if (twin) at(item, `group "${name}": ${String(value)} is listed twice (first at line ${at.line(twin)}; addresses ignore case)`);
    else seen.set(key, item);
    members.push(value);
  }
  return members;
}

export interface FormatOptions {
  /** Comment lines at the top, without "# ". */
  header?: string[];
  /** A comment for a member, e.g. why it is listed by id. */
  memberComment?: (group: string, member: string | number) => string | undefined;
}

/**
 * Writes an access file deterministically: groups sorted by name, members sorted (addresses first,
 * lower-cased; then ids), so exporting an unchanged account twice gives the same bytes, and a change
 * shows in `git diff` as exactly the people who moved.
 */
export function formatAccessFile(file: AccessFile, options: FormatOptions = {}): string {
  const lines = (options.header ?? []).map((line) => (line === "" ? "#" : `# ${line}`));
  lines.push("groups:");
  const byName = [...file.groups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const group of byName) {
    lines.push(`  ${yamlKey(group.name)}:`, `    mode: ${group.mode}`);
    if (group.maxRemovals !== undefined) lines.push(`    maxRemovals: ${group.maxRemovals}`);
    if (group.removePreexistingOnDestroy !== undefined) lines.push(`    removePreexistingOnDestroy: ${group.removePreexistingOnDestroy}`);
    if (group.members.length === 0) {
      lines.push("    members: []");
      continue;
    }
    lines.push("    members:");
    for (const member of sortMembers(group.members)) {
      const comment = options.memberComment?.(group.name, member);
      lines.push(`      - ${typeof member === "number" ? member : yamlScalar(normalizeEmail(member))}${comment ? ` # ${comment}` : ""}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function sortMembers(members: ReadonlyArray<string | number>): Array<string | number> {
  const emails = members
    .filter((m): m is string => typeof m === "string")
    .map(normalizeEmail)
    .sort();
  const ids = members.filter((m): m is number => typeof m === "number").sort((a, b) => a - b);
  return [...emails, ...ids];
}

/** A plain scalar where YAML allows one, else a double-quoted string. */
const yamlScalar = (text: string): string =>
  /^[A-Za-z0-9._@+-][A-Za-z0-9 ._@+-]*$/.test(text) && !/^(true|false|null|yes|no|~|[\d.]+)$/i.test(text) && !text.endsWith(" ")
    ? text
    : JSON.stringify(text);
const yamlKey = yamlScalar;
