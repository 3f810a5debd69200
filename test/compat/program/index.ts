// The compat test's program (test/compat/compat.e2e.test.ts copies this directory and installs the
// packed package next to it). The test's DECLARED lists what it must create in the sandbox.
import { UserGroupMembership, WorkspaceGroupMembers } from "pulumi-kantata";

const deliveryEmea = new WorkspaceGroupMembers("delivery-emea", {
  group: "Delivery-EMEA",
  members: ["ada.lovelace@example.com", "alan.turing@example.com", 1003],
  mode: "authoritative",
});
const graceInFinance = new UserGroupMembership("grace-in-finance", { user: "grace.hopper@example.com", group: "Finance" });

export const deliveryEmeaUrn = deliveryEmea.urn;
export const graceInFinanceUrn = graceInFinance.urn;

// Which runtime and SDK really ran the program: the test checks the combination it asked for.
export const nodeVersion = process.version;
export const sdkVersion: string = require("@pulumi/pulumi/package.json").version;
