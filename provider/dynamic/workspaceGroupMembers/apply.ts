import type { GroupMembers, KantataClient } from "../../kantata/client";
import { type ItemFailure, type KantataLogger, summarizeFailures } from "../../kantata";
import type { GroupPlan } from "../../plan/groupMembers";
import type { MemberMap } from "../identityInputs";
import { PartialFailure } from "../partialFailure";
import { type WorkspaceGroupMembersInputs, type WorkspaceGroupMembersOutputs, keyFor, recordObserved } from "./state";

export interface ApplyRequest {
  inputs: WorkspaceGroupMembersInputs;
  /** The group as read just before planning. */
  live: GroupMembers;
  plan: GroupPlan;
  /** Whom the resource managed before this change (empty on create). */
  managedBefore: MemberMap;
  /** Members who were there before this resource took them on; grows if someone adds a declared user meanwhile. */
  preexistingIds: Set<number>;
}

/**
 * Applies a plan — bulk POSTs for additions, DELETEs for removals — and returns the outputs that
 * describe what now exists. If any change failed, throws a PartialFailure carrying those outputs, so
 * state stays true and the next `up` resumes without duplicates.
 */
export async function applyPlan(client: KantataClient, log: KantataLogger, request: ApplyRequest): Promise<WorkspaceGroupMembersOutputs> {
  const { inputs, live, plan, preexistingIds } = request;
  const membershipOf = new Map(live.memberships.map((m) => [m.userId, m.id]));
  const failures: ItemFailure[] = [];
  const declaredKey = new Map([...Object.entries(request.managedBefore), ...Object.entries(inputs.members)].map(([key, id]) => [id, key]));
  const subject = (userId: number) => declaredKey.get(userId) ?? keyFor(userId, live.users);

  const added = await client.createMemberships(plan.add.map((userId) => ({ userId, workspaceGroupId: inputs.groupId })));
  for (const m of added.created) membershipOf.set(m.userId, m.id);
  for (const m of added.existing) {
    membershipOf.set(m.userId, m.id);
    preexistingIds.add(m.userId); // someone else added them meanwhile; we did not create them
  }
  for (const { pair, error } of added.failed) failures.push({ subject: `adding ${subject(pair.userId)}`, error });

  const removing = plan.remove.filter((userId) => membershipOf.has(userId));
  const removed = await client.deleteMemberships(removing.map((userId) => membershipOf.get(userId) as number));
  removed.forEach((result, i) => {
    if (result.status === "fulfilled") membershipOf.delete(removing[i]);
    else failures.push({ subject: `removing ${subject(removing[i])}`, error: result.reason });
  });

  const outputs = recordObserved(inputs, request.managedBefore, preexistingIds, { present: new Set(membershipOf.keys()), users: live.users });
  if (failures.length === 0) return outputs;
  const applied = added.created.length + added.existing.length + removed.filter((r) => r.status === "fulfilled").length;
  const message = summarizeFailures(failures, { logger: log, what: `change(s) to workspace group "${inputs.group}" failed` });
  // Nothing changed: the state the engine already has stays true, so a plain error says it best.
  if (applied === 0) throw new Error(message);
  throw new PartialFailure(String(inputs.groupId), outputs, message);
}
