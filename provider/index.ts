export { UserGroupMembership, type UserGroupMembershipArgs } from "./resources/userGroupMembership";
export { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "./resources/workspaceGroupMembers";
export { createKantataClient, KantataApiError, KantataClient, isKantataApiError, type Membership, type MembershipPair } from "./kantata";
