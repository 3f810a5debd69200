import * as pulumi from "@pulumi/pulumi";
import type { AccessResourceClasses } from "../../access/declare";
import { type AccessRulesArgs, accessRulesInputs } from "../resources/accessRules/resource";
import { type WorkspaceGroupArgs, workspaceGroupInputs } from "../resources/workspaceGroup/resource";
import { singleLookAhead } from "../resources/lookAhead";
import { type UserGroupMembershipArgs, userGroupMembershipInputs } from "../resources/userGroupMembership/resource";
import { type WorkspaceGroupMembersArgs, workspaceGroupMembersInputs } from "../resources/workspaceGroupMembers/resource";
import { PACKAGE } from "./door";

/**
 * The kinds as the plugin's own component (`kantata:index:Access`) declares them: `kantata:index:<Kind>`
 * resources with exactly the inputs the dynamic provider's classes register, served by this plugin.
 */
class WorkspaceGroup extends pulumi.CustomResource {
  declare readonly name: pulumi.Output<string>;
  constructor(name: string, args: WorkspaceGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(`${PACKAGE}:index:WorkspaceGroup`, name, workspaceGroupInputs(args), opts);
  }
}

class WorkspaceGroupMembers extends pulumi.CustomResource {
  constructor(name: string, args: WorkspaceGroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(`${PACKAGE}:index:WorkspaceGroupMembers`, name, workspaceGroupMembersInputs(args), opts);
  }
}

class AccessRules extends pulumi.CustomResource {
  constructor(name: string, args: AccessRulesArgs, opts?: pulumi.CustomResourceOptions) {
    super(`${PACKAGE}:index:AccessRules`, name, accessRulesInputs(args), opts);
  }
}

/** One person in one group, served by the plugin: the same inputs, look-ahead included, as the dynamic class's. */
class UserGroupMembership extends pulumi.CustomResource {
  constructor(name: string, args: UserGroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    const lookAhead = singleLookAhead(args.user, opts);
    super(`${PACKAGE}:index:UserGroupMembership`, name, userGroupMembershipInputs(args, lookAhead), lookAhead.options);
    lookAhead.constructed(this);
  }
}

const ACCESS_CLASSES: AccessResourceClasses<WorkspaceGroupMembers> = { WorkspaceGroup, WorkspaceGroupMembers, AccessRules };

/** Every kind as a `kantata:index:` resource: what the Access component declares, and single memberships. */
export const PLUGIN_CLASSES = { ...ACCESS_CLASSES, UserGroupMembership };
