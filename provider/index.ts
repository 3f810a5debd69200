/** `pulumi-kantata`: the resources for a Pulumi program, `declareAccess` for an access.yaml, and the client. */
export { UserGroupMembership, type UserGroupMembershipArgs } from "./resources/userGroupMembership/resource";
export { WorkspaceGroup, type WorkspaceGroupArgs } from "./resources/workspaceGroup/resource";
export { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "./resources/workspaceGroupMembers/resource";
export { AccessRules, type AccessRulesArgs } from "./resources/accessRules/resource";
export type { AccessRule, AllowedDomainsRule, MaxMembersRule, SeparateRule } from "./plan/rules";
export { declareAccess } from "../access/declare";
export { createKantataClient, KantataApiError, KantataClient, isKantataApiError, type Membership, type MembershipPair } from "./kantata";
export { KantataError, isKantataError, type ErrorCode } from "../lib/errors";
