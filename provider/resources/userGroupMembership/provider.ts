import type * as pulumi from "@pulumi/pulumi";
import { ChangeRefused } from "../../runtime/errors";
import { isUnknown, refreshed, requireKnown } from "../../runtime/inputs";
import type { KindProvider } from "../../runtime/kindProvider";
import { checkUserGroupMembership } from "./check";
import { alreadyMember, deleteKeeps } from "./plan";
import { type UserGroupMembershipOutputs, decodeCheckedInputs, decodeOutputs, inputsOf, toOutputs } from "./state";

export const userGroupMembershipProvider: KindProvider = {
  check: checkUserGroupMembership,

  async diff(_ctx, id, oldBag, newBag) {
    const olds = decodeOutputs(id, oldBag);
    const news = decodeCheckedInputs(newBag);
    // The API has no update: another user or group is another membership. An unknown new value may differ.
    const replaces = [
      ...(isUnknown(news.userId) || news.userId !== olds.userId ? ["user"] : []),
      ...(isUnknown(news.groupId) || news.groupId !== olds.groupId ? ["group"] : []),
    ];
    // Another spelling of the person is recorded by an update with no request. A rename of the group (a
    // WorkspaceGroup's change) is recorded with the next check's inputs, without a step of this resource.
    const renamed = news.user !== olds.user;
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    return { changes: replaces.length > 0 || renamed || olds.adoptExisting !== news.adoptExisting, replaces };
  },

  async create(ctx, bag) {
    const inputs = requireKnown(decodeCheckedInputs(bag));
    const takingOn = inputs.__plan !== undefined && Object.keys(inputs.__plan.unchanged).length > 0;
    const existing = takingOn ? (await ctx.groups.members(inputs.groupId)).memberships.get(inputs.userId) : undefined;
    if (existing) return { id: String(existing.id), outs: toOutputs(inputs, existing, (inputs.__plan?.adopted.length ?? 0) > 0) };
    const result = await ctx.batcher.create({ userId: inputs.userId, workspaceGroupId: inputs.groupId });
    ctx.membershipReads.forget(inputs.groupId);
    if ("created" in result) {
      await ctx.groups.recordWrites(inputs.groupId, { added: [result.created] });
      return { id: String(result.created.id), outs: toOutputs(inputs, result.created, false) };
    }
    // Someone made them a member between check and create.
    const ours = (await ctx.directory.createdByToken([result.existing])).has(inputs.userId);
    if (!ours && !inputs.adoptExisting) throw new ChangeRefused(alreadyMember(inputs, result.existing));
    return { id: String(result.existing.id), outs: toOutputs(inputs, result.existing, !ours) };
  },

  async read(ctx, id, bag): Promise<pulumi.dynamic.ReadResult<UserGroupMembershipOutputs>> {
    const props = decodeOutputs(id, bag);
    const live = await ctx.membershipReads.find({ userId: props.userId, workspaceGroupId: props.groupId });
    if (!live) {
      // Gone: no id tells the engine to drop it from state, and the next `up` creates it again.
      await ctx.diagnostics.warn(
        props.__urn,
        `${props.user} is no longer a member of workspace group "${props.group}" (removed outside Pulumi).`,
      );
      return {};
    }
    const inputs = inputsOf(props);
    return refreshed(String(live.id), toOutputs(inputs, live, props.adopted), inputs);
  },

  async update(_ctx, id, oldBag, newBag) {
    // Only names and adoptExisting can change without a replacement; the membership itself stays as it is.
    const olds = decodeOutputs(id, oldBag);
    const { user, group, adoptExisting } = requireKnown(decodeCheckedInputs(newBag));
    return { outs: { ...olds, user, group, adoptExisting } };
  },

  async delete(ctx, id, bag) {
    const props = decodeOutputs(id, bag);
    if (deleteKeeps(props, ctx.ownership.claimedElsewhere(props.groupId, props.__urn))) return;
    await ctx.client.deleteMembership(props.membershipId);
    ctx.membershipReads.forget(props.groupId);
  },
};
