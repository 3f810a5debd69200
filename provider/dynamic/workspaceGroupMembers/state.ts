import { normalizeEmail } from "../../identity/references";
import type { User } from "../../kantata/types";
import type { MembershipMode } from "../../plan/groupMembers";
import type { Unknowable } from "../inputs";
import type { MemberMap } from "../identityInputs";

/**
 * What a WorkspaceGroupMembers keeps in Pulumi state. People are keyed by how they are declared (the
 * normalised email, or the id), so the engine's own key-by-key diff of `members` shows one `+` or `-`
 * line per person who gains or loses access, and never renumbers anyone.
 */
export interface WorkspaceGroupMembersInputs {
  /** The group's name as Kantata spells it (whether it was declared by name or by id). */
  group: string;
  groupId: number;
  /** Declared people: key → user id. */
  members: MemberMap;
  mode: MembershipMode;
  maxRemovals: number;
  removePreexistingOnDestroy: boolean;
}

/** What `check` returns and `diff` receives: during preview any input may still be unknown. */
export type CheckedInputs = Unknowable<WorkspaceGroupMembersInputs>;

export interface WorkspaceGroupMembersOutputs extends WorkspaceGroupMembersInputs {
  /** (members) The people this resource manages who are members now; after a partial failure, what really exists. */
  /** Keys of `members` who were members before this resource took them on: kept on destroy unless asked. */
  preexisting: string[];
  /** Authoritative mode: members the last read found who are not declared, by email (or id); an update removes them. */
  undeclared: MemberMap;
}

/** The inputs part of recorded outputs, e.g. for `read` to report as refreshed inputs. */
export const inputsOf = (outputs: WorkspaceGroupMembersOutputs): WorkspaceGroupMembersInputs => ({
  group: outputs.group,
  groupId: outputs.groupId,
  members: outputs.members,
  mode: outputs.mode,
  maxRemovals: outputs.maxRemovals,
  removePreexistingOnDestroy: outputs.removePreexistingOnDestroy,
});

export const memberIds = (members: MemberMap | undefined): number[] => Object.values(members ?? {});

/** Same people with the same ids, whatever the key order. */
export function sameMembers(a: MemberMap, b: MemberMap): boolean {
  const aKeys = Object.keys(a);
  return aKeys.length === Object.keys(b).length && aKeys.every((key) => b[key] === a[key]);
}

/** How state names a member the program does not declare: the current email, or the id if Kantata has no user record. */
export function keyFor(userId: number, users: ReadonlyMap<number, User>): string {
  const email = users.get(userId)?.email;
  return email ? normalizeEmail(email) : String(userId);
}

export interface Observed {
  /** User ids that are members of the group now. */
  present: ReadonlySet<number>;
  /** Their user records (from the side-loaded read), for naming undeclared members. */
  users: ReadonlyMap<number, User>;
}

/**
 * The outputs that describe what exists: the declared people who are members, then formerly managed
 * people who still are (a removal that failed keeps them managed), and in authoritative mode every
 * other member as `undeclared`.
 */
export function recordObserved(
  inputs: WorkspaceGroupMembersInputs,
  managedBefore: MemberMap,
  preexistingIds: ReadonlySet<number>,
  observed: Observed,
): WorkspaceGroupMembersOutputs {
  const members: MemberMap = {};
  const managed = new Set<number>();
  for (const [key, userId] of [...Object.entries(inputs.members), ...Object.entries(managedBefore)]) {
    if (!observed.present.has(userId) || managed.has(userId)) continue;
    members[key] = userId;
    managed.add(userId);
  }
  const undeclared: MemberMap = {};
  if (inputs.mode === "authoritative") {
    for (const userId of observed.present) if (!managed.has(userId)) undeclared[keyFor(userId, observed.users)] = userId;
  }
  const preexisting = Object.keys(members).filter((key) => preexistingIds.has(members[key]));
  return { ...inputs, members, preexisting: preexisting.sort(), undeclared };
}

/** The ids of recorded pre-existing members. */
export const preexistingIdsOf = (outputs: WorkspaceGroupMembersOutputs): Set<number> =>
  new Set((outputs.preexisting ?? []).map((key) => outputs.members?.[key]).filter((id): id is number => id !== undefined));
