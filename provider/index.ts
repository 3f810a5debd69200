export { UserGroupMembership, type UserGroupMembershipArgs } from "./resources/userGroupMembership";
export {
  createKantataClient,
  KantataApiError,
  KantataClient,
  isKantataApiError,
  type Membership,
  type MembershipPair,
} from "./kantata";
