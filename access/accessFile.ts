import { readFileSync } from "node:fs";
import { KantataError } from "../lib/errors";
import { type Document, LineCounter, type Node, type Pair, type YAMLMap, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { foldName, normalizeEmail, parseUserRef } from "../provider/identity/references";
import { closestMatch } from "../provider/identity/suggest";
import { MODES, type MembershipMode } from "../provider/plan/memberships";

/**
 * `access.yaml`: which Kantata OX workspace groups exist and who belongs to them, as a file reviewed
 * in pull requests.
 *
 *   groups:
 *     Delivery-EMEA:
 *       mode: authoritative          # optional; additive by default
 *       notes: Delivery in Europe    # optional: the group's notes in Kantata
 *       members:
 *         - ada.lovelace@example.com # comments give reviewers context
 *         - 1003                     # a user id, where no address can be read
 *     Finance & Ops:
 *       renamedFrom: Finance         # a rename, applied in place
 *       members: [grace.hopper@example.com]
 *     Contractors-2023:
 *       delete: true                 # a tombstone: up deletes the group
 *
 * A group listed is managed itself (created when missing, taken on as it is when it exists) unless
 * `manageGroup: false`, which manages only its members.
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
  /** The group's notes in Kantata; managed when given. */
  notes?: string;
  /** false: only the members are managed; code never creates, renames or deletes the group. Default true. */
  manageGroup?: boolean;
  /** The name the group had before: it is renamed in place. */
  renamedFrom?: string;
  /** A tombstone: `up` deletes the group (no members are listed). */
  delete?: boolean;
  /** With `delete`: delete the group although people are still in it. */
  deleteWithMembers?: boolean;
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
const GROUP_KEYS = [
  "mode",
  "members",
  "maxRemovals",
  "removePreexistingOnDestroy",
  "notes",
  "manageGroup",
  "renamedFrom",
  "delete",
  "deleteWithMembers",
];

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
  checkRenames(groupsNode.items, seen, at);
  return groups;
}

/** A group's former name must not name a group the file still lists, nor be claimed by two groups. */
function checkRenames(items: readonly Pair[], listed: ReadonlyMap<string, Pair>, at: At): void {
  const claimed = new Map<string, Node>();
  for (const pair of items) {
    const node = isMap(pair.value) ? pair.value.get("renamedFrom", true) : undefined;
    if (!isScalar(node) || typeof node.value !== "string" || !isScalar(pair.key)) continue;
    const name = String(pair.key.value).trim();
    const former = foldName(node.value);
    const holder = listed.get(former);
    if (holder !== undefined && holder !== pair)
      at(
        node,
        `group "${name}": renamedFrom "${node.value}" names a group this file still lists (line ${at.line(holder.key as Node)}); a group has one name`,
      );
    const twin = claimed.get(former);
    if (twin) at(node, `group "${name}": renamedFrom "${node.value}" is claimed by another group too (line ${at.line(twin)})`);
    else claimed.set(former, node);
  }
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
  const removePreexisting = readFlag(name, node, "removePreexistingOnDestroy", at);
  if (removePreexisting !== undefined) group.removePreexistingOnDestroy = removePreexisting;
  return readLifecycle(group, node, at);
}

/** An optional true/false key of a group. */
function readFlag(name: string, node: YAMLMap, key: string, at: At): boolean | undefined {
  const value = node.get(key, true);
  if (value === undefined) return undefined;
  if (isScalar(value) && typeof value.value === "boolean") return value.value;
  at(value, `group "${name}": ${key} must be true or false`);
  return undefined;
}

/** An optional text key of a group (a name, notes); an empty value is left out. */
function readText(name: string, node: YAMLMap, key: string, at: At, what: string): string | undefined {
  const value = node.get(key, true);
  if (value === undefined || (isScalar(value) && value.value === null)) return undefined;
  if (isScalar(value) && typeof value.value === "string") return value.value;
  at(value, `group "${name}": ${key} must be ${what}; got ${JSON.stringify(isScalar(value) ? value.value : null)}`);
  return undefined;
}

/** The keys about the group itself: its notes, whether code manages it, a rename, a deletion. */
function readLifecycle(group: AccessGroup, node: YAMLMap, at: At): AccessGroup {
  const { name } = group;
  const notes = readText(name, node, "notes", at, "a text (quote it if it looks like a number or true/false)");
  if (notes !== undefined) group.notes = notes;
  const manageGroup = readFlag(name, node, "manageGroup", at);
  if (manageGroup !== undefined) group.manageGroup = manageGroup;
  const renamedFrom = readText(name, node, "renamedFrom", at, "the group's former name")?.trim();
  if (renamedFrom !== undefined) {
    if (renamedFrom === "" || foldName(renamedFrom) === foldName(name))
      at(node.get("renamedFrom", true), `group "${name}": renamedFrom must be the group's former name, other than "${name}"`);
    else group.renamedFrom = renamedFrom;
  }
  const deleted = readFlag(name, node, "delete", at);
  if (deleted !== undefined) group.delete = deleted;
  const deleteWithMembers = readFlag(name, node, "deleteWithMembers", at);
  if (deleteWithMembers !== undefined) group.deleteWithMembers = deleteWithMembers;

  const unmanaged = manageGroup === false;
  const keyNode = (key: string) => node.get(key, true) as Node;
  if (unmanaged && group.renamedFrom !== undefined)
    at(keyNode("renamedFrom"), `group "${name}": renamedFrom needs the group managed by code; remove manageGroup: false to rename it`);
  if (unmanaged && group.notes !== undefined)
    at(keyNode("notes"), `group "${name}": notes need the group managed by code; remove manageGroup: false to manage its notes`);
  if (group.delete) {
    if (unmanaged) at(keyNode("delete"), `group "${name}": delete: true needs the group managed by code; remove manageGroup: false`);
    if (group.members.length > 0)
      at(keyNode("members"), `group "${name}": a group to delete lists no members; remove them, or remove delete: true`);
  } else if (deleteWithMembers !== undefined) {
    at(keyNode("deleteWithMembers"), `group "${name}": deleteWithMembers only applies with delete: true`);
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
    lines.push(`  ${yamlKey(group.name)}:`);
    if (group.delete) {
      lines.push("    delete: true");
      if (group.deleteWithMembers !== undefined) lines.push(`    deleteWithMembers: ${group.deleteWithMembers}`);
      continue;
    }
    lines.push(`    mode: ${group.mode}`);
    if (group.manageGroup !== undefined) lines.push(`    manageGroup: ${group.manageGroup}`);
    if (group.renamedFrom !== undefined) lines.push(`    renamedFrom: ${yamlScalar(group.renamedFrom)}`);
    if (group.notes !== undefined) lines.push(`    notes: ${yamlScalar(group.notes)}`);
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
