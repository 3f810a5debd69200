export { UserGroupMembership, type UserGroupMembershipArgs } from "./resources/userGroupMembership/resource";
export { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "./resources/workspaceGroupMembers/resource";
export { createKantataClient, KantataApiError, KantataClient, isKantataApiError, type Membership, type MembershipPair } from "./kantata";
