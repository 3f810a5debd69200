import type * as pulumi from "@pulumi/pulumi";
import type { Membership } from "../kantata";
import { groupResolvedIn, resolveGroupInput, resolveMemberInputs } from "./identityInputs";
import { type Failures, UNKNOWN, type Unknowable, isUnknown, parseFlag, refreshed, requireKnown } from "./inputs";
import { directory, kantata, membershipBatcher, providerLog } from "./runtime";

/** The program's arguments as the engine hands them to `check`. */
export interface ProgramArgs {
  user?: unknown;
  group?: unknown;
  adoptExisting?: unknown;
}

/** Inputs after `check`: the person and the group as named (normalised) and as resolved. */
export interface UserGroupMembershipInputs {
  /** The normalised email address, or the id as declared. */
  user: string;
  userId: number;
  /** The group's name as Kantata spells it. */
  group: string;
  groupId: number;
  adoptExisting: boolean;
}

export type CheckedInputs = Unknowable<UserGroupMembershipInputs>;

/** Everything `read`, `update` and `delete` need, since the engine hands them outputs, not inputs. */
export interface UserGroupMembershipOutputs extends UserGroupMembershipInputs {
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
  adoptExisting: Boolean(outputs.adoptExisting),
});

const toOutputs = (membership: Membership, inputs: UserGroupMembershipInputs, adopted: boolean): UserGroupMembershipOutputs => ({
  ...inputs,
  membershipId: membership.id,
  ...(membership.createdAt !== undefined && { createdAt: membership.createdAt }),
  ...(membership.creatorId !== undefined && { creatorId: membership.creatorId }),
  adopted,
});

function alreadyMemberError(inputs: UserGroupMembershipInputs, existing: Membership): Error {
  return new Error(
    `${inputs.user} (user ${inputs.userId}) is already a member of workspace group "${inputs.group}" ` +
      `(membership ${existing.id}), so Pulumi did not create it. To manage the existing membership with this ` +
      `resource, set \`adoptExisting: true\` on it; or remove the membership in Kantata OX first. ` +
      `If another resource in your program declares the same membership, keep only one of them.`,
  );
}

/**
 * An existing membership for a pair we are about to create: ours to take over when the program says
 * so (`adoptExisting`), or when this token created it (an interrupted run whose create never reached
 * state) — then it is simply ours, not adopted. Anything else is an error that says how to adopt it.
 */
async function takeOver(
  inputs: UserGroupMembershipInputs,
  existing: Membership,
): Promise<pulumi.dynamic.CreateResult<UserGroupMembershipOutputs>> {
  if (existing.creatorId !== undefined && existing.creatorId === (await directory().currentUserId())) {
    providerLog(
      `${inputs.user} in "${inputs.group}": membership ${existing.id} was created earlier through this token (an interrupted run); managing it.`,
    );
    return { id: String(existing.id), outs: toOutputs(existing, inputs, false) };
  }
  if (!inputs.adoptExisting) throw alreadyMemberError(inputs, existing);
  return { id: String(existing.id), outs: toOutputs(existing, inputs, true) };
}

export const userGroupMembershipProvider: pulumi.dynamic.ResourceProvider<CheckedInputs, UserGroupMembershipOutputs> = {
  async check(olds, news) {
    const args = news as ProgramArgs;
    const failures: Failures = [];
    const knownUser = typeof olds?.user === "string" && typeof olds.userId === "number" ? { [olds.user]: olds.userId } : undefined;
    const [user, group] = await Promise.all([
      resolveMemberInputs([{ property: "user", value: args.user }], knownUser, directory, failures),
      resolveGroupInput(args.group, groupResolvedIn(olds), directory, failures),
    ]);
    const adoptExisting = parseFlag("adoptExisting", args.adoptExisting, failures);
    if (failures.length > 0 || user === undefined || group === undefined || adoptExisting === undefined) return { failures };
    const [resolvedUser] = user === UNKNOWN ? [[UNKNOWN, UNKNOWN] as const] : Object.entries(user);
    return { inputs: { user: resolvedUser[0], userId: resolvedUser[1], ...group, adoptExisting } };
  },

  async diff(_id, olds, news) {
    // The API has no update: another user or group is another membership. An unknown new value may differ.
    const replaces = [
      ...(isUnknown(news.userId) || news.userId !== olds.userId ? ["user"] : []),
      ...(isUnknown(news.groupId) || news.groupId !== olds.groupId ? ["group"] : []),
    ];
    const renamed = news.user !== olds.user || news.group !== olds.group;
    const adoptChanged = Boolean(olds.adoptExisting) !== Boolean(news.adoptExisting);
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    return { changes: replaces.length > 0 || renamed || adoptChanged, replaces };
  },

  async create(checked) {
    const inputs = requireKnown(checked);
    const pair = { userId: inputs.userId, workspaceGroupId: inputs.groupId };
    const batcher = membershipBatcher();
    const existing = await batcher.find(pair);
    if (existing) return takeOver(inputs, existing);
    const result = await batcher.create(pair);
    if ("created" in result) return { id: String(result.created.id), outs: toOutputs(result.created, inputs, false) };
    return takeOver(inputs, result.existing); // someone added the user between our read and our POST
  },

  async read(_id, props) {
    if (props === undefined) return {};
    const live = await membershipBatcher().find({ userId: props.userId, workspaceGroupId: props.groupId });
    if (!live) {
      // Gone: no id tells the engine to drop it from state, and the next `up` creates it again.
      providerLog(`${props.user} is no longer a member of workspace group "${props.group}" (removed outside Pulumi).`);
      return {};
    }
    const inputs = inputsOf(props);
    return refreshed(String(live.id), toOutputs(live, inputs, Boolean(props.adopted)), inputs);
  },

  async update(id, olds, news) {
    // Only names and adoptExisting can change without a replacement; the membership itself stays as it is.
    const { user, group, adoptExisting } = requireKnown(news);
    return { outs: { ...olds, membershipId: olds.membershipId ?? Number(id), user, group, adoptExisting } };
  },

  async delete(id, props) {
    await kantata().deleteMembership(props.membershipId ?? Number(id));
  },
};
