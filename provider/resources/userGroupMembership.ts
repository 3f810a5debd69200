import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../shim";
import { KIND_PROPERTY } from "../dynamic/kind";

export interface UserGroupMembershipArgs {
  /** Kantata OX user id (a positive integer, or its decimal string). */
  userId: pulumi.Input<number | string>;
  /** Kantata OX workspace group id (a positive integer, or its decimal string). */
  workspaceGroupId: pulumi.Input<number | string>;
  /**
   * Take over the membership if the user is already in the group, instead of failing. Pulumi's `import`
   * option does not work for dynamic resources, so this is how existing memberships come under management.
   */
  adoptExisting?: pulumi.Input<boolean>;
}


/** One user's membership in one Kantata OX workspace group. */
export class UserGroupMembership extends pulumi.dynamic.Resource {
  declare readonly membershipId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<number>;
  declare readonly workspaceGroupId: pulumi.Output<number>;
  declare readonly adoptExisting: pulumi.Output<boolean>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserGroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerShim,
      name,
      { [KIND_PROPERTY]: "UserGroupMembership", membershipId: undefined, adopted: undefined, createdAt: undefined, creatorId: undefined, ...args },
      opts,
      "kantata",
      "UserGroupMembership",
    );
  }
}
