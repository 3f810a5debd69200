import { UserGroupMembership, WorkspaceGroupMembers } from "pulumi-kantata";

/**
 * The demo's declared access, against the sandbox's seeded account (people such as
 * ada.lovelace@example.com, groups Delivery-EMEA, Delivery-AMER and Finance). Point it at your own
 * people and groups for a real account.
 */
export function declareDemoAccess() {
  const deliveryEmea = new WorkspaceGroupMembers("delivery-emea", {
    group: "Delivery-EMEA",
    members: [
      "ada.lovelace@example.com",
      "alan.turing@example.com",
      "grace.hopper@example.com",
      "edsger.dijkstra@example.com",
      "barbara.liskov@example.com",
    ],
  });
  const graceInFinance = new UserGroupMembership("grace-in-finance", { user: "grace.hopper@example.com", group: "Finance" });
  return { deliveryEmeaMembers: deliveryEmea.members, financeMembershipId: graceInFinance.membershipId };
}
