/**
 * The difference suite for groups as code (see harness.ts): for every change to a group itself — created,
 * renamed, deleted, taken on, released — the groups `kantata-access review` names as created, renamed
 * and deleted are exactly those that appear, change name and disappear in Kantata, and the people it
 * names as gaining and losing access are exactly those whose access `pulumi up` then changes.
 */
import { addByHand, expectTruth, membersOf, P, refused, reviewThenApply, stagePerTest } from "./harness";

jest.setTimeout(300_000);

const open = stagePerTest();
const access = (...lines: string[]) => ({ access: `groups:\n${lines.map((line) => `  ${line}\n`).join("")}` });
const NONE = { created: [], deleted: [], renamed: [] };

describe("a group created by the change", () => {
  it("from access.yaml: the review names the new group and everyone who gains access to it, though it has no id yet", async () => {
    const s = await open("create");
    const outcome = await reviewThenApply(
      s,
      access("Finance Ops:", "  notes: Billing", "  mode: authoritative", `  members: [${P.ada}, ${P.alan}]`),
    );
    expectTruth(outcome);
    expect(outcome.namedGroups).toEqual({ ...NONE, created: ["Finance Ops"] });
    expect(outcome.named.gains).toEqual([`Finance Ops: ${P.ada}`, `Finance Ops: ${P.alan}`]);
    expect(JSON.stringify(outcome.review)).not.toContain("not known until");
  });

  it("in a program, with a single membership in it too: both are planned against the empty new group", async () => {
    const s = await open("create-program");
    const outcome = await reviewThenApply(s, {
      workspaceGroups: [{ name: "team", group: "Program Team", members: [P.grace] }],
      memberships: [{ name: "ken-team", user: P.ken, group: "team" }],
    });
    expectTruth(outcome);
    expect(outcome.named.gains).toEqual([`Program Team: ${P.grace}`, `Program Team: ${P.ken}`]);
  });
});

describe("a group renamed by the change", () => {
  it("with renamedFrom and a member swapped in the same change: one entry under the new name, the people by the group they stay in", async () => {
    const s = await open("rename");
    await s.apply(access("Finance:", `  members: [${P.ada}, ${P.alan}]`));
    const outcome = await reviewThenApply(s, access("Finance & Ops:", "  renamedFrom: Finance", `  members: [${P.ada}, ${P.grace}]`));
    expectTruth(outcome);
    expect(outcome.namedGroups).toEqual({ ...NONE, renamed: ["Finance → Finance & Ops"] });
    expect(outcome.named).toMatchObject({ gains: [`Finance & Ops: ${P.grace}`], losses: [`Finance & Ops: ${P.alan}`] });
  });
});

describe("a group deleted by the change", () => {
  it("a tombstone with deleteWithMembers: everyone in it loses access, those the file listed and those added by hand", async () => {
    const s = await open("tombstone");
    await s.apply(access("Finance:", `  members: [${P.ada}, ${P.alan}]`));
    addByHand(s.sandbox, "Finance", [P.tony]);
    const outcome = await reviewThenApply(s, access("Finance:", "  delete: true", "  deleteWithMembers: true"));
    expectTruth(outcome);
    expect(outcome.namedGroups).toEqual({ ...NONE, deleted: ["Finance"] });
    expect(outcome.named.losses).toEqual([`Finance: ${P.ada}`, `Finance: ${P.alan}`, `Finance: ${P.tony}`]);
  });

  it("a tombstone of an empty group: deleted, nobody loses access", async () => {
    const s = await open("tombstone-empty");
    const outcome = await reviewThenApply(s, access("Delivery-AMER:", "  delete: true"));
    expectTruth(outcome);
    expect(outcome.namedGroups).toEqual({ ...NONE, deleted: ["Delivery-AMER"] });
    expect(outcome.named.losses).toEqual([]);
  });

  it("a tombstone of a group with members, without deleteWithMembers: refused by the preview and by up, nothing written", async () => {
    const s = await open("tombstone-refused");
    addByHand(s.sandbox, "Finance", [P.ken]);
    const output = await refused(s, access("Finance:", "  delete: true"));
    expect(output).toContain("deleteWithMembers: true");
    expect(membersOf(s.sandbox, "Finance")).toEqual([P.ken]);
  });

  it("a WorkspaceGroup removed from a program: its members' resource removes them first, then the empty group goes", async () => {
    const s = await open("delete-program");
    await s.apply({ workspaceGroups: [{ name: "team", group: "Program Team", members: [P.ada, P.grace] }] });
    const outcome = await reviewThenApply(s, {});
    expectTruth(outcome);
    expect(outcome.namedGroups).toEqual({ ...NONE, deleted: ["Program Team"] });
    expect(outcome.named.losses).toEqual([`Program Team: ${P.ada}`, `Program Team: ${P.grace}`]);
  });
});

describe("a group that exists and one that leaves the file", () => {
  it("an existing group listed in access.yaml is taken on as it is: people there stay, the others gain access", async () => {
    const s = await open("adopt");
    addByHand(s.sandbox, "Finance", [P.ada, P.tony]);
    const outcome = await reviewThenApply(s, access("Finance:", `  members: [${P.ada}, ${P.grace}]`));
    expectTruth(outcome);
    expect(outcome.review.groups.map((g) => g.groupChange?.event)).toEqual(["adopted"]);
    expect(outcome.named).toEqual({ gains: [`Finance: ${P.grace}`], losses: [], unchanged: [`Finance: ${P.ada}`] });
  });

  it("a group removed from access.yaml is released: the review names nobody, and nothing changes", async () => {
    const s = await open("release");
    await s.apply(access("Finance:", `  members: [${P.ada}]`));
    const outcome = await reviewThenApply(s, { access: "groups: {}\n" });
    expectTruth(outcome);
    expect(outcome.review.groups.map((g) => [g.group, g.groupChange?.event])).toEqual([["Finance", "released"]]);
    expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [] });
  });
});
