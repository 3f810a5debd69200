import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../../shim";
import { KIND_PROPERTY } from "../../runtime/kind";
import { ownUrn } from "../urn";
import { warnIfTokenIsPlainConfig } from "../plainTokenWarning";
import { type GroupInput, groupInputs } from "../groupInput";
import { type SingleLookAhead, singleLookAhead } from "../lookAhead";

export interface UserGroupMembershipArgs {
  /** The person: an email address (case-insensitive), e.g. "alice@acme.com", or a user id, e.g. 1003. */
  user: pulumi.Input<string | number>;
  /** The workspace group: its name (exact, case-insensitive), e.g. "Finance", its id, e.g. 5523, or a WorkspaceGroup of the program. */
  group: GroupInput;
  /**
   * Take over the membership if the person is already in the group, instead of failing. Pulumi's `import`
   * option does not work for dynamic resources, so this is how existing memberships come under management.
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** One person's membership in one Kantata OX workspace group. Changing the person or the group replaces it. */
export class UserGroupMembership extends pulumi.dynamic.Resource {
  /** The person's normalised email address, or the id as declared. */
  declare readonly user: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<number>;
  /** The group's name as Kantata spells it. */
  declare readonly group: pulumi.Output<string>;
  declare readonly groupId: pulumi.Output<number>;
  declare readonly membershipId: pulumi.Output<number>;
  declare readonly adoptExisting: pulumi.Output<boolean>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<number | undefined>;

  constructor(name: string, args: UserGroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlainConfig();
    const lookAhead = singleLookAhead(args.user, opts);
    const inputs = {
      [KIND_PROPERTY]: "UserGroupMembership",
      __urn: ownUrn(name, "UserGroupMembership", opts),
      ...userGroupMembershipInputs(args, lookAhead),
    };
    super(providerShim, name, inputs, lookAhead.options, "kantata", "UserGroupMembership");
    lookAhead.constructed(this);
  }
}

/**
 * What a program registers for a membership, through either door (the outputs to come, then the
 * arguments): the person with the look-ahead that resolves a program's addresses 200 a GET (see lookAhead.ts).
 */
export function userGroupMembershipInputs(args: UserGroupMembershipArgs, lookAhead: SingleLookAhead): pulumi.Inputs {
  return {
    userId: undefined,
    groupId: undefined,
    membershipId: undefined,
    adopted: undefined,
    createdAt: undefined,
    creatorId: undefined,
    ...args,
    ...lookAhead.inputs,
    ...groupInputs(args.group),
  };
}
