import { type MembershipPlan, planDestroy, planGroupMembers } from "../../plan/memberships";
import { type WorkspaceGroupMembersInputs, type WorkspaceGroupMembersOutputs, memberIds } from "./state";

/**
 * What each step of a WorkspaceGroupMembers does to whose access, from its states: the provider applies
 * these answers, and `kantata-access review` reports them from a preview's JSON.
 */

/**
 * What an update does: the plan `check` made against a live read when the declaration changed, or —
 * when nothing was read (the declaration is as before, yet state differs: a partial failure to resume,
 * drift a refresh found) — the planner's answer about what state knows. The review asks the same.
 */
export function updatePlan(before: WorkspaceGroupMembersOutputs, after: WorkspaceGroupMembersInputs): MembershipPlan {
  return (
    after.__plan ??
    planGroupMembers({
      mode: after.mode,
      declared: after.members,
      live: { ...before.undeclared, ...before.members },
      managed: memberIds(before.members),
      inactive: memberIds(after.inactive ?? {}),
    })
  );
}

/** What destroying the resource does: the members it added lose access, unless another resource now declares them. */
export function destroyPlan(outputs: WorkspaceGroupMembersOutputs, claimedElsewhere: ReadonlySet<number>): MembershipPlan {
  return planDestroy({
    managed: outputs.members,
    preexisting: outputs.preexisting,
    removePreexisting: outputs.removePreexistingOnDestroy,
    claimedElsewhere,
  });
}
