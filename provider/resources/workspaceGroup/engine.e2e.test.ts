import { WorkspaceGroup } from "./resource";
// WorkspaceGroupMembers and declareAccess through the package's entry (one resource kind's folder imports no other's).
import { WorkspaceGroupMembers, declareAccess } from "../..";
import { parseAccessFile } from "../../../access";
import { membersOf } from "../../../test/support/sandbox";
import { Slices, deployedResources, ownedPerBlock, ownedPerTest, upThenNoChanges } from "../../../test/support/engine";
import type { Sandbox } from "../../../sandbox";
import type { EngineStack } from "../../../scripts/lib/pulumi";

/**
 * Groups as code through the real engine: access.yaml's groups created, renamed, updated, released,
 * deleted and taken on, each `up` followed by a preview that plans nothing and makes no request.
 * A test that starts from a new stack has a sandbox and a stack of its own; the others share one, each
 * with groups of its own in the one access.yaml, applied by the block's beforeAll (see Slices).
 */
jest.setTimeout(300_000);

const [ADA, ALAN, GRACE, KEN] = ["ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com", "ken.thompson@example.com"];
const EMPTY = "groups: {}\n";
/** access.yaml with these groups' entries (each indented under `groups:`). */
const accessFile = (...entries: string[]) => (entries.join("") === "" ? EMPTY : `groups:\n${entries.join("")}`);
/**
 * "<stem> Ops" as the first test creates Finance Ops; then renamed with renamedFrom; then, renamedFrom
 * still there, with new notes.
 */
const created = (stem: string) => `  ${stem} Ops:\n    notes: Billing and revenue\n    members: [${ADA}, ${ALAN}]\n`;
const renamed = (stem: string) =>
  `  ${stem} & Ops:\n    renamedFrom: ${stem} Ops\n    notes: Billing and revenue\n    members: [${ADA}, ${ALAN}]\n`;
const newNotes = (stem: string) =>
  `  ${stem} & Ops:\n    renamedFrom: ${stem} Ops\n    notes: Billing, revenue and payroll\n    members: [${ADA}, ${ALAN}]\n`;
const FINANCE_OPS = accessFile(created("Finance"));
const NO_WRITES = { POST: 0, PUT: 0, DELETE: 0 };

/** No test reads an `up`'s outputs (see readOutputs). */
const STACKS = { readOutputs: false } as const;
const own = ownedPerTest(STACKS);
/** The token in the plugin's environment, as the README recommends for CI. */
const stackOf = (sandbox: Sandbox, program: () => Promise<void>, owner = own) => owner.stack(sandbox, program, { tokenVia: "env" });

/** What every test reads of its sandbox and stack. */
function readers(sandbox: Sandbox, engine: EngineStack) {
  return {
    requests: () => sandbox.counters.snapshot().byRoute,
    writes: () => {
      const { byMethod } = sandbox.counters.snapshot();
      return { POST: byMethod.POST ?? 0, PUT: byMethod.PUT ?? 0, DELETE: byMethod.DELETE ?? 0 };
    },
    group: (name: string) => sandbox.store.findWorkspaceGroupByName(name),
    people: (groupId: number) => membersOf(sandbox, groupId).map((userId) => sandbox.store.getUser(userId)!.emailAddress.toLowerCase()),
    resourcesOf: async (type: string) => (await deployedResources(engine)).filter((r) => r.type.endsWith(`:${type}`)),
  };
}

describe("a group from access.yaml", () => {
  it("that does not exist is created with its notes, then filled: one POST for the group, one for its members", async () => {
    const sandbox = await own.sandbox();
    const file = { yaml: EMPTY };
    const engine = await stackOf(sandbox, async () => {
      declareAccess(parseAccessFile(file.yaml, "access.yaml"));
    });
    const { group, people, writes, requests, resourcesOf } = readers(sandbox, engine);
    file.yaml = FINANCE_OPS;
    const preview = await engine.stack.preview();
    expect(preview.changeSummary).toEqual({ create: 4 }); // the stack, the group, its members, the file's access rules
    sandbox.counters.reset();
    const up = await upThenNoChanges(engine, sandbox);
    expect(up.summary.resourceChanges).toEqual({ create: 4 });
    const groupId = group("Finance Ops")!.id;
    expect(group("Finance Ops")).toMatchObject({ notes: "Billing and revenue" });
    expect(people(groupId)).toEqual([ADA, ALAN]);
    expect(writes()).toEqual({ POST: 2, PUT: 0, DELETE: 0 });
    expect(requests()["GET /user_group_memberships"]).toBeUndefined(); // a group just created is known empty
    const [members] = await resourcesOf("WorkspaceGroupMembers");
    expect(members.outputs).toMatchObject({ group: "Finance Ops", groupId, members: { [ADA]: 1001, [ALAN]: 1002 }, preexisting: [] });
  });
});

describe("one access.yaml for the tests below, each test's groups its own", () => {
  const block = ownedPerBlock(STACKS);
  /** Each test's entries of the file. */
  const slices = new Slices<string>(
    { rename: created("Finance"), notes: created("Payroll"), release: created("People"), tombstone: "", refused: "", adopt: "" },
    {
      // Per group a WorkspaceGroup and a WorkspaceGroupMembers, a tombstone only the WorkspaceGroup (access/declare.ts).
      of: (entries) => parseAccessFile(accessFile(entries), "access.yaml").groups.reduce((n, g) => n + (g.delete ? 1 : 2), 0),
      shared: 2, // the stack, and the file's access rules
    },
  );
  /** The group each test's "<stem> Ops" is. */
  const groupIds: Record<string, number> = {};
  let sandbox: Sandbox;
  let engine: EngineStack;
  let read: ReturnType<typeof readers>;
  beforeAll(async () => {
    sandbox = await block.sandbox();
    engine = await stackOf(
      sandbox,
      async () => {
        declareAccess(parseAccessFile(accessFile(...slices.entries().map(([, entries]) => entries)), "access.yaml"));
      },
      block,
    );
    read = readers(sandbox, engine);
    await engine.stack.up();
    slices.applied();
    for (const [key, stem] of [
      ["rename", "Finance"],
      ["notes", "Payroll"],
      ["release", "People"],
    ])
      groupIds[key] = read.group(`${stem} Ops`)!.id;
    // The starting points of two more updates: renamed; renamed, with new notes, in one update.
    slices.declare("notes", renamed("Payroll"));
    slices.declare("release", newNotes("People"));
    await engine.stack.up();
    slices.applied();
  });
  beforeEach(() => sandbox.counters.reset());
  /** Declares the test's entries, then `up` and a preview that plans nothing, the counters reset first. */
  const apply = async (key: string, entries: string) => {
    slices.declare(key, entries);
    sandbox.counters.reset();
    const result = await upThenNoChanges(engine, sandbox);
    slices.applied();
    return result;
  };

  describe("a group from access.yaml, applied", () => {
    it("renamed with renamedFrom: one PUT of the name, the same group and members, never a delete and a create", async () => {
      const groupId = groupIds.rename;
      const up = await apply("rename", renamed("Finance"));
      expect(slices.own("rename", up.summary.resourceChanges)).toEqual({ update: 1, same: 1 }); // the group; its members are the same
      expect(read.writes()).toEqual({ POST: 0, PUT: 1, DELETE: 0 });
      expect(sandbox.store.getWorkspaceGroup(groupId)!.name).toBe("Finance & Ops");
      expect(read.people(groupId)).toEqual([ADA, ALAN]);
      const members = (await read.resourcesOf("WorkspaceGroupMembers")).filter((r) => r.inputs.groupId === groupId);
      expect(members).toHaveLength(1);
      expect(members[0].urn).toMatch(/::finance & ops$/);
      expect(members[0].inputs).toMatchObject({ group: "Finance & Ops", groupId });
    });

    it("with new notes (renamedFrom left in the file): one PUT of the notes", async () => {
      await apply("notes", newNotes("Payroll"));
      expect(read.writes()).toEqual({ POST: 0, PUT: 1, DELETE: 0 });
      expect(sandbox.store.getWorkspaceGroup(groupIds.notes)).toMatchObject({ name: "Payroll & Ops", notes: "Billing, revenue and payroll" });
    });

    it("removed from the file is released from code: the group and its members stay, nothing is written", async () => {
      // Renamed, with new notes, in one update (the beforeAll).
      const groupId = groupIds.release;
      const up = await apply("release", "");
      expect(slices.own("release", up.summary.resourceChanges)).toEqual({ delete: 2 }); // the stack and the file's access rules stay
      expect(read.writes()).toEqual(NO_WRITES);
      expect(sandbox.store.getWorkspaceGroup(groupId)!.name).toBe("People & Ops");
      expect(read.people(groupId)).toEqual([ADA, ALAN]);
      expect((await read.resourcesOf("WorkspaceGroup")).filter((r) => r.outputs?.groupId === groupId)).toHaveLength(0);
    });
  });

  describe("deleting a group with a tombstone (delete: true)", () => {
    it("an empty group is deleted with one DELETE; the tombstone then plans nothing, and can go", async () => {
      const { id } = sandbox.store.addWorkspaceGroup({ name: "Old Empty" });
      await apply("tombstone", "  Old Empty:\n    delete: true\n");
      expect(read.writes()).toEqual({ POST: 0, PUT: 0, DELETE: 1 });
      expect(sandbox.store.getWorkspaceGroup(id)).toBeUndefined();
      // The tombstone goes: only it leaves the stack, and nothing is written. (No preview after: the up
      // changed nothing else, and what it removed has no state left to compare.)
      slices.declare("tombstone", "");
      sandbox.counters.reset();
      const gone = await engine.stack.up();
      slices.applied();
      expect(slices.own("tombstone", gone.summary.resourceChanges)).toEqual({ delete: 1 });
      expect(read.writes()).toEqual(NO_WRITES);
    });

    it("a group with members outside code is refused by the preview and by up, naming how many and who; nothing is written", async () => {
      const { id } = sandbox.store.addWorkspaceGroup({ name: "Contractors" });
      sandbox.store.addMemberships([1001, 1003].map((userId) => ({ userId, workspaceGroupId: id })));
      slices.declare("refused", "  Contractors:\n    delete: true\n");
      const refusal =
        /Workspace group "Contractors" still has 2 members that no other resource of this stack declares: ada\.lovelace@example\.com, grace\.hopper@example\.com/;
      await expect(engine.stack.preview()).rejects.toThrow(refusal);
      await expect(engine.stack.up()).rejects.toThrow(refusal);
      expect(read.writes()).toEqual(NO_WRITES);
      expect(read.people(id)).toEqual([ADA, GRACE]);
      await apply("refused", "  Contractors:\n    delete: true\n    deleteWithMembers: true\n");
      expect(read.writes()).toEqual({ POST: 0, PUT: 0, DELETE: 1 });
      expect(sandbox.store.getWorkspaceGroup(id)).toBeUndefined();
      expect(sandbox.store.listMemberships().filter((m) => m.workspaceGroupId === id)).toEqual([]);
      // A tombstone leaving the file is the first test's "can go".
    });
  });

  describe("adopting an existing group", () => {
    it("listed as it is (name, notes, members) is taken on with zero writes", async () => {
      const { id } = sandbox.store.addWorkspaceGroup({ name: "Legal", notes: "Contracts" });
      sandbox.store.addMemberships([1001, 1009].map((userId) => ({ userId, workspaceGroupId: id })));
      const up = await apply("adopt", `  legal:\n    notes: Contracts\n    members: [${ADA}, ${KEN}]\n`);
      expect(slices.own("adopt", up.summary.resourceChanges)).toEqual({ create: 2 }); // the stack and the file's access rules were there
      expect(read.writes()).toEqual(NO_WRITES);
      const workspaceGroup = (await read.resourcesOf("WorkspaceGroup")).find((r) => r.outputs?.groupId === id);
      expect(workspaceGroup?.outputs).toMatchObject({ name: "Legal", groupId: id, adopted: true, notes: "Contracts" });
      // Leaving the file, it is released as any group is (retainOnDelete: no call to the provider), as above.
    });
  });
});

describe("a WorkspaceGroup in a program", () => {
  it("is deleted on destroy after its members' resource removed them; with someone added by hand, the deletion is refused", async () => {
    const sandbox = await own.sandbox();
    const stack = await stackOf(sandbox, async () => {
      const team = new WorkspaceGroup("team", { name: "Program Team", notes: "made by a program" });
      new WorkspaceGroupMembers("team", { group: team, members: [ADA, GRACE], mode: "authoritative" });
    });
    const { group, people, requests } = readers(sandbox, stack);
    await upThenNoChanges(stack, sandbox);
    const { id } = group("Program Team")!;
    expect(people(id)).toEqual([ADA, GRACE]);
    sandbox.store.addMembership({ userId: 1009, workspaceGroupId: id });
    await expect(stack.stack.destroy()).rejects.toThrow(
      /Workspace group "Program Team" still has 1 member that no other resource of this stack declares: ken\.thompson@example\.com/,
    );
    expect(people(id)).toEqual([KEN]); // the members' resource went first, as the engine orders it
    sandbox.store.removeMembership(sandbox.store.findMembership(1009, id)!.id);
    sandbox.counters.reset();
    await stack.stack.destroy();
    expect(group("Program Team")).toBeUndefined();
    expect(requests()).toMatchObject({ "DELETE /workspace_groups/{id}": 1 });
  });
});
