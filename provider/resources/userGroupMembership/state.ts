import type { Membership } from "../../kantata";
import type { MembershipPlan } from "../../plan/memberships";
import { decodePlan, orUnknown, text, urnOf, whole } from "../../runtime/decode";
import { type Unknowable, requireKnown } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";

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

export const inputsOf = (outputs: UserGroupMembershipOutputs): UserGroupMembershipInputs => ({
  user: outputs.user,
  userId: outputs.userId,
  group: outputs.group,
  groupId: outputs.groupId,
  adoptExisting: outputs.adoptExisting,
  ...(outputs.__urn !== undefined && { __urn: outputs.__urn }),
});

export const toOutputs = (
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

// --- Reading state back (see runtime/decode.ts). ---

/** Checked inputs, which during preview may hold unknowns. */
export function decodeCheckedInputs(bag: Bag): CheckedInputs {
  const plan = decodePlan(bag.__plan);
  return {
    user: orUnknown(bag.user, (v) => text(v, "user")),
    userId: orUnknown(bag.userId, (v) => whole(v, "userId")),
    group: orUnknown(bag.group, (v) => text(v, "group")),
    groupId: orUnknown(bag.groupId, (v) => whole(v, "groupId")),
    adoptExisting: bag.adoptExisting === true,
    ...urnOf(bag),
    ...(plan !== undefined && { __plan: plan }),
  };
}

/** Recorded outputs; older states may lack membershipId, and the resource id is the membership's id. */
export function decodeOutputs(id: string, bag: Bag): UserGroupMembershipOutputs {
  const { __plan: _plan, ...inputs } = requireKnown(decodeCheckedInputs(bag));
  return {
    ...inputs,
    membershipId: typeof bag.membershipId === "number" ? bag.membershipId : Number(id),
    ...(typeof bag.createdAt === "string" && { createdAt: bag.createdAt }),
    ...(typeof bag.creatorId === "number" && { creatorId: bag.creatorId }),
    adopted: bag.adopted === true,
  };
}

/** The hidden `__lookAhead` a program passes (the addresses it declares next): its strings; anything else is no hint. */
export const lookAheadOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
