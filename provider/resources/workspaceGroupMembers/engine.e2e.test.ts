import { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "./resource";
import { CREATE, DELETE, membersOf, routeCount } from "../../../test/support/sandbox";
import { Slices, deployedResources, outputsOf, ownedPerBlock, upThenNoChanges } from "../../../test/support/engine";
import type { Bag } from "../../../test/support/dynamic";
import type { CounterSnapshot, Sandbox } from "../../../sandbox";
import type { UpOptions } from "@pulumi/pulumi/automation";
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

/** No test reads an `up`'s outputs (see readOutputs). */
const STACKS = { readOutputs: false } as const;

describe("WorkspaceGroupMembers driven by the real engine", () => {
  describe("a new stack filling three groups, each test's own: Delivery-AMER, Delivery-APAC, Delivery-EMEA", () => {
    // One up (and a preview after it that plans nothing) for the three tests, and one destroy for the two
    // about destroy: each asserts on its own group, and the request counts are the three groups' sum.
    const EMEA = 5521;
    const block = ownedPerBlock(STACKS);
    let sandbox: Sandbox;
    let engine: EngineStack;
    let apac: number;
    let created: CounterSnapshot;
    let afterUp: { amer: Bag | undefined; emea: Bag | undefined; emeaMembers: number[] };
    beforeAll(async () => {
      sandbox = await block.sandbox();
      apac = sandbox.store.addWorkspaceGroup({ name: "Delivery-APAC" }).id;
      sandbox.store.addMembership({ userId: 1001, workspaceGroupId: EMEA });
      engine = await block.stack(sandbox, async () => {
        new WorkspaceGroupMembers("delivery-amer", { group: "Delivery-AMER", ...FOUR });
        new WorkspaceGroupMembers("delivery-apac", { group: "Delivery-APAC", ...FIVE, mode: "authoritative" });
        new WorkspaceGroupMembers("delivery-emea", { group: EMEA, members: [ADA, ALAN] });
      });
      await upThenNoChanges(engine, sandbox);
      created = sandbox.counters.snapshot();
      const resources = await deployedResources(engine);
      afterUp = {
        amer: outputsOf(resources, "delivery-amer"),
        emea: outputsOf(resources, "delivery-emea"),
        emeaMembers: membersOf(sandbox, EMEA),
      };
    });
    let destroyed: Promise<CounterSnapshot> | undefined;
    /** The stack's one destroy, whichever test asks first; the requests it made. */
    const destroy = () =>
      (destroyed ??= (async () => {
        sandbox.counters.reset();
        await engine.stack.destroy();
        return sandbox.counters.snapshot();
      })());

    it("up adds the declared people in one bulk POST and records each under the name the program gave", async () => {
      expect(membersOf(sandbox, GROUP)).toEqual([1001, 1002, 1003, 1004]);
      // One bulk POST a group, each gaining people: Delivery-AMER's four, Delivery-APAC's five, Alan in Delivery-EMEA.
      expect(created.byRoute[CREATE]).toBe(3);
      expect(afterUp.amer).toMatchObject({
        group: "Delivery-AMER",
        groupId: GROUP,
        members: { [ADA]: 1001, "1002": 1002, [GRACE]: 1003, "1004": 1004 },
        preexisting: [],
        undeclared: {},
      });
    });

    it("destroy removes the members it added", async () => {
      const requests = await destroy();
      expect(membersOf(sandbox, apac)).toEqual([]);
      expect(membersOf(sandbox, GROUP)).toEqual([]);
      // One DELETE a member each resource added: Delivery-APAC's five (authoritative), Delivery-AMER's four, and Alan in Delivery-EMEA.
      expect(requests.byRoute[DELETE]).toBe(5 + 4 + 1);
    });

    describe("a member before Pulumi arrives", () => {
      it("is recorded as pre-existing, and destroy keeps them", async () => {
        expect(afterUp.emeaMembers).toEqual([1001, 1002]);
        expect(created.byRoute[CREATE]).toBe(3); // one bulk POST a group, Alan's alone in Delivery-EMEA
        expect(afterUp.emea!.preexisting).toEqual([ADA]);
        await destroy();
        expect(membersOf(sandbox, EMEA)).toEqual([1001]);
      });
    });
  });

  describe("in one stack for the tests below, each test's resource filling a group of its own", () => {
    const block = ownedPerBlock(STACKS);
    const slices = new Slices<Args>(
      { reorder: FOUR, refresh: FOUR, "max-removals": FOUR, misspelt: FOUR, modes: FIVE, "half-applied": FOUR },
      { of: () => 1, shared: 1 },
    );
    const groupIds: Record<string, number> = {};
    let sandbox: Sandbox;
    let engine: EngineStack;
    beforeAll(async () => {
      sandbox = await block.sandbox();
      for (const key of slices.keys()) groupIds[key] = sandbox.store.addWorkspaceGroup({ name: `Slice ${key}` }).id;
      engine = await block.stack(sandbox, async () => {
        for (const [key, args] of slices.entries()) new WorkspaceGroupMembers(key, { group: `Slice ${key}`, ...args });
      });
      await engine.stack.up();
      slices.applied();
    });
    beforeEach(() => sandbox.counters.reset());
    const requests = (route: string) => routeCount(sandbox, route);
    const members = (key: string) => membersOf(sandbox, groupIds[key]);
    /** `up`, then a preview that plans nothing and makes no request. */
    const up = async (options?: UpOptions) => {
      const result = await upThenNoChanges(engine, sandbox, options);
      slices.applied();
      return result;
    };

    it("reordering or re-casing the members is no change, and a no-op preview makes no request at all", async () => {
      slices.declare("reorder", { members: [1004, "GRACE.HOPPER@example.com", 1002, "Ada.Lovelace@example.com"] });
      const preview = await engine.stack.preview();
      expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
      expect(sandbox.counters.snapshot().total).toBe(0);
    });

    it("refresh shows a member removed by hand, and up puts them back", async () => {
      sandbox.store.removeMembership(sandbox.store.findMembership(1003, groupIds.refresh)!.id);
      await engine.stack.refresh();
      expect(outputsOf(await deployedResources(engine), "refresh")!.members).toEqual({ [ADA]: 1001, "1002": 1002, "1004": 1004 });
      sandbox.counters.reset();
      const result = await up();
      expect(result.summary.resourceChanges?.update).toBe(1);
      expect([requests(CREATE), requests(DELETE)]).toEqual([1, 0]);
      expect(members("refresh")).toEqual([1001, 1002, 1003, 1004]);
    });

    it("a removal beyond maxRemovals fails the preview with the count and how to raise the limit", async () => {
      slices.declare("max-removals", { members: [ADA], maxRemovals: 2 });
      await expect(engine.stack.preview()).rejects.toThrow(/would remove 3 members.*raise maxRemovals on the resource to at least 3/s);
      expect(requests(DELETE)).toBe(0);
    });

    it("a misspelt address fails the preview naming the entry and the address it is closest to", async () => {
      slices.declare("misspelt", { members: [ADA, 1002, GRACE, 1004, "barbara.liskow@example.com"] });
      await expect(engine.stack.preview()).rejects.toThrow(
        /members\[4\].*barbara\.liskow@example\.com; did you mean barbara\.liskov@example\.com\?/s,
      );
      expect(requests(CREATE) + requests(DELETE)).toBe(0);
    });

    it("additive mode leaves members it does not manage alone (recorded as undeclared); authoritative mode removes them", async () => {
      sandbox.store.addMembership({ userId: 1020, workspaceGroupId: groupIds.modes });
      await up({ refresh: true });
      expect(members("modes")).toContain(1020);
      expect(outputsOf(await deployedResources(engine), "modes")!.undeclared).toEqual({ "sophie.wilson@example.com": 1020 });
      sandbox.counters.reset();
      slices.declare("modes", { ...FIVE, mode: "authoritative" });
      await up({ refresh: true });
      expect(requests(DELETE)).toBe(1);
      expect(members("modes")).toEqual([1001, 1002, 1003, 1004, 1005]);
      expect(outputsOf(await deployedResources(engine), "modes")!.undeclared).toEqual({});
    });

    // Last: should it stop after the failed up, its resource is left half-applied for any up after it.
    it("a half-applied change is recorded as applied and resumed with exactly one update and no duplicate POST", async () => {
      slices.declare("half-applied", { members: [ADA, 1002, GRACE, 1004, BARBARA, 999999] }); // user 999999 does not exist
      await expect(engine.stack.up()).rejects.toThrow(/adding 999999/);
      expect(members("half-applied")).toEqual([1001, 1002, 1003, 1004, 1005]);
      expect(outputsOf(await deployedResources(engine), "half-applied")!.members).toEqual({
        [ADA]: 1001,
        "1002": 1002,
        [GRACE]: 1003,
        "1004": 1004,
        [BARBARA]: 1005,
      });
      sandbox.counters.reset();
      slices.declare("half-applied", FIVE);
      const result = await up();
      // The engine retries a resource whose last operation failed part-way: one update, which finds nothing to do.
      expect(slices.own("half-applied", result.summary.resourceChanges)).toEqual({ update: 1 });
      expect(requests(CREATE)).toBe(0);
      expect(members("half-applied")).toEqual([1001, 1002, 1003, 1004, 1005]);
    });
  });
});
