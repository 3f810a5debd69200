import { AccessRules, UserGroupMembership, WorkspaceGroup, WorkspaceGroupMembers } from "pulumi-kantata";

// Delivery-EMEA has exactly these members: "authoritative" removes anyone else ("additive", the default, would leave them).
const deliveryEmea = new WorkspaceGroupMembers("delivery-emea", {
  group: "Delivery-EMEA", // a workspace group's name, or its id (5521)
  members: ["ada.lovelace@example.com", "alan.turing@example.com", 1003], // emails, or user ids
  mode: "authoritative",
});

// One membership on its own.
const graceInFinance = new UserGroupMembership("grace-in-finance", { user: "grace.hopper@example.com", group: "Finance" });

// A group as code: created when missing, renamed in place when `name` changes, deleted with the resource.
const platform = new WorkspaceGroup("platform", { name: "Platform Team", notes: "Runs the deploy pipeline" });
const platformMembers = new WorkspaceGroupMembers("platform", { group: platform, members: ["barbara.liskov@example.com"] });

// Rules every change must keep, judged at preview against what the groups will hold after `up`.
// Declared after the resources they cover, and depending on them, so they are checked last.
new AccessRules(
  "access-rules",
  {
    rules: [
      { separate: ["Finance", "Delivery-AMER"], reason: "nobody approves invoices of their own region" },
      { allowedDomains: ["example.com"] }, // members' addresses, in every group the program manages
      { maxMembers: { group: "Delivery-EMEA", max: 10 } },
    ],
  },
  { dependsOn: [deliveryEmea, graceInFinance, platformMembers] },
);

// The compat test's program, and the example in docs/resources.md (test/docs/readme.test.ts keeps them identical):
// test/compat/compat.e2e.test.ts copies this directory and installs the packed package next to it; its
// DECLARED lists what this must create. Below, which runtime and SDK really ran it, for that test.
export const nodeVersion = process.version;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed SDK's own package.json, read at run time
export const sdkVersion: string = (require("@pulumi/pulumi/package.json") as { version: string }).version;
