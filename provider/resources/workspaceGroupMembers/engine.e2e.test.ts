import { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "./resource";
import { CREATE, DELETE, membersOf } from "../../../test/support/sandbox";
import { deployedResources, ownedPerTest, upThenNoChanges } from "../../../test/support/engine";
import type { EngineStack } from "../../../scripts/lib/pulumi";

jest.setTimeout(240_000);

const GROUP = 5522;
const [ADA, ALAN, GRACE, BARBARA] = [
  "ada.lovelace@example.com",
  "alan.turing@example.com",
  "grace.hopper@example.com",
  "barbara.liskov@example.com",
];
type Args = Omit<WorkspaceGroupMembersArgs, "group">;
/** The group's first four people, two by id, one in mixed case: the starting point of most tests. */
const FOUR: Args = { members: [ADA, 1002, "Grace.Hopper@Example.com", 1004] };
const FIVE: Args = { members: [ADA, 1002, GRACE, 1004, BARBARA] };

const own = ownedPerTest();
const outputsIn = async (stack: EngineStack) => (await deployedResources(stack)).find((r) => r.type.endsWith("WorkspaceGroupMembers"))?.outputs;

/** A sandbox and a stack of the test's own that declares Delivery-AMER with `args`; `declare` changes them for the next run. */
async function deliveryAmer(args: Args) {
  const sandbox = await own.sandbox();
  const declared = { args };
  const engine = await own.stack(sandbox, async () => {
    new WorkspaceGroupMembers("delivery-amer", { group: "Delivery-AMER", ...declared.args });
  });
  return {
    sandbox,
    engine,
    declare: (next: Args) => (declared.args = next),
    members: () => membersOf(sandbox, GROUP),
    requests: (route: string) => sandbox.counters.snapshot().byRoute[route] ?? 0,
    groupOutputs: () => outputsIn(engine),
  };
}

/** The same, already applied by one `up`, with the sandbox's request counters reset after it. */
async function deliveryAmerApplied(args: Args) {
  const applied = await deliveryAmer(args);
  await applied.engine.stack.up();
  applied.sandbox.counters.reset();
  return applied;
}

describe("WorkspaceGroupMembers driven by the real engine", () => {
  it("up adds the declared people in one bulk POST and records each under the name the program gave", async () => {
    const { sandbox, engine, members, requests, groupOutputs } = await deliveryAmer(FOUR);
    await upThenNoChanges(engine, sandbox);
    expect(members()).toEqual([1001, 1002, 1003, 1004]);
    expect(requests(CREATE)).toBe(1);
    expect(await groupOutputs()).toMatchObject({
      group: "Delivery-AMER",
      groupId: GROUP,
      members: { [ADA]: 1001, "1002": 1002, [GRACE]: 1003, "1004": 1004 },
      preexisting: [],
      undeclared: {},
    });
  });

  it("reordering or re-casing the members is no change, and a no-op preview makes no request at all", async () => {
    const { sandbox, engine, declare } = await deliveryAmerApplied(FOUR);
    declare({ members: [1004, "GRACE.HOPPER@example.com", 1002, "Ada.Lovelace@example.com"] });
    const preview = await engine.stack.preview();
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("refresh shows a member removed by hand, and up puts them back", async () => {
    const { sandbox, engine, members, requests, groupOutputs } = await deliveryAmerApplied(FOUR);
    sandbox.store.removeMembership(sandbox.store.findMembership(1003, GROUP)!.id);
    await engine.stack.refresh();
    expect((await groupOutputs())!.members).toEqual({ [ADA]: 1001, "1002": 1002, "1004": 1004 });
    sandbox.counters.reset();
    const up = await upThenNoChanges(engine, sandbox);
    expect(up.summary.resourceChanges?.update).toBe(1);
    expect([requests(CREATE), requests(DELETE)]).toEqual([1, 0]);
    expect(members()).toEqual([1001, 1002, 1003, 1004]);
  });

  it("a removal beyond maxRemovals fails the preview with the count and how to raise the limit", async () => {
    const { engine, declare, requests } = await deliveryAmerApplied(FOUR);
    declare({ members: [ADA], maxRemovals: 2 });
    await expect(engine.stack.preview()).rejects.toThrow(/would remove 3 members.*raise maxRemovals on the resource to at least 3/s);
    expect(requests(DELETE)).toBe(0);
  });

  it("a misspelt address fails the preview naming the entry and the address it is closest to", async () => {
    const { engine, declare, requests } = await deliveryAmerApplied(FOUR);
    declare({ members: [ADA, 1002, GRACE, 1004, "barbara.liskow@example.com"] });
    await expect(engine.stack.preview()).rejects.toThrow(
      /members\[4\].*barbara\.liskow@example\.com; did you mean barbara\.liskov@example\.com\?/s,
    );
    expect(requests(CREATE) + requests(DELETE)).toBe(0);
  });

  it("a half-applied change is recorded as applied and resumed with exactly one update and no duplicate POST", async () => {
    const { sandbox, engine, declare, members, requests, groupOutputs } = await deliveryAmerApplied(FOUR);
    declare({ members: [ADA, 1002, GRACE, 1004, BARBARA, 999999] }); // user 999999 does not exist
    await expect(engine.stack.up()).rejects.toThrow(/adding 999999/);
    expect(members()).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect((await groupOutputs())!.members).toEqual({ [ADA]: 1001, "1002": 1002, [GRACE]: 1003, "1004": 1004, [BARBARA]: 1005 });
    sandbox.counters.reset();
    declare(FIVE);
    const up = await upThenNoChanges(engine, sandbox);
    // The engine retries a resource whose last operation failed part-way: one update, which finds nothing to do.
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(requests(CREATE)).toBe(0);
    expect(members()).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it("additive mode leaves members it does not manage alone (recorded as undeclared); authoritative mode removes them", async () => {
    const { sandbox, engine, declare, members, requests, groupOutputs } = await deliveryAmerApplied(FIVE);
    sandbox.store.addMembership({ userId: 1020, workspaceGroupId: GROUP });
    await upThenNoChanges(engine, sandbox, { refresh: true });
    expect(members()).toContain(1020);
    expect((await groupOutputs())!.undeclared).toEqual({ "sophie.wilson@example.com": 1020 });
    sandbox.counters.reset();
    declare({ ...FIVE, mode: "authoritative" });
    await upThenNoChanges(engine, sandbox, { refresh: true });
    expect(requests(DELETE)).toBe(1);
    expect(members()).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect((await groupOutputs())!.undeclared).toEqual({});
  });

  it("destroy removes the members it added", async () => {
    const { engine, members, requests } = await deliveryAmerApplied({ ...FIVE, mode: "authoritative" });
    await engine.stack.destroy();
    expect(members()).toEqual([]);
    expect(requests(DELETE)).toBe(5);
  });
});

describe("a member before Pulumi arrives", () => {
  const EMEA = 5521;

  it("is recorded as pre-existing, and destroy keeps them", async () => {
    const sandbox = await own.sandbox();
    sandbox.store.addMembership({ userId: 1001, workspaceGroupId: EMEA });
    const emea = await own.stack(sandbox, async () => {
      new WorkspaceGroupMembers("delivery-emea", { group: EMEA, members: [ADA, ALAN] });
    });
    await upThenNoChanges(emea, sandbox);
    expect(membersOf(sandbox, EMEA)).toEqual([1001, 1002]);
    expect(sandbox.counters.snapshot().byRoute[CREATE]).toBe(1);
    expect((await outputsIn(emea))!.preexisting).toEqual([ADA]);
    await emea.stack.destroy();
    expect(membersOf(sandbox, EMEA)).toEqual([1001]);
  });
});
