import type * as pulumi from "@pulumi/pulumi";
import { planDestroy, planGroupMembers, removalGuardError } from "../../plan/groupMembers";
import { type Unknowable, isUnknown, requireKnown } from "../inputs";
import type { MemberMap } from "../identityInputs";
import { summarizeFailures } from "../../kantata";
import { directory, kantata, providerLog, providerLogger } from "../runtime";
import { applyPlan } from "./apply";
import { checkWorkspaceGroupMembers } from "./check";
import { refresh } from "./refresh";
import {
  type CheckedInputs,
  type WorkspaceGroupMembersInputs,
  type WorkspaceGroupMembersOutputs,
  memberIds,
  preexistingIdsOf,
  sameMembers,
} from "./state";

export type { WorkspaceGroupMembersInputs, WorkspaceGroupMembersOutputs } from "./state";

function guardRemovals(inputs: Pick<WorkspaceGroupMembersInputs, "group" | "maxRemovals">, removals: number): void {
  const error = removalGuardError(inputs.group, removals, inputs.maxRemovals);
  if (error) throw new Error(error);
}

/** Known members of checked inputs, or undefined while preview still has unknowns. */
const knownMembers = (inputs: Unknowable<Pick<WorkspaceGroupMembersInputs, "members">>): MemberMap | undefined =>
  isUnknown(inputs.members) ? undefined : inputs.members;

/**
 * Reads the group, plans against what is really there (someone may have changed it since the last
 * run) and applies the plan. Members created earlier through this same token (an interrupted run
 * whose create went through but never reached state) count as ours, not as pre-existing.
 */
async function converge(inputs: WorkspaceGroupMembersInputs, before?: WorkspaceGroupMembersOutputs): Promise<WorkspaceGroupMembersOutputs> {
  const client = kantata();
  const live = await client.listGroupMembers(inputs.groupId);
  const managedBefore = before?.members ?? {};
  const plan = planGroupMembers({
    mode: inputs.mode,
    declared: memberIds(inputs.members),
    live: live.memberships.map((m) => m.userId),
    managed: memberIds(managedBefore),
  });
  guardRemovals(inputs, plan.remove.length);

  const wasManaged = new Set(memberIds(managedBefore));
  const declared = new Set(memberIds(inputs.members));
  // Declared people who are members already and whom this resource did not manage: it takes them on now.
  const taken = live.memberships.filter((m) => declared.has(m.userId) && !wasManaged.has(m.userId));
  const ownId = taken.length > 0 ? await directory().currentUserId() : undefined;
  const ours = taken.filter((m) => m.creatorId === ownId);
  if (ours.length > 0) {
    providerLog(
      `workspace group "${inputs.group}": took over ${ours.length} membership(s) this token created earlier (an interrupted run), as managed members.`,
    );
  }
  const preexistingIds = new Set([
    ...(before ? preexistingIdsOf(before) : []),
    ...taken.filter((m) => m.creatorId !== ownId).map((m) => m.userId),
  ]);
  return applyPlan(client, providerLogger(), { inputs, live, plan, managedBefore, preexistingIds });
}

export const workspaceGroupMembersProvider: pulumi.dynamic.ResourceProvider<CheckedInputs, WorkspaceGroupMembersOutputs> = {
  async check(olds, news) {
    return checkWorkspaceGroupMembers(olds, news, directory);
  },

  async diff(_id, olds, news) {
    const replaces = isUnknown(news.groupId) || olds.groupId !== news.groupId ? ["group"] : [];
    const declared = knownMembers(news);
    const changes =
      replaces.length > 0 ||
      declared === undefined ||
      !sameMembers(olds.members ?? {}, declared) ||
      Object.keys(olds.undeclared ?? {}).length > 0 ||
      olds.group !== news.group ||
      olds.mode !== news.mode ||
      olds.maxRemovals !== news.maxRemovals ||
      Boolean(olds.removePreexistingOnDestroy) !== Boolean(news.removePreexistingOnDestroy);
    // Fail the preview, not just the update, when the change would remove too many members: the same
    // planner as `update`, asked about the members state knows.
    if (replaces.length === 0 && declared !== undefined && !isUnknown(news.mode) && !isUnknown(news.maxRemovals)) {
      const managed = memberIds(olds.members);
      const plan = planGroupMembers({
        mode: news.mode,
        declared: memberIds(declared),
        live: [...managed, ...memberIds(olds.undeclared)],
        managed,
      });
      guardRemovals({ group: olds.group, maxRemovals: news.maxRemovals }, plan.remove.length);
    }
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    return { changes, replaces };
  },

  async create(checked) {
    const outs = await converge(requireKnown(checked));
    return { id: String(outs.groupId), outs };
  },

  async read(id, props) {
    if (props === undefined) return {};
    return refresh(kantata(), id, props);
  },

  async update(_id, olds, news) {
    return { outs: await converge(requireKnown(news), olds) };
  },

  async delete(_id, props) {
    const client = kantata();
    const live = await client.listGroupMembers(props.groupId);
    const membershipOf = new Map(live.memberships.map((m) => [m.userId, m.id]));
    const removals = planDestroy(memberIds(props.members), preexistingIdsOf(props), Boolean(props.removePreexistingOnDestroy)).filter((userId) =>
      membershipOf.has(userId),
    );
    const results = await client.deleteMemberships(removals.map((userId) => membershipOf.get(userId) as number));
    const keyOf = new Map(Object.entries(props.members ?? {}).map(([key, id]) => [id, key]));
    const failures = results.flatMap((result, i) =>
      result.status === "rejected" ? [{ subject: keyOf.get(removals[i]) ?? `user ${removals[i]}`, error: result.reason as unknown }] : [],
    );
    // The resource stays in state; deletes are idempotent (404 counts as done), so a retry finishes the job.
    if (failures.length > 0) {
      throw new Error(
        summarizeFailures(failures, { logger: providerLogger(), what: `members of workspace group "${props.group}" could not be removed` }),
      );
    }
  },
};
