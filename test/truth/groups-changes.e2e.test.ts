/**
 * The difference suite for WorkspaceGroupMembers (see harness.ts), changes to a group already managed: the
 * people `kantata-access review` names as gaining and losing access are exactly those whose access
 * `pulumi up` then changes. (A file of its own so that Jest's workers share the suite's time.)
 */
import { addByHand, expectTruth, financeGroup, P, removeByHand, reviewThenApply, stagePerTest } from "./harness";

jest.setTimeout(300_000);

const open = stagePerTest();

describe("changing a managed group", () => {
  it("additive: one added, one removed", async () => {
    const s = await open("additive-edit");
    await s.apply(financeGroup([P.ada, P.alan, P.grace]));
    const outcome = await reviewThenApply(s, financeGroup([P.ada, P.grace, P.donald]));
    expectTruth(outcome);
    expect(outcome.named).toEqual({ gains: [`Finance: ${P.donald}`], losses: [`Finance: ${P.alan}`], unchanged: [] });
  });

  it("authoritative: a member added by hand since the last up is removed with the next change, and named (no refresh)", async () => {
    const s = await open("authoritative-drift");
    await s.apply(financeGroup([P.ada, P.alan], { mode: "authoritative" }));
    addByHand(s.sandbox, "Finance", [P.ken]);
    const outcome = await reviewThenApply(s, financeGroup([P.ada, P.donald], { mode: "authoritative" }));
    expectTruth(outcome);
    expect(outcome.named.losses).toEqual([`Finance: ${P.alan}`, `Finance: ${P.ken}`]);
  });

  it("authoritative with --refresh: drift found by the refresh is named and removed", async () => {
    const s = await open("authoritative-refresh");
    await s.apply(financeGroup([P.ada, P.alan], { mode: "authoritative" }));
    addByHand(s.sandbox, "Finance", [P.ken, P.tony]);
    const outcome = await reviewThenApply(s, financeGroup([P.ada, P.alan, P.donald], { mode: "authoritative" }), ["--refresh"]);
    expectTruth(outcome);
    expect(outcome.named.losses).toEqual([`Finance: ${P.ken}`, `Finance: ${P.tony}`]);
  });

  it("authoritative, unchanged declaration: a refresh's drift alone is a change, named and removed", async () => {
    const s = await open("refresh-only");
    await s.apply(financeGroup([P.ada], { mode: "authoritative" }));
    addByHand(s.sandbox, "Finance", [P.leslie]);
    const outcome = await reviewThenApply(s, financeGroup([P.ada], { mode: "authoritative" }), ["--refresh"]);
    expectTruth(outcome);
    expect(outcome.named.losses).toEqual([`Finance: ${P.leslie}`]);
  });

  it("additive: declaring someone who was added by hand meanwhile shows them unchanged, not as gaining access", async () => {
    const s = await open("adopt-later");
    await s.apply(financeGroup([P.ada]));
    addByHand(s.sandbox, "Finance", [P.grace]);
    const outcome = await reviewThenApply(s, financeGroup([P.ada, P.grace]));
    expectTruth(outcome);
    expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [`Finance: ${P.grace}`] });
  });

  it("a member removed by hand comes back with the next change, and the review says they gain access", async () => {
    const s = await open("restore");
    await s.apply(financeGroup([P.ada, P.alan]));
    removeByHand(s.sandbox, "Finance", [P.alan]);
    const outcome = await reviewThenApply(s, financeGroup([P.ada, P.alan, P.grace]));
    expectTruth(outcome);
    expect(outcome.named.gains).toEqual([`Finance: ${P.alan}`, `Finance: ${P.grace}`]);
  });

  it("an empty authoritative declaration removes everyone, within maxRemovals", async () => {
    const s = await open("empty");
    await s.apply(financeGroup([P.ada, P.alan, P.grace], { mode: "authoritative" }));
    const outcome = await reviewThenApply(s, financeGroup([], { mode: "authoritative" }));
    expectTruth(outcome);
    expect(outcome.named.losses).toHaveLength(3);
  });

  it("nothing changed: the review names nobody, and up does nothing", async () => {
    const s = await open("noop");
    await s.apply(financeGroup([P.ada, P.alan], { mode: "authoritative" }));
    const outcome = await reviewThenApply(s, financeGroup([P.alan, P.ada], { mode: "authoritative" }));
    expectTruth(outcome);
    expect(outcome.review.groups).toEqual([]);
  });
});
