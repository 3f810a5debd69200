import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../../shim";
import { KIND_PROPERTY } from "../../runtime/kind";
import { ownUrn } from "../urn";
import { warnIfTokenIsPlainConfig } from "../plainTokenWarning";

export interface WorkspaceGroupArgs {
  /** The group's name, unique in the account ignoring case. Changing it renames the group in place. */
  name: pulumi.Input<string>;
  /** Kantata's notes on the group. Like every field below, one left out is not managed: Kantata keeps what it has. "" clears it. */
  notes?: pulumi.Input<string>;
  /** Kantata's "company" flag. */
  company?: pulumi.Input<boolean>;
  contactName?: pulumi.Input<string>;
  email?: pulumi.Input<string>;
  phoneNumber?: pulumi.Input<string>;
  address?: pulumi.Input<string>;
  website?: pulumi.Input<string>;
  externalReference?: pulumi.Input<string>;
  /**
   * Take over a group of this name that exists already, instead of failing the preview. Pulumi's
   * `import` option does not work for dynamic resources, so this is how existing groups come under code.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /** Allow deleting the group while people are still in it (they lose access). Default false: such a deletion fails, naming them. */
  deleteWithMembers?: pulumi.Input<boolean>;
  /**
   * The group must not exist: `up` deletes it (the preview names everyone who loses access), and the
   * resource then stands for the deleted group. This is how access.yaml deletes a group in one reviewed
   * change; in a program, removing the resource deletes the group too.
   */
  deleted?: pulumi.Input<boolean>;
}

/**
 * A Kantata OX workspace group: created, renamed and updated in place, deleted. Its id is the group's
 * id, so `WorkspaceGroupMembers` and `UserGroupMembership` take it as their `group`.
 */
export class WorkspaceGroup extends pulumi.dynamic.Resource {
  /** The name as Kantata spells it. */
  declare readonly name: pulumi.Output<string>;
  declare readonly groupId: pulumi.Output<number>;
  /** The declared fields, as Kantata holds them ("" where it has none); undefined where not declared. */
  declare readonly notes: pulumi.Output<string | undefined>;
  declare readonly company: pulumi.Output<boolean | undefined>;
  declare readonly contactName: pulumi.Output<string | undefined>;
  declare readonly email: pulumi.Output<string | undefined>;
  declare readonly phoneNumber: pulumi.Output<string | undefined>;
  declare readonly address: pulumi.Output<string | undefined>;
  declare readonly website: pulumi.Output<string | undefined>;
  declare readonly externalReference: pulumi.Output<string | undefined>;
  declare readonly adoptExisting: pulumi.Output<boolean>;
  declare readonly deleteWithMembers: pulumi.Output<boolean>;
  declare readonly deleted: pulumi.Output<boolean>;
  /** True when the resource took over a group that existed before it. */
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: WorkspaceGroupArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlainConfig();
    const inputs = { [KIND_PROPERTY]: "WorkspaceGroup", __urn: ownUrn(name, "WorkspaceGroup", opts), ...workspaceGroupInputs(args) };
    super(providerShim, name, inputs, opts, "kantata", "WorkspaceGroup");
  }
}

/** What a program registers for a group, through either door (the outputs to come, then the arguments). */
export function workspaceGroupInputs(args: WorkspaceGroupArgs): pulumi.Inputs {
  return {
    groupId: undefined,
    notes: undefined,
    company: undefined,
    contactName: undefined,
    email: undefined,
    phoneNumber: undefined,
    address: undefined,
    website: undefined,
    externalReference: undefined,
    adoptExisting: undefined,
    deleteWithMembers: undefined,
    deleted: undefined,
    adopted: undefined,
    createdAt: undefined,
    ...args,
  };
}
