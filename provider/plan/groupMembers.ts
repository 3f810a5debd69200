/**
 * Pure planning for WorkspaceGroupMembers: given what is declared and what exists, what to add and
 * what to remove. No I/O here, so the rules can be property-tested on their own.
 */

export type MembershipMode = "additive" | "authoritative";

/** userId → membershipId for one group. */
export type MemberMap = ReadonlyMap<string, string>;

export interface PlanRequest {
  mode: MembershipMode;
  /** Declared user ids (distinct). */
  declared: readonly string[];
  /** The group's current members, as just read from Kantata. */
  live: MemberMap;
  /** Users this resource managed until now (from state); additive mode may only remove these. */
  managed: Iterable<string>;
}

export interface Removal {
  userId: string;
  membershipId: string;
}

export interface GroupPlan {
  /** Declared users who are not members yet. */
  add: string[];
  /** Members to remove: undeclared ones in authoritative mode; formerly managed, now undeclared ones in additive mode. */
  remove: Removal[];
}

export function planGroupMembers(request: PlanRequest): GroupPlan {
  const declared = new Set(request.declared);
  const add = request.declared.filter((userId) => !request.live.has(userId));
  const candidates = request.mode === "authoritative" ? request.live.keys() : request.managed;
  const remove: Removal[] = [];
  for (const userId of new Set(candidates)) {
    const membershipId = request.live.get(userId);
    if (!declared.has(userId) && membershipId !== undefined) remove.push({ userId, membershipId });
  }
  return { add, remove };
}

/** The members a destroy removes: everything managed, except pre-existing members unless asked to. */
export function planDestroy(members: MemberMap, preexisting: Iterable<string>, removePreexisting: boolean): Removal[] {
  const keep = removePreexisting ? new Set<string>() : new Set(preexisting);
  return [...members].filter(([userId]) => !keep.has(userId)).map(([userId, membershipId]) => ({ userId, membershipId }));
}

/** Refuses a plan that removes more than `maxRemovals` members: a guard against a bad merge emptying a group. */
export function removalGuardError(resourceName: string, removals: number, maxRemovals: number): string | undefined {
  if (removals <= maxRemovals) return undefined;
  return (
    `${resourceName} would remove ${removals} members from the group, more than maxRemovals (${maxRemovals}). ` +
    `If that is intended, raise maxRemovals on the resource to at least ${removals} for this change; ` +
    `otherwise check the declared userIds (and the mode) for a mistake.`
  );
}
