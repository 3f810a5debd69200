import type * as pulumi from "@pulumi/pulumi";
import type { Membership } from "../../kantata";
import { EMPTY_PLAN, type MembershipPlan } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import { groupResolvedIn, resolveGroupInput, resolveMemberInputs } from "../../identity/resolve";
import { ChangeRefused, StateError } from "../../runtime/errors";
import { type Failures, UNKNOWN, type Unknowable, isUnknown, parseFlag, refreshed, requireKnown } from "../../runtime/inputs";
import type { Bag, KindProvider } from "../../runtime/kindProvider";
import { decodePlan } from "../workspaceGroupMembers/state";

/** Inputs after `check`: the person and the group as named (normalised) and as resolved. */
export interface UserGroupMembershipInputs {
  /** The normalised email address, or the id as declared. */
  user: string;
  userId: number;
  /** The group's name as Kantata spells it. */
  group: string;
  groupId: number;
  adoptExisting: boolean;
  /** The resource's URN, set by the program-side class (hidden from the diff). */
  __urn?: string;
  /** For a new membership: what `check` found — the person gains access, or is a member already and taken on (hidden from the diff). */
  __plan?: MembershipPlan;
}

export type CheckedInputs = Unknowable<Omit<UserGroupMembershipInputs, "__urn" | "__plan">> &
  Pick<UserGroupMembershipInputs, "__urn" | "__plan">;

/** Everything `read`, `update` and `delete` need, since the engine hands them outputs, not inputs. */
export interface UserGroupMembershipOutputs extends Omit<UserGroupMembershipInputs, "__plan"> {
  membershipId: number;
  createdAt?: string;
  creatorId?: number;
  /** True when this resource took over a membership that someone else had made, instead of creating it. */
  adopted: boolean;
}

const inputsOf = (outputs: UserGroupMembershipOutputs): UserGroupMembershipInputs => ({
  user: outputs.user,
  userId: outputs.userId,
  group: outputs.group,
  groupId: outputs.groupId,
  adoptExisting: outputs.adoptExisting,
  ...(outputs.__urn !== undefined && { __urn: outputs.__urn }),
});

const toOutputs = (
  { __plan: _plan, ...inputs }: UserGroupMembershipInputs,
  membership: Membership,
  adopted: boolean,
): UserGroupMembershipOutputs => ({
  ...inputs,
  membershipId: membership.id,
  ...(membership.createdAt !== undefined && { createdAt: membership.createdAt }),
  ...(membership.creatorId !== undefined && { creatorId: membership.creatorId }),
  adopted,
});

function alreadyMember(inputs: Pick<UserGroupMembershipInputs, "user" | "userId" | "group">, existing: Membership): string {
  return (
    `${inputs.user} (user ${inputs.userId}) is already a member of workspace group "${inputs.group}" ` +
    `(membership ${existing.id}), so Pulumi would not create it. To manage the existing membership with this ` +
    `resource, set \`adoptExisting: true\` on it; or remove the membership in Kantata OX first.`
  );
}

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

function decodeChecked(bag: Bag): CheckedInputs {
  const field = <T>(name: string, test: (value: unknown) => value is T): T | typeof UNKNOWN => {
    const value = bag[name];
    if (isUnknown(value) || test(value)) return value;
    throw new StateError(`${name} is ${JSON.stringify(value)}`);
  };
  const isText = (value: unknown): value is string => typeof value === "string";
  const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);
  const plan = decodePlan(bag.__plan);
  return {
    user: field("user", isText),
    userId: field("userId", isId),
    group: field("group", isText),
    groupId: field("groupId", isId),
    adoptExisting: bag.adoptExisting === true,
    ...(typeof bag.__urn === "string" && { __urn: bag.__urn }),
    ...(plan !== undefined && { __plan: plan }),
  };
}

function decodeOutputs(bag: Bag): UserGroupMembershipOutputs {
  const { __plan: _plan, ...inputs } = requireKnown(decodeChecked(bag));
  // Older states may lack membershipId; the resource id is the membership's id.
  const membershipId = typeof bag.membershipId === "number" ? bag.membershipId : Number(bag.__id);
  return {
    ...inputs,
    membershipId,
    ...(typeof bag.createdAt === "string" && { createdAt: bag.createdAt }),
    ...(typeof bag.creatorId === "number" && { creatorId: bag.creatorId }),
    adopted: bag.adopted === true,
  };
}

/** Outputs as recorded, with the resource id as the membership id where an old state lacks it. */
const outputsOf = (id: string, bag: Bag): UserGroupMembershipOutputs => decodeOutputs({ __id: id, ...bag });

export const userGroupMembershipProvider: KindProvider = {
  async check(ctx, olds, news) {
    const failures: Failures = [];
    const before = olds?.userId === undefined ? undefined : decodeChecked(olds);
    const knownUser =
      before && typeof before.user === "string" && !isUnknown(before.user) && typeof before.userId === "number"
        ? { [before.user]: before.userId }
        : undefined;
    const [user, group] = await Promise.all([
      resolveMemberInputs([{ property: "user", value: news.user }], knownUser, ctx.directory, failures),
      resolveGroupInput(news.group, groupResolvedIn(before), ctx.directory, failures),
    ]);
    const adoptExisting = parseFlag("adoptExisting", news.adoptExisting, failures);
    if (failures.length > 0 || user === undefined || group === undefined || adoptExisting === undefined) return { failures };
    const [resolvedUser] = user === UNKNOWN ? [[UNKNOWN, UNKNOWN] as const] : Object.entries(user);
    const urn = typeof news.__urn === "string" ? news.__urn : undefined;
    const inputs: CheckedInputs = {
      user: resolvedUser[0],
      userId: resolvedUser[1],
      ...group,
      adoptExisting,
      ...(urn !== undefined && { __urn: urn }),
    };
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
  },

  async diff(_ctx, id, oldBag, newBag) {
    const olds = outputsOf(id, oldBag);
    const news = decodeChecked(newBag);
    // The API has no update: another user or group is another membership. An unknown new value may differ.
    const replaces = [
      ...(isUnknown(news.userId) || news.userId !== olds.userId ? ["user"] : []),
      ...(isUnknown(news.groupId) || news.groupId !== olds.groupId ? ["group"] : []),
    ];
    const renamed = news.user !== olds.user || news.group !== olds.group;
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    return { changes: replaces.length > 0 || renamed || olds.adoptExisting !== news.adoptExisting, replaces };
  },

  async create(ctx, bag) {
    const inputs = requireKnown(decodeChecked(bag));
    const pair = { userId: inputs.userId, workspaceGroupId: inputs.groupId };
    const takingOn = inputs.__plan !== undefined && Object.keys(inputs.__plan.unchanged).length > 0;
    const existing = takingOn ? (await ctx.groups.members(inputs.groupId)).memberships.get(inputs.userId) : undefined;
    if (existing) return { id: String(existing.id), outs: toOutputs(inputs, existing, (inputs.__plan?.adopted.length ?? 0) > 0) };
    const result = await ctx.batcher.create(pair);
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
    const props = outputsOf(id, bag);
    const live = await ctx.batcher.find({ userId: props.userId, workspaceGroupId: props.groupId });
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
    const olds = outputsOf(id, oldBag);
    const { user, group, adoptExisting } = requireKnown(decodeChecked(newBag));
    return { outs: { ...olds, user, group, adoptExisting } };
  },

  async delete(ctx, id, bag) {
    const props = outputsOf(id, bag);
    if (membershipDeleteKeeps(props, ctx.ownership.claimedElsewhere(props.groupId, props.__urn))) return;
    await ctx.client.deleteMembership(props.membershipId);
  },
};

/** A membership another resource of the deployment now declares is handed over, not deleted. The review asks the same. */
export function membershipDeleteKeeps(props: Pick<UserGroupMembershipOutputs, "userId">, claimedElsewhere: ReadonlySet<number>): boolean {
  return claimedElsewhere.has(props.userId);
}

export const decodeUserGroupMembership = { checked: decodeChecked, outputs: outputsOf };
