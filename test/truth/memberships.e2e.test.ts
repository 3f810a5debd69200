/**
 * The difference suite for UserGroupMembership and for stacks that mix both kinds (see harness.ts),
 * including the one-owner rule: one membership declared by two resources fails the preview. The changes that
 * pass run as one batch (batch.ts); each refused change has a stack of its own.
 */
import { describeBatch } from "./batch";
import { addByHand, P, refused, stagePerTest } from "./harness";

jest.setTimeout(300_000);

const single = (name: string, user: string, group = "Finance", adoptExisting?: boolean) => ({ name, user, group, adoptExisting });

describeBatch("single memberships, hand-overs and mixed stacks", {
  "a new membership: the person gains access": {
    change: { memberships: [single("ada-finance", P.ada)] },
    expect: (outcome) => expect(outcome.named.gains).toEqual([`Finance: ${P.ada}`]),
  },
  "an existing membership with adoptExisting is taken on unchanged": {
    first: (s) => s.addByHand("Finance", [P.grace]),
    change: { memberships: [single("grace-finance", P.grace, "Finance", true)] },
    expect: (outcome) => expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [`Finance: ${P.grace}`] }),
  },
  "removing a membership from the program removes it": {
    start: { memberships: [single("ada-finance", P.ada)] },
    change: {},
    expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.ada}`]),
  },
  "changing the person replaces the membership: one loses access, the other gains it": {
    start: { memberships: [single("finance-lead", P.ada)] },
    change: { memberships: [single("finance-lead", P.alan)] },
    expect: (outcome) => expect(outcome.named).toMatchObject({ gains: [`Finance: ${P.alan}`], losses: [`Finance: ${P.ada}`] }),
  },
  "a membership handed from a single resource to a group resource keeps its access, with nothing removed": {
    start: { groups: [{ name: "finance", group: "Finance", members: [P.grace] }], memberships: [single("ada-finance", P.ada)] },
    change: { groups: [{ name: "finance", group: "Finance", members: [P.grace, P.ada] }] },
    expect: (outcome) => expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [`Finance: ${P.ada}`] }),
  },
  "a mixed stack: groups and single memberships change together, each person named once, in the right group": {
    start: {
      groups: [{ name: "emea", group: "Delivery-EMEA", members: [P.ada, P.alan], mode: "authoritative" }],
      memberships: [single("grace-finance", P.grace), single("ken-amer", P.ken, "Delivery-AMER")],
    },
    change: {
      groups: [{ name: "emea", group: "Delivery-EMEA", members: [P.ada, P.donald], mode: "authoritative" }],
      memberships: [single("ken-amer", P.ken, "Delivery-AMER"), single("tony-finance", P.tony)],
    },
    expect: (outcome) => {
      expect(outcome.named.gains).toEqual([`Delivery-EMEA: ${P.donald}`, `Finance: ${P.tony}`]);
      expect(outcome.named.losses).toEqual([`Delivery-EMEA: ${P.alan}`, `Finance: ${P.grace}`]);
    },
  },
});

describe("refused changes", () => {
  const open = stagePerTest();

  it("an existing membership without adoptExisting fails the preview and up alike, saying how to adopt it", async () => {
    const s = await open("exists");
    addByHand(s.sandbox, "Finance", [P.grace]);
    const output = await refused(s, { memberships: [single("grace-finance", P.grace)] });
    expect(output).toContain(`${P.grace}`);
    expect(output).toContain("adoptExisting: true");
  });

  it("the same person in the same group, declared by two resources, fails the preview naming both", async () => {
    const s = await open("twice");
    const output = await refused(s, {
      groups: [{ name: "finance", group: "Finance", members: [P.ada, P.grace] }],
      memberships: [single("ada-finance", P.ada)],
    });
    expect(output).toMatch(/ada\.lovelace@example\.com in workspace group "Finance" is declared by both/);
    expect(output).toContain('WorkspaceGroupMembers "finance"');
    expect(output).toContain('UserGroupMembership "ada-finance"');
  });

  it("a single membership inside an authoritatively managed group fails the preview", async () => {
    const s = await open("inside-authoritative");
    const output = await refused(s, {
      groups: [{ name: "finance", group: "Finance", members: [P.ada], mode: "authoritative" }],
      memberships: [single("alan-finance", P.alan)],
    });
    expect(output).toContain('WorkspaceGroupMembers "finance" manages workspace group "Finance" authoritatively');
  });
});
