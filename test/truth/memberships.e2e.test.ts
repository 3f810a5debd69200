/**
 * The difference suite for UserGroupMembership and for stacks that mix both kinds (see harness.ts),
 * including the one-owner rule: one membership declared by two resources fails the preview.
 */
import { addByHand, expectTruth, P, refused, reviewThenApply, stagePerTest } from "./harness";

jest.setTimeout(300_000);

const open = stagePerTest();
const single = (name: string, user: string, group = "Finance", adoptExisting?: boolean) => ({ name, user, group, adoptExisting });

describe("single memberships", () => {
  it("a new membership: the person gains access", async () => {
    const s = await open("new");
    const outcome = await reviewThenApply(s, { memberships: [single("ada-finance", P.ada)] });
    expectTruth(outcome);
    expect(outcome.named.gains).toEqual([`Finance: ${P.ada}`]);
  });

  it("an existing membership with adoptExisting is taken on unchanged", async () => {
    const s = await open("adopt");
    addByHand(s.sandbox, "Finance", [P.grace]);
    const outcome = await reviewThenApply(s, { memberships: [single("grace-finance", P.grace, "Finance", true)] });
    expectTruth(outcome);
    expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [`Finance: ${P.grace}`] });
  });

  it("an existing membership without adoptExisting fails the preview and up alike, saying how to adopt it", async () => {
    const s = await open("exists");
    addByHand(s.sandbox, "Finance", [P.grace]);
    const output = await refused(s, { memberships: [single("grace-finance", P.grace)] });
    expect(output).toContain(`${P.grace}`);
    expect(output).toContain("adoptExisting: true");
  });

  it("removing a membership from the program removes it", async () => {
    const s = await open("remove");
    await s.apply({ memberships: [single("ada-finance", P.ada)] });
    const outcome = await reviewThenApply(s, {});
    expectTruth(outcome);
    expect(outcome.named.losses).toEqual([`Finance: ${P.ada}`]);
  });

  it("changing the person replaces the membership: one loses access, the other gains it", async () => {
    const s = await open("replace");
    await s.apply({ memberships: [single("finance-lead", P.ada)] });
    const outcome = await reviewThenApply(s, { memberships: [single("finance-lead", P.alan)] });
    expectTruth(outcome);
    expect(outcome.named).toMatchObject({ gains: [`Finance: ${P.alan}`], losses: [`Finance: ${P.ada}`] });
  });
});

describe("one membership, one owner", () => {
  // Two declarers only: with three, which pair the engine checks first depends on its scheduling.
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

  it("a membership handed from a single resource to a group resource keeps its access, with nothing removed", async () => {
    const s = await open("handover");
    await s.apply({ groups: [{ name: "finance", group: "Finance", members: [P.grace] }], memberships: [single("ada-finance", P.ada)] });
    const outcome = await reviewThenApply(s, { groups: [{ name: "finance", group: "Finance", members: [P.grace, P.ada] }] });
    expectTruth(outcome);
    expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [`Finance: ${P.ada}`] });
  });
});

describe("a mixed stack", () => {
  it("groups and single memberships change together, each person named once, in the right group", async () => {
    const s = await open("mixed");
    await s.apply({
      groups: [{ name: "emea", group: "Delivery-EMEA", members: [P.ada, P.alan], mode: "authoritative" }],
      memberships: [single("grace-finance", P.grace), single("ken-amer", P.ken, "Delivery-AMER")],
    });
    const outcome = await reviewThenApply(s, {
      groups: [{ name: "emea", group: "Delivery-EMEA", members: [P.ada, P.donald], mode: "authoritative" }],
      memberships: [single("ken-amer", P.ken, "Delivery-AMER"), single("tony-finance", P.tony)],
    });
    expectTruth(outcome);
    expect(outcome.named.gains).toEqual([`Delivery-EMEA: ${P.donald}`, `Finance: ${P.tony}`]);
    expect(outcome.named.losses).toEqual([`Delivery-EMEA: ${P.alan}`, `Finance: ${P.grace}`]);
  });
});
