import type * as pulumi from "@pulumi/pulumi";
import type { Membership, MembershipPair } from "../kantata";
import { type Failures, isUnknown, parseFlag, parseId } from "./inputs";
import { kantata, membershipBatcher } from "./runtime";

/** Inputs after `check`: ids as numbers, the flag defaulted. */
export interface UserGroupMembershipInputs {
  userId: number;
  workspaceGroupId: number;
  adoptExisting: boolean;
}

/** Everything `read`, `update` and `delete` need, since the engine hands them outputs, not inputs. */
export interface UserGroupMembershipOutputs extends UserGroupMembershipInputs {
  membershipId: string;
  createdAt?: string;
  creatorId?: string;
  /** True when this resource took over a membership that already existed instead of creating it. */
  adopted: boolean;
}

const REPLACING_INPUTS = ["userId", "workspaceGroupId"] as const;

const toPair = (ids: { userId: number; workspaceGroupId: number }): MembershipPair => ({
  userId: String(ids.userId),
  workspaceGroupId: String(ids.workspaceGroupId),
});

function toOutputs(membership: Membership, inputs: UserGroupMembershipInputs, adopted: boolean): UserGroupMembershipOutputs {
  return {
    userId: Number(membership.userId),
    workspaceGroupId: Number(membership.workspaceGroupId),
    adoptExisting: inputs.adoptExisting,
    membershipId: membership.id,
    ...(membership.createdAt !== undefined && { createdAt: membership.createdAt }),
    ...(membership.creatorId !== undefined && { creatorId: membership.creatorId }),
    adopted,
  };
}

function alreadyMemberError(inputs: UserGroupMembershipInputs, existing: Membership): Error {
  return new Error(
    `User ${inputs.userId} is already a member of workspace group ${inputs.workspaceGroupId} ` +
      `(membership ${existing.id}), so Pulumi did not create it. To manage the existing membership with this ` +
      `resource, set \`adoptExisting: true\` on it; or remove the membership in Kantata OX first. ` +
      `If another resource in your program declares the same membership, keep only one of them.`,
  );
}

export const userGroupMembershipProvider = {
  async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const failures: Failures = [];
    const inputs = {
      userId: parseId("userId", news.userId, failures),
      workspaceGroupId: parseId("workspaceGroupId", news.workspaceGroupId, failures),
      adoptExisting: parseFlag("adoptExisting", news.adoptExisting, failures),
    };
    return failures.length > 0 ? { failures } : { inputs };
  },

  async diff(_id: string, olds: UserGroupMembershipOutputs, news: UserGroupMembershipInputs): Promise<pulumi.dynamic.DiffResult> {
    // The API has no update: another user or group is another membership. An unknown new value may differ.
    const replaces = REPLACING_INPUTS.filter((key) => isUnknown(news[key]) || Number(olds[key]) !== Number(news[key]));
    const adoptChanged = Boolean(olds.adoptExisting) !== Boolean(news.adoptExisting);
    // Always a definite answer: "unknown" would make the engine diff __provider too.
    return { changes: replaces.length > 0 || adoptChanged, replaces };
  },

  async create(inputs: UserGroupMembershipInputs): Promise<pulumi.dynamic.CreateResult<UserGroupMembershipOutputs>> {
    const pair = toPair(inputs);
    const batcher = membershipBatcher();
    const existing = await batcher.find(pair);
    if (existing) {
      if (!inputs.adoptExisting) throw alreadyMemberError(inputs, existing);
      return { id: existing.id, outs: toOutputs(existing, inputs, true) };
    }
    const result = await batcher.create(pair);
    if ("created" in result) return { id: result.created.id, outs: toOutputs(result.created, inputs, false) };
    // Someone added the user between our read and our POST.
    if (!inputs.adoptExisting) throw alreadyMemberError(inputs, result.existing);
    return { id: result.existing.id, outs: toOutputs(result.existing, inputs, true) };
  },

  async read(_id: string, props: UserGroupMembershipOutputs): Promise<pulumi.dynamic.ReadResult> {
    const live = await membershipBatcher().find(toPair(props));
    // Gone: no id tells the engine to drop it from state, and the next `up` creates it again.
    if (!live) return {};
    const inputs: UserGroupMembershipInputs = {
      userId: props.userId,
      workspaceGroupId: props.workspaceGroupId,
      adoptExisting: Boolean(props.adoptExisting),
    };
    return { id: live.id, props: toOutputs(live, inputs, Boolean(props.adopted)), inputs };
  },

  async update(
    id: string,
    olds: UserGroupMembershipOutputs,
    news: UserGroupMembershipInputs,
  ): Promise<pulumi.dynamic.UpdateResult<UserGroupMembershipOutputs>> {
    // Only adoptExisting can change without a replacement; the membership itself stays as it is.
    return { outs: { ...olds, membershipId: olds.membershipId ?? id, adoptExisting: news.adoptExisting } };
  },

  async delete(id: string, props: UserGroupMembershipOutputs): Promise<void> {
    await kantata().deleteMembership(props.membershipId ?? id);
  },
};
