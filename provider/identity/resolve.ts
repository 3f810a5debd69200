import type { Directory } from "./directory";
import { type GroupRef, type UserRef, foldName, parseGroupRef, parseUserRef, userKey } from "./references";
import type { MemberMap } from "../plan/memberships";
import { type Failures, UNKNOWN, type Unknowable, describeValue, isUnknown } from "../runtime/inputs";

/** A group as state records it: its id and its name as Kantata spells it. */
export interface ResolvedGroup {
  group: string;
  groupId: number;
}

/**
 * A group as `check` resolved it. During preview it may be unknown (computed from another resource), or
 * known by name only and `created`: a WorkspaceGroup of the stack creates it in this change, so it has
 * no id yet, and no members.
 */
export type CheckedGroup = Unknowable<ResolvedGroup> & { created?: true };

/** How the one-owner rule (plan/ownership.ts) knows a group created in this change, before it has an id. */
export const newGroupKey = (name: string): string => `new:${foldName(name)}`;

/** A group computed from another resource's output, during preview. */
const UNKNOWN_GROUP: CheckedGroup = { group: UNKNOWN, groupId: UNKNOWN };

const sameName = (a: string, b: string): boolean => foldName(a) === foldName(b);

/** The group that old inputs (state) resolved, if they resolved one: the look-up `check` can skip. */
export function groupResolvedIn(olds: Partial<Unknowable<ResolvedGroup>> | undefined): ResolvedGroup | undefined {
  const { group, groupId } = olds ?? {};
  return typeof group === "string" && !isUnknown(group) && typeof groupId === "number" ? { group, groupId } : undefined;
}

/**
 * Resolves a declared group (name or id) at `check`, so a typo fails the preview. The group state
 * already knows (same id, or same name ignoring case) is not looked up again.
 *
 * `declaredName` is the name of the WorkspaceGroup the program passed as the group (the hidden
 * `__groupName`): the name to record, which follows a rename; and, while the group's id is not known
 * (a WorkspaceGroup being created or taken on, during preview), the way to find it: a group of that
 * name that exists is the one the WorkspaceGroup takes on; if there is none, the WorkspaceGroup creates it.
 */
export async function resolveGroupInput(
  value: unknown,
  known: ResolvedGroup | undefined,
  directory: Directory,
  failures: Failures,
  declaredName?: unknown,
): Promise<CheckedGroup | undefined> {
  const name = typeof declaredName === "string" && declaredName.trim() !== "" ? declaredName.trim() : undefined;
  if (isUnknown(value)) {
    if (name === undefined) return UNKNOWN_GROUP;
    if (known !== undefined && sameName(known.group, name)) return { group: known.group, groupId: known.groupId };
    const found = await directory.findGroup({ kind: "name", name });
    return found ? { group: found.name, groupId: found.id } : { group: name, groupId: UNKNOWN, created: true };
  }
  const resolved = await resolveKnownGroup(value, known, directory, failures);
  return resolved && name !== undefined ? { ...resolved, group: name } : resolved;
}

async function resolveKnownGroup(
  value: unknown,
  known: ResolvedGroup | undefined,
  directory: Directory,
  failures: Failures,
): Promise<ResolvedGroup | undefined> {
  const ref = parseGroupRef(value);
  if (ref === undefined) {
    failures.push({
      property: "group",
      reason: `group must be a workspace group's name, such as "Delivery-EMEA", or its id, such as 5521; got ${describeValue(value)}.`,
    });
    return undefined;
  }
  if (known !== undefined) {
    const same = ref.kind === "id" ? ref.id === known.groupId : sameName(ref.name, known.group);
    if (same) return { group: known.group, groupId: known.groupId };
  }
  const found = await directory.findGroup(ref);
  if (found) return { group: found.name, groupId: found.id };
  if (ref.kind === "id") {
    failures.push({
      property: "group",
      reason: unknownGroupReason(ref),
    });
  } else {
    failures.push({ property: "group", reason: unknownGroupReason(ref, await directory.suggestGroupName(ref.name)) });
  }
  return undefined;
}

/** What every door says of a group the account does not have: the resources' `group` and the look-ups alike. */
export function unknownGroupReason(ref: GroupRef, suggestion?: string): string {
  return ref.kind === "id"
    ? `This Kantata OX account has no workspace group with id ${ref.id}. Check the id, or name the group instead.`
    : `This Kantata OX account has no workspace group named "${ref.name}"${suggestion ? `; did you mean "${suggestion}"?` : ". Check the spelling."}`;
}

/** What every door says of an address no user of the account has (active or not). */
export const unknownAddressReason = (email: string, suggestion?: string): string =>
  `No user of this Kantata OX account has the address ${email}${suggestion ? `; did you mean ${suggestion}?` : "."}`;

interface Entry {
  /** `members[3]`, or `user` for a single-user resource. */
  property: string;
  declared: unknown;
  ref: UserRef;
}

const quote = (entry: Entry): string => `${entry.property} (${JSON.stringify(entry.declared)})`;

/** Declared people as `check` resolves them: the active ones, and those whose login is disabled (they left). */
export interface ResolvedMembers {
  members: MemberMap;
  /** People the declaration names whom Kantata OX knows only as disabled users: nothing is added for them. */
  inactive: MemberMap;
}

/**
 * Resolves declared people (emails or ids) to user ids at `check`. Reports, all at once, every entry
 * that is malformed, unknown to the account (with the closest address when one is close), or names a
 * person another entry already names. An address found only among disabled users is no error: the
 * person left, and is returned as inactive. Keys state already resolved (either way) are not looked
 * up again, so a no-op preview makes no request. Returns UNKNOWN while any entry is still unknown (preview).
 */
export async function resolveMemberInputs(
  entries: ReadonlyArray<{ property: string; value: unknown }>,
  known: Partial<ResolvedMembers> | undefined,
  directory: Directory,
  failures: Failures,
): Promise<ResolvedMembers | typeof UNKNOWN | undefined> {
  const parsed: Entry[] = [];
  const byKey = new Map<string, Entry>();
  let unknown = false;
  for (const { property, value } of entries) {
    if (isUnknown(value)) {
      unknown = true;
      continue;
    }
    const ref = parseUserRef(value);
    if (ref === undefined) {
      failures.push({
        property,
        reason: `${property} must be a user's email address, such as "alice@acme.com", or a user id, such as 1003; got ${describeValue(value)}.`,
      });
      continue;
    }
    const entry = { property, declared: value, ref };
    const twin = byKey.get(userKey(ref));
    if (twin) {
      failures.push({ property, reason: `${quote(entry)} and ${quote(twin)} name the same person; list each person once.` });
      continue;
    }
    byKey.set(userKey(ref), entry);
    parsed.push(entry);
  }

  const found = await Promise.all(parsed.map((entry) => resolveEntry(entry, known, directory, failures)));
  const resolved: ResolvedMembers = { members: {}, inactive: {} };
  const byId = new Map<number, Entry>();
  parsed.forEach((entry, i) => {
    const person = found[i];
    if (person === undefined) return;
    const twin = byId.get(person.id);
    if (twin) {
      failures.push({
        property: entry.property,
        reason: `${quote(entry)} and ${quote(twin)} are the same person (user ${person.id}); list each person once.`,
      });
      return;
    }
    byId.set(person.id, entry);
    resolved[person.inactive ? "inactive" : "members"][userKey(entry.ref)] = person.id;
  });
  return unknown ? UNKNOWN : resolved;
}

async function resolveEntry(
  entry: Entry,
  known: Partial<ResolvedMembers> | undefined,
  directory: Directory,
  failures: Failures,
): Promise<{ id: number; inactive?: true } | undefined> {
  const key = userKey(entry.ref);
  // Inactive first: a refresh records people who left since, and an authoritative refresh's members
  // still name them while they hold a membership.
  const recordedInactive = known?.inactive?.[key];
  if (typeof recordedInactive === "number") return { id: recordedInactive, inactive: true };
  const recorded = known?.members?.[key];
  if (typeof recorded === "number") {
    // Expected by another resource's look-ahead: no look-up need carry it.
    if (entry.ref.kind === "email") directory.knownEmail(entry.ref.email);
    return { id: recorded };
  }
  if (entry.ref.kind === "id") return { id: entry.ref.id };
  const user = await directory.findUserByEmail(entry.ref.email);
  if (user) return { id: user.id };
  const disabled = await directory.findDisabledUserByEmail(entry.ref.email);
  if (disabled) return { id: disabled.id, inactive: true };
  failures.push({ property: entry.property, reason: unknownAddressReason(entry.ref.email, await directory.suggestEmail(entry.ref.email)) });
  return undefined;
}
