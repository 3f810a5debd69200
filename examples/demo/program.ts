import { UserGroupMembership, WorkspaceGroupMembers } from "pulumi-kantata";

/**
 * The demo's declared access, against the sandbox's seeded account (users 1001–1020, groups
 * 5521 Delivery-EMEA, 5522 Delivery-AMER, 5523 Finance). Point it at your own ids for a real account.
 */
export function declareDemoAccess() {
  const deliveryEmea = new WorkspaceGroupMembers("delivery-emea", {
    workspaceGroupId: 5521,
    userIds: [1001, 1002, 1003, 1004, 1005],
  });
  const graceInFinance = new UserGroupMembership("grace-in-finance", { userId: 1003, workspaceGroupId: 5523 });
  return { deliveryEmeaUserIds: deliveryEmea.userIds, financeMembershipId: graceInFinance.membershipId };
}
