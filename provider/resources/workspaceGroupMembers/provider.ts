import { summarizeFailures } from "../../runtime/failureSummary";
import { type MembershipPlan, isEmptyPlan, removalGuardError } from "../../plan/memberships";
import { ChangeFailed, ChangeRefused } from "../../runtime/errors";
import { isUnknown, requireKnown } from "../../runtime/inputs";
import type { KindProvider } from "../../runtime/kindProvider";
import { hasHandedOver, refuseHandedOver } from "../../runtime/judged";
import { applyPlan, removeMembers } from "./apply";
import { checkWorkspaceGroupMembers } from "./check";
import { destroyPlan, updatePlan } from "./plan";
import { refresh } from "./refresh";
import {
  type CheckedInputs,
  type WorkspaceGroupMembersInputs,
  type WorkspaceGroupMembersOutputs,
  decodeCheckedInputs,
  decodeOutputs,
} from "./state";

function guard(inputs: WorkspaceGroupMembersInputs, plan: MembershipPlan): void {
  const error = removalGuardError(inputs.group, plan, inputs.maxRemovals);
  if (error) throw new ChangeRefused(error);
}

/** A create always follows a check that planned it (every input known by then). */
function createPlan(inputs: WorkspaceGroupMembersInputs): MembershipPlan {
  if (inputs.__plan === undefined)
    throw new Error(`pulumi-kantata: no plan for workspace group "${inputs.group}"; this is a bug, please report it.`);
  return inputs.__plan;
}

/** Same keys with the same values (both absent counts as the same). */
const sameRecord = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);

/**
 * Settings that change without touching anyone's access. The group's name is not one: a rename of the
 * group (a WorkspaceGroup's change) is recorded with the next check's inputs, without a step of this
 * resource, so `preview --diff` of a rename shows the one `~ name` line of the group.
 */
const configChanged = (olds: WorkspaceGroupMembersOutputs, news: CheckedInputs) =>
  olds.mode !== news.mode ||
  olds.maxRemovals !== news.maxRemovals ||
  olds.removePreexistingOnDestroy !== news.removePreexistingOnDestroy ||
  !sameRecord(olds.inactive, news.inactive) ||
  !sameRecord(olds.expires, news.expires) ||
  !sameRecord(olds.expired, news.expired);

export const workspaceGroupMembersProvider: KindProvider = {
  check: (ctx, olds, news) => checkWorkspaceGroupMembers(ctx, olds, news),

  async diff(_ctx, _id, oldBag, newBag) {
    // Problems handed to a judge: the preview goes on to it (which fails), create and update refuse.
    if (hasHandedOver(newBag)) return { changes: true, replaces: [] };
    const olds = decodeOutputs(oldBag);
    const news = decodeCheckedInputs(newBag);
    const replaces = isUnknown(news.groupId) || olds.groupId !== news.groupId ? ["group"] : [];
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    if (replaces.length > 0) return { changes: true, replaces };
    if (isUnknown(news.members) || isUnknown(news.mode) || isUnknown(news.maxRemovals)) return { changes: true, replaces };
    const after = requireKnown(news);
    const plan = updatePlan(olds, after);
    guard(after, plan);
    return { changes: !isEmptyPlan(plan) || configChanged(olds, news), replaces };
  },

  async create(ctx, bag) {
    refuseHandedOver(bag);
    const inputs = requireKnown(decodeCheckedInputs(bag));
    const plan = createPlan(inputs);
    guard(inputs, plan);
    const outs = await applyPlan(ctx, { inputs, plan });
    return { id: String(outs.groupId), outs };
  },

  async read(ctx, id, props) {
    return refresh(ctx, id, decodeOutputs(props));
  },

  async update(ctx, _id, oldBag, newBag) {
    refuseHandedOver(newBag);
    const before = decodeOutputs(oldBag);
    const inputs = requireKnown(decodeCheckedInputs(newBag));
    const plan = updatePlan(before, inputs);
    guard(inputs, plan);
    return { outs: await applyPlan(ctx, { inputs, plan, before }) };
  },

  async delete(ctx, _id, bag) {
    const outputs = decodeOutputs(bag);
    const plan = destroyPlan(outputs, ctx.ownership.claimedElsewhere(outputs.groupId, outputs.__urn));
    const live = await ctx.groups.members(outputs.groupId);
    const { failures } = await removeMembers(ctx, outputs.groupId, plan.losses, live);
    // The resource stays in state; deletes are idempotent (404 counts as done), so a retry finishes the job.
    if (failures.length > 0) {
      throw new ChangeFailed(
        summarizeFailures(failures, { logger: ctx.log, what: `members of workspace group "${outputs.group}" could not be removed` }),
      );
    }
  },
};
