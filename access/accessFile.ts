import { type Day, isTimeZone, parseDay, timeZoneNames } from "../lib/calendar";
import { KantataError } from "../lib/errors";
import {
  type Document,
  LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
  isCollection,
  isMap,
  isNode,
  isScalar,
  isSeq,
  parse,
  parseDocument,
} from "yaml";
import { foldName, normalizeEmail, parseUserRef, userKey } from "../provider/identity/references";
import { closestMatch } from "../provider/identity/suggest";
import { MODES, type MembershipMode } from "../provider/plan/memberships";
import type { AccessRule } from "../provider/plan/rules";
import { parseRule } from "../provider/runtime/ruleInputs";
import { visible } from "./render";

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
 *         - email: contractor@agency.example
 *           until: 2026-12-31        # the last day with access
 *           reason: migration project
 *     Finance & Ops:
 *       renamedFrom: Finance         # a rename, applied in place
 *       members: [grace.hopper@example.com]
 *     Contractors-2023:
 *       delete: true                 # a tombstone: up deletes the group
 *   rules:                           # optional: see provider/plan/rules.ts
 *     - separate: [Finance-Approvers, Finance-Requesters]
 *       reason: SOX segregation of duties
 *   timeZone: Europe/Berlin          # optional: the zone end dates are days in (UTC by default)
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
  /** Email addresses (as written) or user ids: everyone listed, whether their access has ended or not. */
  members: Array<string | number>;
  /** End dates of members listed as `{ email, until }`, by normalised email. */
  endDates?: Record<string, EndDate>;
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
  /** Who approves a change to the group: GitHub users (`@ada`) or teams (`@acme/finance-leads`), for CODEOWNERS. */
  owners?: string[];
}

/** When a member's access ends: the last day they have it, and why they have it (for people reading the file). */
export interface EndDate {
  until: Day;
  reason?: string;
}

export interface AccessFile {
  groups: AccessGroup[];
  /** Rules every change must keep, judged at preview (see provider/plan/rules.ts). */
  rules?: AccessRule[];
  /** The IANA time zone end dates are days in; UTC when absent. */
  timeZone?: string;
  /** Where the file wrote each rule, group and member, when it was parsed from text: problems found at preview name FILE:LINE. */
  source?: AccessSource;
}

/** The lines of a parsed file: the file's name, each rule's line, and per group (by name) its line and each member's (by key). */
export interface AccessSource {
  file: string;
  rules: number[];
  /** Members keyed as state keys them: the normalised address, or the id as a decimal string. */
  groups: Record<string, { line: number; members: Record<string, number> }>;
}

/** Every problem found in one file, each as `FILE:LINE:COLUMN: message`. */
export class AccessFileError extends KantataError {
  override readonly name = "AccessFileError";
  readonly code = "input";
  constructor(readonly problems: string[]) {
    super(`${problems.length === 1 ? "access file has a problem" : `access file has ${problems.length} problems`}:\n${problems.join("\n")}`);
  }
}

/** The keys the parser accepts at each level (the JSON Schema's test compares its properties with these). */
export const TOP_KEYS: readonly string[] = ["groups", "rules", "timeZone"];
export const GROUP_KEYS: readonly string[] = [
  "mode",
  "members",
  "maxRemovals",
  "removePreexistingOnDestroy",
  "notes",
  "manageGroup",
  "renamedFrom",
  "delete",
  "deleteWithMembers",
  "owners",
];
export const MEMBER_KEYS: readonly string[] = ["email", "until", "reason"];

export function parseAccessFile(text: string, fileName: string): AccessFile {
  return parseAccessFragment(text, fileName, { part: false }).file;
}

/** Where a file says what, as `FILE:LINE:COLUMN`: for the checks across the files of an access folder. */
export interface FragmentIndex {
  /** Each group by its folded name: its name and where it is defined. */
  groups: Map<string, { name: string; at: string }>;
  /** Each `renamedFrom`: the group, its former name (folded) and where the former name is written. */
  renames: Array<{ group: string; former: string; at: string }>;
  /** Where the file sets `rules` and `timeZone`, if it does. */
  settings: Partial<Record<"rules" | "timeZone", string>>;
}

/**
 * One file of an access file: the whole file, or (`part: true`) one file of an access folder, where
 * `groups` may be absent (a file with only rules and settings). Throws AccessFileError with every problem.
 */
export function parseAccessFragment(text: string, fileName: string, options: { part: boolean }): { file: AccessFile; index: FragmentIndex } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const problems: string[] = [];
  const position = (node: Node | null | undefined) => lineCounter.linePos(node?.range?.[0] ?? 0);
  const at: At = (node, message) => {
    const { line, col } = position(node);
    // One line each, whatever a name holds: a line break in a key would read as the start of another problem.
    problems.push(`${fileName}:${line}:${col}: ${visible(message)}`);
  };
  at.line = (node) => position(node).line;
  for (const error of doc.errors)
    problems.push(`${fileName}:${error.linePos?.[0].line ?? 1}:${error.linePos?.[0].col ?? 1}: ${visible(error.message.split("\n")[0])}`);
  if (problems.length > 0) throw new AccessFileError(problems);
  const source: AccessSource = { file: fileName, rules: [], groups: {} };
  const groups = readGroups(doc, at, options.part, source);
  const rules = readRules(doc, at, source);
  const timeZone = readTimeZone(doc, at);
  if (problems.length > 0) throw new AccessFileError(problems);
  const file = { groups, ...(rules.length > 0 && { rules }), ...(timeZone !== undefined && { timeZone }), source };
  const where = (node: unknown) => {
    const { line, col } = position(isNode(node) ? node : undefined);
    return `${fileName}:${line}:${col}`;
  };
  return { file, index: indexOf(doc, where) };
}

/** The positions of a file that parsed: its groups, renames and settings. */
function indexOf(doc: Document, where: (node: unknown) => string): FragmentIndex {
  const index: FragmentIndex = { groups: new Map(), renames: [], settings: {} };
  const root = doc.contents;
  if (!isMap(root)) return index;
  for (const pair of root.items)
    if (isScalar(pair.key) && (pair.key.value === "rules" || pair.key.value === "timeZone")) index.settings[pair.key.value] = where(pair.key);
  const groupsNode = root.get("groups", true);
  if (!isMap(groupsNode)) return index;
  for (const pair of groupsNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value).trim() : "";
    index.groups.set(foldName(name), { name, at: where(pair.key) });
    const former = isMap(pair.value) ? pair.value.get("renamedFrom", true) : undefined;
    if (isScalar(former) && typeof former.value === "string" && former.value.trim() !== "")
      index.renames.push({ group: name, former: foldName(former.value.trim()), at: where(former) });
  }
  return index;
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

function readGroups(doc: Document, at: At, part: boolean, source: AccessSource): AccessGroup[] {
  const root = doc.contents;
  if (!isMap(root)) {
    at(root, `expected a mapping with a ${part ? '"groups", "rules" or "timeZone"' : '"groups"'} key at the top`);
    return [];
  }
  for (const pair of root.items)
    if (isScalar(pair.key) && !TOP_KEYS.includes(String(pair.key.value))) at(pair.key, unknownKey(String(pair.key.value), TOP_KEYS));
  const groupsNode = root.get("groups", true);
  if (part && groupsNode === undefined) return [];
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
    const members: Record<string, number> = {};
    const group = readGroup(name, pair.value as Node, at, members);
    if (group) groups.push(group);
    source.groups[name] = { line: at.line(pair.key as Node), members };
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

function readGroup(name: string, node: Node | null, at: At, lines: Record<string, number>): AccessGroup | undefined {
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
  const { members, endDates } = readMembers(name, node.get("members", true), node, at, lines);
  const group: AccessGroup = { name, mode: mode as MembershipMode, members, ...(Object.keys(endDates).length > 0 && { endDates }) };
  const maxRemovals = node.get("maxRemovals", true);
  if (maxRemovals !== undefined) {
    const value = isScalar(maxRemovals) ? maxRemovals.value : undefined;
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) group.maxRemovals = value;
    else at(maxRemovals, `group "${name}": maxRemovals must be a whole number of 0 or more`);
  }
  const removePreexisting = readFlag(name, node, "removePreexistingOnDestroy", at);
  if (removePreexisting !== undefined) group.removePreexistingOnDestroy = removePreexisting;
  const owners = readOwners(name, node.get("owners", true), at);
  if (owners !== undefined) group.owners = owners;
  return readLifecycle(group, node, at);
}

/** A GitHub user (`ada`, `@ada`) or team (`@acme/finance-leads`), as CODEOWNERS names them. */
const GITHUB_USER = /^@?[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const GITHUB_TEAM = /^@[A-Za-z\d][A-Za-z\d-]*\/[A-Za-z\d][\w.-]*$/;

/** `owners:`: who approves a change to the group, each written `@user` or `@org/team` (a user's @ may be left out). */
function readOwners(name: string, node: unknown, at: At): string[] | undefined {
  if (node === undefined) return undefined;
  if (!isSeq(node)) {
    at(isNode(node) ? node : undefined, `group "${name}": owners must be a list of GitHub users or teams, such as [@ada, @acme/finance-leads]`);
    return undefined;
  }
  const owners: string[] = [];
  for (const item of node.items) {
    const value = isScalar(item) && typeof item.value === "string" ? item.value.trim() : undefined;
    if (value !== undefined && (GITHUB_TEAM.test(value) || GITHUB_USER.test(value))) {
      const owner = value.startsWith("@") ? value : `@${value}`;
      if (owners.some((o) => o.toLowerCase() === owner.toLowerCase())) at(item as Node, `group "${name}": owner ${owner} is listed twice`);
      else owners.push(owner);
    } else
      at(
        item as Node,
        `group "${name}": ${JSON.stringify(isScalar(item) ? item.value : null)} is not a GitHub user (@ada) or team (@acme/finance-leads)`,
      );
  }
  return owners;
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

function readMembers(
  name: string,
  node: Node | undefined,
  parent: Node,
  at: At,
  lines: Record<string, number>,
): { members: Array<string | number>; endDates: Record<string, EndDate> } {
  const members: Array<string | number> = [];
  const endDates: Record<string, EndDate> = {};
  if (node === undefined || (isScalar(node) && node.value === null)) return { members, endDates };
  if (!isSeq(node)) {
    at(node ?? parent, `group "${name}": members must be a list of email addresses or user ids`);
    return { members, endDates };
  }
  const seen = new Map<string, Node>();
  for (const item of node.items) {
    const entry = isMap(item) ? readMemberEntry(name, item, at) : { value: isScalar(item) ? item.value : undefined, node: item as Node };
    if (entry === undefined) continue;
    const { value } = entry;
    const ref = parseUserRef(value);
    if (!isScalar(entry.node) || ref === undefined || (typeof value !== "string" && typeof value !== "number")) {
      at(entry.node, `group "${name}": ${JSON.stringify(value ?? null)} is not an email address (such as alice@acme.com) or a user id`);
      continue;
    }
    const key = ref.kind === "email" ? ref.email : `#${ref.id}`;
    const twin = seen.get(key);
    if (twin) at(entry.node, `group "${name}": ${String(value)} is listed twice (first at line ${at.line(twin)}; addresses ignore case)`);
    else seen.set(key, entry.node);
    lines[userKey(ref)] ??= at.line(entry.node);
    members.push(value);
    if (ref.kind === "email" && "endDate" in entry && entry.endDate) endDates[ref.email] = entry.endDate;
  }
  return { members, endDates };
}

/** A member written as `{ email, until, reason }`: the address's node, and the end date if there is one. */
function readMemberEntry(name: string, item: Node, at: At): { value: unknown; node: Node; endDate?: EndDate } | undefined {
  if (!isMap(item)) return undefined;
  for (const pair of item.items)
    if (isScalar(pair.key) && !MEMBER_KEYS.includes(String(pair.key.value)))
      at(pair.key, `group "${name}": ${unknownKey(String(pair.key.value), MEMBER_KEYS)}`);
  const email = item.get("email", true);
  if (email === undefined) {
    at(item, `group "${name}": a member written as a mapping needs "email" (and optionally "until" and "reason")`);
    return undefined;
  }
  const untilNode = item.get("until", true);
  const reasonNode = item.get("reason", true);
  const until = untilNode === undefined ? undefined : parseDay(isScalar(untilNode) ? untilNode.value : undefined);
  if (untilNode !== undefined && until === undefined) {
    const written = isScalar(untilNode) ? untilNode.value : null;
    at(untilNode, `group "${name}": until must be the last day with access as YYYY-MM-DD, such as 2026-12-31; got ${JSON.stringify(written)}`);
  }
  const reason =
    isScalar(reasonNode) && typeof reasonNode.value === "string" && reasonNode.value.trim() !== "" ? reasonNode.value.trim() : undefined;
  if (reasonNode !== undefined && reason === undefined) at(reasonNode, `group "${name}": reason must be a text`);
  const value = isScalar(email) ? email.value : undefined;
  if (typeof value !== "string") {
    at(email, `group "${name}": email must be an email address, such as alice@acme.com; got ${JSON.stringify(value ?? null)}`);
    return undefined;
  }
  return { value, node: email, ...(until !== undefined && { endDate: { until, ...(reason !== undefined && { reason }) } }) };
}

/** `rules:`: each rule read by the provider's own reader, its problems placed at the node they concern. */
function readRules(doc: Document, at: At, source: AccessSource): AccessRule[] {
  const node = doc.get("rules", true);
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    at(node as Node, "rules must be a list of rules, such as - separate: [Finance-Approvers, Finance-Requesters]");
    return [];
  }
  const rules: AccessRule[] = [];
  node.items.forEach((item, index) => {
    const { rule, problems } = parseRule(isCollection(item) || isScalar(item) ? item.toJSON() : item);
    for (const problem of problems) {
      const target = nodeAt(item, problem.path, problem.key === true);
      at(isNode(target) ? target : isNode(item) ? item : node, `rule ${index + 1}: ${problem.message}`);
    }
    if (rule) rules.push(rule);
    source.rules.push(at.line(isNode(item) ? item : node));
  });
  return rules;
}

/** The node at a path inside a rule: the value there, or the key itself when the key is the problem. */
function nodeAt(item: unknown, path: ReadonlyArray<string | number>, key: boolean): unknown {
  if (path.length === 0 || !isCollection(item)) return item;
  if (!key) return item.getIn(path, true);
  const parent: unknown = path.length === 1 ? item : item.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  return isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key : undefined;
}

function readTimeZone(doc: Document, at: At): string | undefined {
  const node = doc.get("timeZone", true);
  if (node === undefined) return undefined;
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === "string" && isTimeZone(value.trim())) return value.trim();
  const near = typeof value === "string" ? closestMatch(value, timeZoneNames()) : undefined;
  at(
    node as Node,
    `timeZone must be an IANA time zone, such as Europe/Berlin or UTC; got ${JSON.stringify(value ?? null)}${near ? `; did you mean "${near}"?` : ""}`,
  );
  return undefined;
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
 * shows in `git diff` as exactly the people who moved. The time zone and the rules come first, as written.
 */
export function formatAccessFile(file: AccessFile, options: FormatOptions = {}): string {
  const lines = (options.header ?? []).map((line) => (line === "" ? "#" : `# ${line}`));
  if (file.timeZone !== undefined) lines.push(`timeZone: ${yamlScalar(file.timeZone)}`);
  if (file.rules !== undefined && file.rules.length > 0) lines.push("rules:", ...file.rules.flatMap(formatRule));
  // An empty block would read as null, which the parser refuses: no groups is an empty mapping.
  lines.push(file.groups.length === 0 ? "groups: {}" : "groups:");
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
    if (group.owners !== undefined) lines.push(`    owners: ${flowList(group.owners)}`);
    if (group.members.length === 0) {
      lines.push("    members: []");
      continue;
    }
    lines.push("    members:");
    for (const member of sortMembers(group.members)) {
      const comment = options.memberComment?.(group.name, member);
      const endDate = typeof member === "string" ? group.endDates?.[member] : undefined;
      const written = typeof member === "number" ? String(member) : yamlScalar(member);
      lines.push(`      - ${endDate ? `email: ${written}` : written}${comment ? ` # ${comment}` : ""}`);
      if (endDate) lines.push(`        until: ${endDate.until}`, ...(endDate.reason ? [`        reason: ${yamlScalar(endDate.reason)}`] : []));
    }
  }
  return `${lines.join("\n")}\n`;
}

const flowList = (values: readonly string[]) => `[${values.map(yamlScalar).join(", ")}]`;

function formatRule(rule: AccessRule): string[] {
  const first =
    "separate" in rule
      ? `  - separate: ${flowList(rule.separate)}`
      : "allowedDomains" in rule
        ? `  - allowedDomains: ${flowList(rule.allowedDomains)}`
        : `  - maxMembers: { group: ${yamlScalar(rule.maxMembers.group)}, max: ${rule.maxMembers.max} }`;
  const groups = "allowedDomains" in rule && rule.groups ? [`    groups: ${flowList(rule.groups)}`] : [];
  return [first, ...groups, ...(rule.reason ? [`    reason: ${yamlScalar(rule.reason)}`] : [])];
}

function sortMembers(members: ReadonlyArray<string | number>): Array<string | number> {
  const emails = members
    .filter((m): m is string => typeof m === "string")
    .map(normalizeEmail)
    .sort();
  const ids = members.filter((m): m is number => typeof m === "number").sort((a, b) => a - b);
  return [...emails, ...ids];
}

/** Whether YAML reads `text`, written plain, as that same text. */
function readsAsItself(text: string): boolean {
  try {
    return parse(text) === text;
  } catch {
    return false;
  }
}

/** A plain scalar where YAML reads it back as the same text, else a double-quoted string. */
export const yamlScalar = (text: string): string =>
  /^[A-Za-z0-9._@+-][A-Za-z0-9 ._@+-]*$/.test(text) &&
  !/^(true|false|null|yes|no|~|[\d.]+)$/i.test(text) &&
  !text.endsWith(" ") &&
  // Only these first characters make YAML read a plain text as a number (1e5, +1, 0x1F, .inf), a marker (-, ...) or an error (@x).
  (!/^[-+.\d@]/.test(text) || readsAsItself(text))
    ? text
    : JSON.stringify(text);
const yamlKey = yamlScalar;
