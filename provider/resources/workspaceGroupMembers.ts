import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../shim";
import { KIND_PROPERTY } from "../dynamic/kind";

export interface WorkspaceGroupMembersArgs {
  /** Kantata OX workspace group id. Changing it replaces the resource. */
  workspaceGroupId: pulumi.Input<number | string>;
  /** The members to declare: a set of user ids (order never matters; duplicates are an error). */
  userIds: pulumi.Input<pulumi.Input<number | string>[]>;
  /**
   * "additive" (default): manage only the declared users, never touching other members.
   * "authoritative": the group has exactly the declared members; everyone else is removed. An
   * authoritative resource must be the only thing managing its group (Pulumi or otherwise).
   */
  mode?: pulumi.Input<"additive" | "authoritative">;
  /** Largest number of members one update may remove (default 10); more fails at preview. */
  maxRemovals?: pulumi.Input<number>;
  /** On destroy, also remove declared users who were members before this resource existed (default false). */
  removePreexistingOnDestroy?: pulumi.Input<boolean>;
}


/** The members of one Kantata OX workspace group, managed as a set through the bulk API. */
export class WorkspaceGroupMembers extends pulumi.dynamic.Resource {
  declare readonly workspaceGroupId: pulumi.Output<number>;
  declare readonly userIds: pulumi.Output<number[]>;
  declare readonly mode: pulumi.Output<"additive" | "authoritative">;
  declare readonly maxRemovals: pulumi.Output<number>;
  declare readonly removePreexistingOnDestroy: pulumi.Output<boolean>;
  /** membershipIds[i] is the membership of userIds[i], for every managed member. */
  declare readonly membershipIds: pulumi.Output<string[]>;
  declare readonly preexistingUserIds: pulumi.Output<number[]>;
  declare readonly undeclaredUserIds: pulumi.Output<number[]>;

  constructor(name: string, args: WorkspaceGroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerShim,
      name,
      { [KIND_PROPERTY]: "WorkspaceGroupMembers", membershipIds: undefined, preexistingUserIds: undefined, undeclaredUserIds: undefined, ...args },
      opts,
      "kantata",
      "WorkspaceGroupMembers",
    );
  }
}
