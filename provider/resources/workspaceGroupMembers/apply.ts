import { type ItemFailure, summarizeFailures } from "../../runtime/failureSummary";
import type { MemberMap, MembershipPlan } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import type { LiveGroup } from "../../runtime/liveGroups";
import { ChangeFailed, PartialFailure } from "../../runtime/errors";
import { type WorkspaceGroupMembersInputs, type WorkspaceGroupMembersOutputs, preexistingIdsOf, recordObserved } from "./state";

export interface ApplyRequest {
  inputs: WorkspaceGroupMembersInputs;
  /** What to do: the plan the preview reported. */
  plan: MembershipPlan;
  /** The outputs before this change; undefined on create. */
  before?: WorkspaceGroupMembersOutputs;
}

/**
 * Applies a plan — bulk POSTs for the gains, one DELETE per loss — to the group's live snapshot, and
 * returns the outputs that describe what now exists. Only what the plan names is touched. A declared
 * person someone added meanwhile is taken on (as the token's own if it created them, else adopted); a
 * person already gone counts as removed. If any change failed, throws a PartialFailure carrying the
 * outputs, so state stays true and the next `up` resumes without duplicates.
 */
export async function applyPlan(ctx: ProviderContext, request: ApplyRequest): Promise<WorkspaceGroupMembersOutputs> {
  const { inputs, plan, before } = request;
  const live = await ctx.groups.members(inputs.groupId);
  const preexistingIds = new Set([...(before ? preexistingIdsOf(before) : []), ...plan.adopted.map((key) => plan.unchanged[key])]);
  const failures: ItemFailure[] = [];

  const added = await ctx.client.createMemberships(Object.values(plan.gains).map((userId) => ({ userId, workspaceGroupId: inputs.groupId })));
  await ctx.groups.recordWrites(inputs.groupId, { added: [...added.created, ...added.existing] });
  // Someone made them members between the plan and now: taken on, as the token's own if it created them.
  const ours = await ctx.directory.createdByToken(added.existing);
  for (const m of added.existing) if (!ours.has(m.userId)) preexistingIds.add(m.userId);
  const nameOf = new Map(Object.entries(plan.gains).map(([key, id]) => [id, key]));
  for (const { pair, error } of added.failed) failures.push({ subject: `adding ${nameOf.get(pair.userId) ?? `user ${pair.userId}`}`, error });

  const removed = await removeMembers(ctx, inputs.groupId, plan.losses, live);
  failures.push(...removed.failures);

  const outputs = recordObserved(inputs, before?.members ?? {}, preexistingIds, {
    present: new Set(live.memberships.keys()),
    users: live.users,
  });
  if (failures.length === 0) return outputs;
  const applied = added.created.length + added.existing.length + removed.removed.length;
  const message = summarizeFailures(failures, { logger: ctx.log, what: `change(s) to workspace group "${inputs.group}" failed` });
  // Nothing changed: the state the engine already has stays true, so a plain error says it best.
  if (applied === 0) throw new ChangeFailed(message);
  throw new PartialFailure(String(inputs.groupId), outputs, message);
}

/**
 * Removes these people from the group: one DELETE each (the API has no bulk delete), by the membership
 * ids of the live snapshot. People no longer in the group are already where the plan wants them.
 */
export async function removeMembers(
  ctx: ProviderContext,
  groupId: number,
  losses: MemberMap,
  live: LiveGroup,
): Promise<{ removed: number[]; failures: ItemFailure[] }> {
  const people = Object.entries(losses).flatMap(([key, userId]) => {
    const membership = live.memberships.get(userId);
    return membership ? [{ key, userId, membershipId: membership.id }] : [];
  });
  const results = await ctx.client.deleteMemberships(people.map((person) => person.membershipId));
  const removed: number[] = [];
  const failures: ItemFailure[] = [];
  results.forEach((result, i) => {
    if (result.status === "fulfilled") removed.push(people[i].userId);
    else failures.push({ subject: `removing ${people[i].key}`, error: result.reason });
  });
  await ctx.groups.recordWrites(groupId, { removedUsers: removed });
  return { removed, failures };
}
