import type * as pulumi from "@pulumi/pulumi";
import { isKantataApiError } from "../../kantata/errors";
import type { WorkspaceGroup } from "../../kantata/types";
import { namePeople } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import { ChangeRefused } from "../../runtime/errors";
import { isUnknown, refreshed, requireKnown } from "../../runtime/inputs";
import type { KindProvider } from "../../runtime/kindProvider";
import { emptyGroup, everyMember } from "../../runtime/liveGroups";
import { alreadyExists, checkWorkspaceGroup } from "./check";
import { ALLOW_AT_DELETE, deleteRefusal, fieldChanges } from "./plan";
import { type WorkspaceGroupInputs, type WorkspaceGroupOutputs, decodeCheckedInputs, decodeOutputs, inputsOf, toOutputs } from "./state";

type Created = pulumi.dynamic.CreateResult<WorkspaceGroupOutputs>;

/** Kantata's answer to a name another group holds: a 422 on `name`. */
const nameTaken = (error: unknown): boolean =>
  isKantataApiError(error) && error.kind === "validation" && error.details.some((detail) => detail.field === "name");

/** The group the outputs describe, as Kantata held it at the last step. */
function heldGroup(outputs: WorkspaceGroupOutputs & { groupId: number }): WorkspaceGroup {
  const { groupId, name, company, notes, contactName, email, phoneNumber, address, website, externalReference, createdAt } = outputs;
  const details = { notes, contactName, email, phoneNumber, address, website, externalReference, createdAt };
  return {
    id: groupId,
    name,
    company: company ?? false,
    ...Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined && value !== "")),
  };
}

/** Creates the group with the declared fields (a new group has none yet). Someone creating the name meanwhile is met like at check. */
async function createGroup(ctx: ProviderContext, inputs: WorkspaceGroupInputs): Promise<Created> {
  let group: WorkspaceGroup;
  try {
    group = await ctx.client.createWorkspaceGroup({ ...fieldChanges({ name: "" }, inputs), name: inputs.name });
  } catch (error) {
    if (!nameTaken(error)) throw error;
    const existing = await ctx.client.findWorkspaceGroupByName(inputs.name);
    if (existing === undefined) throw error;
    if (!inputs.adoptExisting) throw new ChangeRefused(alreadyExists(existing));
    return adoptGroup(ctx, inputs, existing);
  }
  ctx.directory.remember(group);
  // A group just created has no members: the resources that fill it plan without reading it.
  ctx.groups.remember(group.id, emptyGroup());
  return { id: String(group.id), outs: toOutputs(inputs, group, false) };
}

/** Takes on a group that exists: writes only the declared fields that differ (often none: no request at all). */
async function adoptGroup(ctx: ProviderContext, inputs: WorkspaceGroupInputs, existing: WorkspaceGroup): Promise<Created> {
  const changes = fieldChanges(existing, inputs);
  const group = Object.keys(changes).length === 0 ? existing : await ctx.client.updateWorkspaceGroup(existing.id, changes);
  ctx.directory.remember(group, existing.name);
  return { id: String(group.id), outs: toOutputs(inputs, group, true) };
}

/** Deletes the group; Kantata removes its memberships with it, so the group is known empty afterwards. */
async function deleteGroup(ctx: ProviderContext, groupId: number, name: string): Promise<void> {
  await ctx.client.deleteWorkspaceGroup(groupId);
  ctx.directory.forget({ id: groupId, name });
  ctx.groups.remember(groupId, emptyGroup());
}

/** The outputs of a resource whose group is deleted: the declaration, and which group it was. */
function deletedOutputs(inputs: WorkspaceGroupInputs, groupId: number | undefined, before?: WorkspaceGroupOutputs): WorkspaceGroupOutputs {
  const { __plan: _plan, ...declaration } = inputs;
  return { ...declaration, ...(groupId !== undefined && { groupId }), adopted: before?.adopted ?? false };
}

function requirePlan(inputs: WorkspaceGroupInputs): NonNullable<WorkspaceGroupInputs["__plan"]> {
  if (inputs.__plan === undefined)
    throw new Error(`pulumi-kantata: no plan for workspace group "${inputs.name}"; this is a bug, please report it.`);
  return inputs.__plan;
}

export const workspaceGroupProvider: KindProvider = {
  check: checkWorkspaceGroup,

  async diff(_ctx, _id, oldBag, newBag) {
    const olds = decodeOutputs(oldBag);
    const news = decodeCheckedInputs(newBag);
    // A deleted group that is declared again is a new group, with a new id.
    if (olds.deleted && news.deleted !== true) return { changes: true, replaces: ["deleted"] };
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    if (Object.values(news).some(isUnknown)) return { changes: true, replaces: [] };
    const after = requireKnown(news);
    const flags =
      olds.adoptExisting !== after.adoptExisting || olds.deleteWithMembers !== after.deleteWithMembers || olds.deleted !== after.deleted;
    // A rename is an update, never a replacement. A field the program stops declaring is left as Kantata has it: no change.
    const fields = !olds.deleted && !after.deleted && Object.keys(fieldChanges(olds, after)).length > 0;
    return { changes: flags || fields, replaces: [] };
  },

  async create(ctx, bag) {
    const inputs = requireKnown(decodeCheckedInputs(bag));
    const plan = requirePlan(inputs);
    switch (plan.action) {
      case "create":
        return createGroup(ctx, inputs);
      case "adopt":
        return adoptGroup(ctx, inputs, plan.group);
      case "delete":
        await deleteGroup(ctx, plan.groupId, inputs.name);
        return { id: String(plan.groupId), outs: deletedOutputs(inputs, plan.groupId) };
      case "none":
        return { id: `deleted:${inputs.name}`, outs: deletedOutputs(inputs, undefined) };
    }
  },

  async read(ctx, id, bag) {
    const props = decodeOutputs(bag);
    if (props.deleted || props.groupId === undefined) return refreshed(id, props, inputsOf(props));
    const group = await ctx.client.findWorkspaceGroup(props.groupId);
    if (group === undefined) {
      await ctx.diagnostics.warn(
        props.__urn,
        `workspace group "${props.name}" (id ${props.groupId}) no longer exists in Kantata OX; Pulumi forgets it, and the next \`pulumi up\` creates it again.`,
      );
      return {};
    }
    ctx.directory.remember(group);
    const outs = toOutputs(inputsOf(props), group, props.adopted);
    return refreshed(id, outs, inputsOf(outs));
  },

  async update(ctx, _id, oldBag, newBag) {
    const before = decodeOutputs(oldBag);
    const inputs = requireKnown(decodeCheckedInputs(newBag));
    if (before.deleted) return { outs: deletedOutputs(inputs, before.groupId, before) }; // a deleted group changes no more
    if (inputs.deleted) {
      const plan = requirePlan(inputs);
      // "none": there was no group to delete when the preview looked.
      if (plan.action === "delete") await deleteGroup(ctx, plan.groupId, before.name);
      return { outs: deletedOutputs(inputs, before.groupId, before) };
    }
    if (before.groupId === undefined)
      throw new Error(`pulumi-kantata: workspace group "${before.name}" has no id in state; run \`pulumi refresh\`.`);
    const held = heldGroup({ ...before, groupId: before.groupId });
    const changes = fieldChanges(held, inputs);
    const group = Object.keys(changes).length === 0 ? held : await ctx.client.updateWorkspaceGroup(held.id, changes);
    ctx.directory.remember(group, before.name);
    return { outs: toOutputs(inputs, group, before.adopted) };
  },

  async delete(ctx, _id, bag) {
    const props = decodeOutputs(bag);
    if (props.deleted || props.groupId === undefined) return; // deleted already, by the step that marked it so
    // The resources that depend on the group were deleted just before: read what they left.
    ctx.groups.forget(props.groupId);
    const members = everyMember(await ctx.groups.members(props.groupId));
    const claimed = ctx.ownership.claimedElsewhere(props.groupId, props.__urn);
    const declared = Object.keys(members).filter((key) => claimed.has(members[key]));
    if (declared.length > 0) {
      throw new ChangeRefused(
        `Workspace group "${props.name}" is not deleted: other resources of this stack still declare ${namePeople(declared.sort())} in it. ` +
          "Remove those declarations first, or keep the group.",
      );
    }
    if (Object.keys(members).length > 0 && !props.deleteWithMembers)
      throw new ChangeRefused(deleteRefusal(props.name, members, ALLOW_AT_DELETE));
    await deleteGroup(ctx, props.groupId, props.name);
  },
};
