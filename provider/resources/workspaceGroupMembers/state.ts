import type { User } from "../../kantata/types";
import type { MemberMap, MembershipMode, MembershipPlan } from "../../plan/memberships";
import type { Day } from "../../../lib/calendar";
import { type DayMap, day, dayMap, decodePlan, keys, memberMap, mode, orUnknown, text, urnOf, whole } from "../../runtime/decode";
import type { Unknowable } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";
import { keyFor } from "../../runtime/liveGroups";

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
  /** Declared people whose Kantata OX login is disabled (they left), as `check` found them: nothing is added for them. Absent when none. */
  inactive?: MemberMap;
  /** Declared people's end dates: key → the last day they have access (see lib/calendar.ts). Absent when none. */
  expires?: DayMap;
  /** People left out of `members` because their access ended: key → the last day they had access. Absent when none. */
  expired?: DayMap;
  /** The resource's URN, set by the program-side class: names the resource in messages (hidden from the diff). */
  __urn?: string;
  /** The day end dates were judged against, set by the program (hidden from the diff): the review's warning window counts from it. */
  __today?: Day;
  /**
   * The plan `check` made against a live read of the group, when the group came under management or
   * its declaration changed; `create` and `update` apply exactly this, and the review reports it.
   * Absent when nothing was read (hidden from the diff).
   */
  __plan?: MembershipPlan;
}

/** The inputs that are records about the declaration, known at preview (never computed from other resources). */
type Recorded = "inactive" | "expires" | "expired" | "__urn" | "__plan" | "__today";

/** What `check` returns and `diff` receives: during preview any input may still be unknown. */
export type CheckedInputs = Unknowable<Omit<WorkspaceGroupMembersInputs, Recorded>> & Pick<WorkspaceGroupMembersInputs, Recorded>;

/** Outputs: `members` are the people this resource manages who are members now (after a partial failure, what really exists). */
export interface WorkspaceGroupMembersOutputs extends Omit<WorkspaceGroupMembersInputs, "__plan" | "__today"> {
  /** Keys of `members` who were members before this resource took them on: kept on destroy unless asked. */
  preexisting: string[];
  /** Members the last read found that this resource does not manage, by email (or id): kept in additive mode, removed in authoritative mode. */
  undeclared: MemberMap;
}

/** Default for maxRemovals: enough for a routine offboarding in one change, small enough that a bad merge which empties or swaps a group's list is stopped at preview. */
export const DEFAULT_MAX_REMOVALS = 10;

export const memberIds = (members: MemberMap): number[] => Object.values(members);

/** The declaration part of inputs or outputs, without a plan: e.g. for `read` to report as refreshed inputs. */
export function inputsOf(source: Omit<WorkspaceGroupMembersInputs, "__plan" | "__today">): WorkspaceGroupMembersInputs {
  const { group, groupId, members, mode, maxRemovals, removePreexistingOnDestroy, __urn } = source;
  return {
    group,
    groupId,
    members,
    mode,
    maxRemovals,
    removePreexistingOnDestroy,
    ...records(source),
    ...(__urn !== undefined && { __urn }),
  };
}

/** `inactive`, `expires` and `expired`, each only when it names someone: resources without them keep the inputs (and the diffs) they had. */
export function records(source: Pick<WorkspaceGroupMembersInputs, "inactive" | "expires" | "expired">): Partial<WorkspaceGroupMembersInputs> {
  const named = (map: object | undefined) => map !== undefined && Object.keys(map).length > 0;
  return {
    ...(named(source.inactive) && { inactive: source.inactive }),
    ...(named(source.expires) && { expires: source.expires }),
    ...(named(source.expired) && { expired: source.expired }),
  };
}

/** The ids of recorded pre-existing members. */
export const preexistingIdsOf = (outputs: WorkspaceGroupMembersOutputs): Set<number> =>
  new Set(outputs.preexisting.map((key) => outputs.members[key]).filter((id): id is number => id !== undefined));

export interface Observed {
  /** User ids that are members of the group now. */
  present: ReadonlySet<number>;
  /** Their user records (from the side-loaded read), for naming undeclared members. */
  users: ReadonlyMap<number, User>;
}

/**
 * The outputs that describe what exists: the declared people who are members, then formerly managed
 * people who still are (a removal that failed keeps them managed), and every other member as
 * `undeclared`.
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
  for (const userId of observed.present) if (!managed.has(userId)) undeclared[keyFor(userId, observed.users)] = userId;
  const preexisting = Object.keys(members).filter((key) => preexistingIds.has(members[key]));
  return { ...inputsOf(inputs), members, preexisting: preexisting.sort(), undeclared };
}

// --- Reading state back (see runtime/decode.ts). ---

/** Recorded outputs. Older states may lack `preexisting`, `undeclared` or the flags: they read as empty or default. */
export function decodeOutputs(bag: Bag): WorkspaceGroupMembersOutputs {
  return {
    group: text(bag.group, "group"),
    groupId: whole(bag.groupId, "groupId"),
    members: memberMap(bag.members, "members"),
    mode: mode(bag.mode),
    maxRemovals: bag.maxRemovals === undefined ? DEFAULT_MAX_REMOVALS : whole(bag.maxRemovals, "maxRemovals"),
    removePreexistingOnDestroy: bag.removePreexistingOnDestroy === true,
    preexisting: keys(bag.preexisting, "preexisting"),
    undeclared: memberMap(bag.undeclared, "undeclared"),
    ...decodeRecords(bag),
    ...urnOf(bag),
  };
}

function decodeRecords(bag: Bag): Partial<WorkspaceGroupMembersInputs> {
  return records({
    inactive: memberMap(bag.inactive, "inactive"),
    expires: dayMap(bag.expires, "expires"),
    expired: dayMap(bag.expired, "expired"),
  });
}

/** Checked inputs, which during preview may hold unknowns. */
export function decodeCheckedInputs(bag: Bag): CheckedInputs {
  const plan = decodePlan(bag.__plan);
  return {
    group: orUnknown(bag.group, (v) => text(v, "group")),
    groupId: orUnknown(bag.groupId, (v) => whole(v, "groupId")),
    members: orUnknown(bag.members, (v) => memberMap(v, "members")),
    mode: orUnknown(bag.mode, mode),
    maxRemovals: orUnknown(bag.maxRemovals ?? DEFAULT_MAX_REMOVALS, (v) => whole(v, "maxRemovals")),
    removePreexistingOnDestroy: orUnknown(bag.removePreexistingOnDestroy ?? false, (v) => v === true),
    ...decodeRecords(bag),
    ...urnOf(bag),
    ...(plan !== undefined && { __plan: plan }),
    ...(bag.__today !== undefined && { __today: day(bag.__today, "__today") }),
  };
}
