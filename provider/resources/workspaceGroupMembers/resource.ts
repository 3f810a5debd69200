import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../../shim";
import { KIND_PROPERTY } from "../../runtime/kind";
import { ownUrn } from "../urn";
import { warnIfTokenIsPlainConfig } from "../plainTokenWarning";
import { type GroupInput, groupInputs } from "../groupInput";

export interface WorkspaceGroupMembersArgs {
  /**
   * The workspace group: its name (exact, case-insensitive), e.g. "Delivery-EMEA", its id, e.g. 5521, or a
   * WorkspaceGroup of the program (then the preview plans its members even while the group is new).
   * Changing the group replaces the resource.
   */
  group: GroupInput;
  /**
   * The people: email addresses (case-insensitive), e.g. "alice@acme.com", or user ids, e.g. 1003. A set:
   * order never matters, and naming one person twice (two spellings, or email and id) is an error.
   * Unknown addresses fail the preview with the closest known address.
   */
  members: pulumi.Input<pulumi.Input<string | number>[]>;
  /**
   * "additive" (default): manage only the declared people, never touching other members.
   * "authoritative": the group has exactly the declared members; everyone else is removed. An
   * authoritative resource must be the only thing managing its group (Pulumi or otherwise).
   */
  mode?: pulumi.Input<"additive" | "authoritative">;
  /** Largest number of members one update may remove (default 10); more fails at preview. */
  maxRemovals?: pulumi.Input<number>;
  /** On destroy, also remove declared people who were members before this resource existed (default false). */
  removePreexistingOnDestroy?: pulumi.Input<boolean>;
  /**
   * End dates, recorded for the preview and `kantata-access review` (declareAccess fills them from
   * access.yaml): `expires` maps declared people to the last day they have access, `expired` maps people
   * left out of `members` because that day has passed. The program decides who has expired.
   */
  expires?: Record<string, string>;
  expired?: Record<string, string>;
  /** The day (YYYY-MM-DD) end dates were judged against; hidden from the diff. The review's 14-day warning counts from it. */
  today?: string;
  /**
   * The name of an AccessRules resource of the program (declared after this one, depending on it) that
   * reports this resource's problems — unknown addresses, a group that does not exist — together with
   * every broken rule and every other resource's problems, so one preview names them all. The problems
   * still stop the change: the preview fails at the rules, and a create or update of this resource refuses
   * them. Without it, the first problem fails this resource's own check. declareAccess sets it.
   */
  judgedBy?: string;
}

/** The members of one Kantata OX workspace group, managed as a set through the bulk API. */
export class WorkspaceGroupMembers extends pulumi.dynamic.Resource {
  /** The group's name as Kantata spells it. */
  declare readonly group: pulumi.Output<string>;
  declare readonly groupId: pulumi.Output<number>;
  /** The managed members who exist: each person's key (normalised email, or id as declared) → user id. */
  declare readonly members: pulumi.Output<Record<string, number>>;
  declare readonly mode: pulumi.Output<"additive" | "authoritative">;
  declare readonly maxRemovals: pulumi.Output<number>;
  declare readonly removePreexistingOnDestroy: pulumi.Output<boolean>;
  /** Keys of members who were in the group before this resource took them on (kept on destroy unless asked). */
  declare readonly preexisting: pulumi.Output<string[]>;
  /** Authoritative mode: members found at the last refresh who are not declared, by email → user id. */
  declare readonly undeclared: pulumi.Output<Record<string, number>>;
  /** Declared people whose login is disabled (they left), by email → user id: nothing is added for them. Absent when none. */
  declare readonly inactive: pulumi.Output<Record<string, number> | undefined>;
  declare readonly expires: pulumi.Output<Record<string, string> | undefined>;
  declare readonly expired: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: WorkspaceGroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlainConfig();
    const inputs = {
      [KIND_PROPERTY]: "WorkspaceGroupMembers",
      __urn: ownUrn(name, "WorkspaceGroupMembers", opts),
      ...workspaceGroupMembersInputs(args),
    };
    super(providerShim, name, inputs, opts, "kantata", "WorkspaceGroupMembers");
  }
}

/** What a program registers for a group's members, through either door (the outputs to come, then the arguments). */
export function workspaceGroupMembersInputs(args: WorkspaceGroupMembersArgs): pulumi.Inputs {
  const { today, judgedBy, ...declared } = args;
  return {
    groupId: undefined,
    preexisting: undefined,
    undeclared: undefined,
    inactive: undefined,
    expires: undefined,
    expired: undefined,
    ...declared,
    ...groupInputs(declared.group),
    ...(today !== undefined && { __today: today }),
    ...(judgedBy !== undefined && { __judgedBy: judgedBy }),
  };
}
