/**
 * The difference suite for WorkspaceGroupMembers (see harness.ts): for every kind of change to a group,
 * the people `kantata-access review` names as gaining and losing access are exactly those whose access
 * `pulumi up` then changes. The scenarios on the demo account's groups run as one batch (batch.ts).
 */
import { describeBatch } from "./batch";
import { expectTruth, financeGroup, membersOf, P, refused, reviewThenApply, stagePerTest } from "./harness";

jest.setTimeout(300_000);

const open = stagePerTest();

describe("a group coming under management", () => {
  it("authoritative, with members outside code: the review names who stays, who gains, and every person who loses access", async () => {
    const s = await open("exec", "company");
    const executives = membersOf(s.sandbox, "Executive Team");
    expect(executives).toHaveLength(12);
    const outsider = membersOf(s.sandbox, "Legal").find((email) => !executives.includes(email))!;
    const declared = [...executives.slice(0, 4), outsider];
    const outcome = await reviewThenApply(s, { groups: [{ name: "exec", group: "Executive Team", members: declared, mode: "authoritative" }] });
    expectTruth(outcome);
    expect(outcome.named.gains).toEqual([`Executive Team: ${outsider}`]);
    expect(outcome.named.losses).toEqual(executives.slice(4).map((email) => `Executive Team: ${email}`));
    expect(outcome.named.unchanged).toEqual(executives.slice(0, 4).map((email) => `Executive Team: ${email}`));
    // The preview itself says who loses access, under the resource.
    expect(outcome.preview.stdout).toContain("8 people not declared in code lose access");
  });

  it("authoritative, removing more than maxRemovals: refused by the preview and by up alike, nothing written", async () => {
    const s = await open("cs", "company");
    const everyone = membersOf(s.sandbox, "Customer Success");
    const output = await refused(s, {
      groups: [{ name: "cs", group: "Customer Success", members: everyone.slice(0, 2), mode: "authoritative" }],
    });
    expect(output).toContain('would remove 148 members from workspace group "Customer Success"');
  });
});

describeBatch("a group coming under management, and leaving the program", {
  "additive: people already in the group are unchanged, the others gain access, nobody else is touched": {
    first: (s) => s.addByHand("Finance", [P.ada, P.alan, P.tony]),
    change: financeGroup([P.ada, P.grace]),
    expect: (outcome) => expect(outcome.named).toEqual({ gains: [`Finance: ${P.grace}`], losses: [], unchanged: [`Finance: ${P.ada}`] }),
  },
  "switching an additive group to authoritative removes the members outside code, named in the review": {
    first: (s) => s.addByHand("Finance", [P.ken, P.tony]),
    start: financeGroup([P.ada]),
    change: financeGroup([P.ada], { mode: "authoritative" }),
    expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.ken}`, `Finance: ${P.tony}`]),
  },
  "moving the resource to another group (a replacement): members leave the old group and join the new one": {
    start: { groups: [{ name: "team", group: "Delivery-EMEA", members: [P.ada, P.alan] }] },
    change: { groups: [{ name: "team", group: "Delivery-AMER", members: [P.ada, P.alan] }] },
    expect: (outcome) => expect(outcome.named.losses).toEqual([`Delivery-EMEA: ${P.ada}`, `Delivery-EMEA: ${P.alan}`]),
  },
  "a group leaving the program removes the members it added and keeps the ones who were there before": {
    first: (s) => s.addByHand("Finance", [P.ada]),
    start: financeGroup([P.ada, P.grace]),
    change: {},
    expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.grace}`]),
  },
  "a group leaving the program with removePreexistingOnDestroy: everyone it managed loses access": {
    first: (s) => s.addByHand("Finance", [P.ada]),
    start: financeGroup([P.ada, P.grace], { removePreexistingOnDestroy: true }),
    change: {},
    expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.ada}`, `Finance: ${P.grace}`]),
  },
  "an authoritative group that only took people over leaves the program: nobody loses access": {
    first: (s) => s.addByHand("Finance", [P.ada, P.ken]),
    start: financeGroup([P.ada], { mode: "authoritative" }),
    change: {},
    expect: (outcome) => expect(outcome.named.losses).toEqual([]),
  },
});

describe("names from the account", () => {
  it("a group named like Markdown, HTML and a mention is reviewed as plain text", async () => {
    const s = await open("markdown");
    const name = "[click me](https://evil.example) <img src=x onerror=alert(1)> @everyone";
    s.sandbox.store.addWorkspaceGroup({ name });
    const outcome = await reviewThenApply(s, { groups: [{ name: "odd", group: name, members: [P.ada] }] });
    expectTruth(outcome);
    const markdown = await s.review(outcome.preview, "markdown");
    expect(markdown).toContain(`### \`${name}\``);
    expect(markdown.replace(`\`${name}\``, "")).not.toMatch(/<img|\]\(https|@everyone/);
  });
});
