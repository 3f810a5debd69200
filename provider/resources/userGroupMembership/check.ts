import type * as pulumi from "@pulumi/pulumi";
import { groupResolvedIn, newGroupKey, resolveGroupInput, resolveMemberInputs } from "../../identity/resolve";
import { EMPTY_PLAN, type MembershipPlan } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import { type Failures, UNKNOWN, isUnknown, parseFlag, requireKnown } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";
import { alreadyMember } from "./plan";
import { type CheckedInputs, type UserGroupMembershipInputs, decodeCheckedInputs, lookAheadOf } from "./state";

/**
 * What creating this membership does, from the group as read: the person gains access; or they are a
 * member already, and the membership is taken on — as the token's own when this token created it (an
 * interrupted run whose create never reached state), as adopted with `adoptExisting` — or refused.
 */
async function planMembership(ctx: ProviderContext, inputs: UserGroupMembershipInputs): Promise<MembershipPlan | { refused: string }> {
  const existing = (await ctx.groups.members(inputs.groupId)).memberships.get(inputs.userId);
  const person = { [inputs.user]: inputs.userId };
  if (existing === undefined) return { ...EMPTY_PLAN, gains: person };
  if ((await ctx.directory.createdByToken([existing])).has(inputs.userId)) return { ...EMPTY_PLAN, unchanged: person };
  if (inputs.adoptExisting) return { ...EMPTY_PLAN, unchanged: person, adopted: [inputs.user] };
  return { refused: alreadyMember(inputs, existing) };
}

/**
 * Validates and resolves the person and the group (what the old inputs resolved is reused without a
 * request). A membership new to the stack is planned against a read of its group, so an existing one
 * without `adoptExisting` fails the preview, and the one-owner rule is checked; one in a group created
 * in the same change is planned without a read (see identity/resolve.ts).
 */
export async function checkUserGroupMembership(
  ctx: ProviderContext,
  olds: Bag | undefined,
  news: Bag,
): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const failures: Failures = [];
  // The addresses the program declares next (see resources/lookAhead.ts): a hint, never state, so not in the inputs returned.
  ctx.directory.expectEmails(lookAheadOf(news.__lookAhead));
  ctx.batcher.expectCreates();
  const before = olds?.userId === undefined ? undefined : decodeCheckedInputs(olds);
  const knownUser = before && !isUnknown(before.user) && !isUnknown(before.userId) ? { members: { [before.user]: before.userId } } : undefined;
  const [user, group] = await Promise.all([
    resolveMemberInputs([{ property: "user", value: news.user }], knownUser, ctx.directory, failures),
    resolveGroupInput(news.group, groupResolvedIn(before), ctx.directory, failures, news.__groupName),
  ]);
  const adoptExisting = parseFlag("adoptExisting", news.adoptExisting, failures);
  // One membership of someone who left has nothing to manage: unlike a group's list, the resource itself is what to remove.
  for (const person of user === undefined || user === UNKNOWN ? [] : Object.keys(user.inactive))
    failures.push({
      property: "user",
      reason: `${person} is no longer active in Kantata OX (their login is disabled), so there is no membership to create for them. Remove this resource from the program.`,
    });
  if (failures.length > 0 || user === undefined || group === undefined || adoptExisting === undefined) return { failures };
  const [resolvedUser] = user === UNKNOWN ? [[UNKNOWN, UNKNOWN] as const] : Object.entries(user.members);
  const urn = typeof news.__urn === "string" ? news.__urn : undefined;
  const inputs: CheckedInputs = {
    user: resolvedUser[0],
    userId: resolvedUser[1],
    group: group.group,
    groupId: group.groupId,
    adoptExisting,
    ...(urn !== undefined && { __urn: urn }),
  };
  // A group a WorkspaceGroup of the stack creates in this change (during preview): empty, so the person gains access.
  if (group.created && !isUnknown(inputs.user) && !isUnknown(inputs.userId) && !isUnknown(inputs.group)) {
    const person = { [inputs.user]: inputs.userId };
    const conflicts =
      urn === undefined
        ? []
        : ctx.ownership.declare({ owner: urn, groupId: newGroupKey(inputs.group), group: inputs.group, members: person, wholeGroup: false });
    if (conflicts.length > 0) return { failures: conflicts.map((reason) => ({ property: "user", reason })) };
    return { inputs: { ...inputs, __plan: { ...EMPTY_PLAN, gains: person } } };
  }
  if ([inputs.user, inputs.userId, inputs.group, inputs.groupId].some(isUnknown)) return { inputs };
  const known = requireKnown(inputs);

  const newPair = before === undefined || before.userId !== known.userId || before.groupId !== known.groupId;
  const plan = newPair ? await planMembership(ctx, known) : undefined;
  if (plan && "refused" in plan) failures.push({ property: "user", reason: plan.refused });
  if (urn !== undefined) {
    const conflicts = ctx.ownership.declare({
      owner: urn,
      groupId: known.groupId,
      group: known.group,
      members: { [known.user]: known.userId },
      wholeGroup: false,
    });
    failures.push(...conflicts.map((reason) => ({ property: "user", reason })));
  }
  if (failures.length > 0) return { failures };
  return { inputs: { ...inputs, ...(plan && !("refused" in plan) && { __plan: plan }) } };
}
