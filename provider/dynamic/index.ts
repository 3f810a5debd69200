/**
 * The provider implementation, loaded at call time by the serialized shim as
 * `require("pulumi-kantata/dynamic")`. Everything here may change between versions; the shim may not.
 */
export { configure } from "./runtime";
import { userGroupMembershipProvider } from "./userGroupMembership";
import { workspaceGroupMembersProvider } from "./workspaceGroupMembers";

export const providers = {
  userGroupMembership: userGroupMembershipProvider,
  workspaceGroupMembers: workspaceGroupMembersProvider,
};
export type ProviderKind = keyof typeof providers;
