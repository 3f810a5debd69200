/**
 * The difference suite for groups as code (see harness.ts): for every change to a group itself — created,
 * renamed, deleted, taken on, released — the groups `kantata-access review` names as created, renamed
 * and deleted are exactly those that appear, change name and disappear in Kantata, and the people it
 * names as gaining and losing access are exactly those whose access `pulumi up` then changes. The changes
 * that pass run as one batch (batch.ts), each on groups of its own; the refused one has a stack of its own.
 */
import { describeBatch } from "./batch";
import { addByHand, membersOf, P, refused, stagePerTest } from "./harness";

jest.setTimeout(300_000);

const access = (...lines: string[]) => ({ access: `groups:\n${lines.map((line) => `  ${line}\n`).join("")}` });
const NONE = { created: [], deleted: [], renamed: [] };

describeBatch("groups created, renamed, deleted, taken on and released", {
  "a group created from access.yaml: the review names the new group and everyone who gains access to it, though it has no id yet": {
    change: access("Finance Ops:", "  notes: Billing", "  mode: authoritative", `  members: [${P.ada}, ${P.alan}]`),
    expect: (outcome) => {
      expect(outcome.namedGroups).toEqual({ ...NONE, created: ["Finance Ops"] });
      expect(outcome.named.gains).toEqual([`Finance Ops: ${P.ada}`, `Finance Ops: ${P.alan}`]);
      expect(JSON.stringify(outcome.review)).not.toContain("not known until");
    },
  },
  "a group created in a program, with a single membership in it too: both are planned against the empty new group": {
    change: {
      workspaceGroups: [{ name: "team", group: "Program Team", members: [P.grace] }],
      memberships: [{ name: "ken-team", user: P.ken, group: "team" }],
    },
    expect: (outcome) => expect(outcome.named.gains).toEqual([`Program Team: ${P.grace}`, `Program Team: ${P.ken}`]),
  },
  "a group renamed with renamedFrom and a member swapped in the same change: one entry under the new name, the people by the group they stay in":
    {
      start: access("Finance:", `  members: [${P.ada}, ${P.alan}]`),
      change: access("Finance & Ops:", "  renamedFrom: Finance", `  members: [${P.ada}, ${P.grace}]`),
      expect: (outcome) => {
        expect(outcome.namedGroups).toEqual({ ...NONE, renamed: ["Finance → Finance & Ops"] });
        expect(outcome.named).toMatchObject({ gains: [`Finance & Ops: ${P.grace}`], losses: [`Finance & Ops: ${P.alan}`] });
      },
    },
  "a tombstone with deleteWithMembers: everyone in it loses access, those the file listed and those added by hand": {
    start: access("Finance:", `  members: [${P.ada}, ${P.alan}]`),
    then: (s) => s.addByHand("Finance", [P.tony]),
    change: access("Finance:", "  delete: true", "  deleteWithMembers: true"),
    expect: (outcome) => {
      expect(outcome.namedGroups).toEqual({ ...NONE, deleted: ["Finance"] });
      expect(outcome.named.losses).toEqual([`Finance: ${P.ada}`, `Finance: ${P.alan}`, `Finance: ${P.tony}`]);
    },
  },
  "a tombstone of an empty group: deleted, nobody loses access": {
    change: access("Delivery-AMER:", "  delete: true"),
    expect: (outcome) => {
      expect(outcome.namedGroups).toEqual({ ...NONE, deleted: ["Delivery-AMER"] });
      expect(outcome.named.losses).toEqual([]);
    },
  },
  "a WorkspaceGroup removed from a program: its members' resource removes them first, then the empty group goes": {
    start: { workspaceGroups: [{ name: "team", group: "Program Team", members: [P.ada, P.grace] }] },
    change: {},
    expect: (outcome) => {
      expect(outcome.namedGroups).toEqual({ ...NONE, deleted: ["Program Team"] });
      expect(outcome.named.losses).toEqual([`Program Team: ${P.ada}`, `Program Team: ${P.grace}`]);
    },
  },
  "an existing group listed in access.yaml is taken on as it is: people there stay, the others gain access": {
    first: (s) => s.addByHand("Finance", [P.ada, P.tony]),
    change: access("Finance:", `  members: [${P.ada}, ${P.grace}]`),
    expect: (outcome) => {
      expect(outcome.review.groups.map((g) => g.groupChange?.event)).toEqual(["adopted"]);
      expect(outcome.named).toEqual({ gains: [`Finance: ${P.grace}`], losses: [], unchanged: [`Finance: ${P.ada}`] });
    },
  },
  "a group removed from access.yaml is released: the review names nobody, and nothing changes": {
    start: access("Finance:", `  members: [${P.ada}]`),
    change: { access: "groups: {}\n" },
    expect: (outcome) => {
      expect(outcome.review.groups.map((g) => [g.group, g.groupChange?.event])).toEqual([["Finance", "released"]]);
      expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [] });
    },
  },
});

describe("a change refused", () => {
  const open = stagePerTest();

  it("a tombstone of a group with members, without deleteWithMembers: refused by the preview and by up, nothing written", async () => {
    const s = await open("tombstone-refused");
    addByHand(s.sandbox, "Finance", [P.ken]);
    const output = await refused(s, access("Finance:", "  delete: true"));
    expect(output).toContain("deleteWithMembers: true");
    expect(membersOf(s.sandbox, "Finance")).toEqual([P.ken]);
  });
});
