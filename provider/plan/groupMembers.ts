/**
 * Pure planning for WorkspaceGroupMembers: given who is declared, who is a member and whom this
 * resource manages, which users to add and which to remove. It works on user ids only and does no
 * I/O, so `diff` (against state) and `update` (against a fresh read) ask the same question of the same
 * code, and the rules can be property-tested on their own.
 */

export type MembershipMode = "additive" | "authoritative";

export interface PlanRequest {
  mode: MembershipMode;
  /** Declared user ids (distinct). */
  declared: Iterable<number>;
  /** The group's current members. */
  live: Iterable<number>;
  /** Users this resource managed until now; additive mode may only remove these. */
  managed: Iterable<number>;
}

export interface GroupPlan {
  /** Declared users who are not members yet, ascending. */
  add: number[];
  /** Members to remove, ascending: undeclared ones in authoritative mode; formerly managed, now undeclared ones in additive mode. */
  remove: number[];
}

const ascending = (ids: Iterable<number>): number[] => [...new Set(ids)].sort((a, b) => a - b);

export function planGroupMembers(request: PlanRequest): GroupPlan {
  const declared = new Set(request.declared);
  const live = new Set(request.live);
  const candidates = request.mode === "authoritative" ? live : request.managed;
  return {
    add: ascending([...declared].filter((userId) => !live.has(userId))),
    remove: ascending([...candidates].filter((userId) => live.has(userId) && !declared.has(userId))),
  };
}

/** The users a destroy removes: everyone managed, except pre-existing members unless asked to. */
export function planDestroy(managed: Iterable<number>, preexisting: Iterable<number>, removePreexisting: boolean): number[] {
  const keep = removePreexisting ? new Set<number>() : new Set(preexisting);
  return ascending([...managed].filter((userId) => !keep.has(userId)));
}

/** Refuses a plan that removes more than `maxRemovals` members: a guard against a bad merge emptying a group. */
export function removalGuardError(groupName: string, removals: number, maxRemovals: number): string | undefined {
  if (removals <= maxRemovals) return undefined;
  return (
    `This change would remove ${removals} members from workspace group "${groupName}", more than maxRemovals (${maxRemovals}). ` +
    `If that is intended, raise maxRemovals on the resource to at least ${removals} for this change; ` +
    `otherwise check the declared members (and the mode) for a mistake.`
  );
}
