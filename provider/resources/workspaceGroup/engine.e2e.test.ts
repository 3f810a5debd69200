import { WorkspaceGroup } from "./resource";
// WorkspaceGroupMembers and declareAccess through the package's entry (one resource kind's folder imports no other's).
import { WorkspaceGroupMembers, declareAccess } from "../..";
import { parseAccessFile } from "../../../access";
import { membersOf } from "../../../test/support/sandbox";
import { deployedResources, ownedPerTest, upThenNoChanges } from "../../../test/support/engine";
import type { Sandbox } from "../../../sandbox";
import type { EngineStack } from "../../../scripts/lib/pulumi";

/**
 * Groups as code through the real engine: access.yaml's groups created, renamed, updated, released,
 * deleted and taken on, each `up` followed by a preview that plans nothing and makes no request.
 * Every test has a sandbox and a stack of its own, and applies its own starting point.
 */
jest.setTimeout(300_000);

const [ADA, ALAN, GRACE, KEN] = ["ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com", "ken.thompson@example.com"];
const EMPTY = "groups: {}\n";
/** Finance Ops as the first test creates it; then renamed with renamedFrom; then, renamedFrom still there, with new notes. */
const FINANCE_OPS = `groups:\n  Finance Ops:\n    notes: Billing and revenue\n    members: [${ADA}, ${ALAN}]\n`;
const RENAMED = `groups:\n  Finance & Ops:\n    renamedFrom: Finance Ops\n    notes: Billing and revenue\n    members: [${ADA}, ${ALAN}]\n`;
const NEW_NOTES = `groups:\n  Finance & Ops:\n    renamedFrom: Finance Ops\n    notes: Billing, revenue and payroll\n    members: [${ADA}, ${ALAN}]\n`;
const NO_WRITES = { POST: 0, PUT: 0, DELETE: 0 };

const own = ownedPerTest();
/** The token in the plugin's environment, as the README recommends for CI. */
const stackOf = (sandbox: Sandbox, program: () => Promise<void>) => own.stack(sandbox, program, { tokenVia: "env" });

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

/**
 * A sandbox and a stack of the test's own whose program declares the access file `yaml` (nothing applied yet);
 * `declare` changes the file for the next run, `apply` writes it, resets the counters, then `up` and a preview that plans nothing.
 */
async function accessAsCode(yaml = EMPTY) {
  const sandbox = await own.sandbox();
  const file = { yaml };
  const engine = await stackOf(sandbox, async () => {
    declareAccess(parseAccessFile(file.yaml, "access.yaml"));
  });
  const declare = (next: string) => (file.yaml = next);
  const apply = (next: string) => {
    declare(next);
    sandbox.counters.reset();
    return upThenNoChanges(engine, sandbox);
  };
  return { sandbox, engine, declare, apply, ...readers(sandbox, engine) };
}

/** The same with `yaml` applied by one `up` (a starting point: no preview after it), and the counters reset. */
async function accessApplied(yaml: string) {
  const applied = await accessAsCode(yaml);
  await applied.engine.stack.up();
  applied.sandbox.counters.reset();
  return applied;
}

/** Finance Ops created from the file, then `then` applied by one more `up`; `groupId` is the group it created. */
async function financeOpsApplied(then?: string) {
  const applied = await accessApplied(FINANCE_OPS);
  const groupId = applied.group("Finance Ops")!.id;
  if (then !== undefined) {
    applied.declare(then);
    await applied.engine.stack.up();
    applied.sandbox.counters.reset();
  }
  return { ...applied, groupId };
}

describe("a group from access.yaml", () => {
  it("that does not exist is created with its notes, then filled: one POST for the group, one for its members", async () => {
    const { engine, declare, apply, group, people, writes, requests, resourcesOf } = await accessAsCode();
    declare(FINANCE_OPS);
    const preview = await engine.stack.preview();
    expect(preview.changeSummary).toEqual({ create: 4 }); // the stack, the group, its members, the file's access rules
    const up = await apply(FINANCE_OPS);
    expect(up.summary.resourceChanges).toEqual({ create: 4 });
    const groupId = group("Finance Ops")!.id;
    expect(group("Finance Ops")).toMatchObject({ notes: "Billing and revenue" });
    expect(people(groupId)).toEqual([ADA, ALAN]);
    expect(writes()).toEqual({ POST: 2, PUT: 0, DELETE: 0 });
    expect(requests()["GET /user_group_memberships"]).toBeUndefined(); // a group just created is known empty
    const [members] = await resourcesOf("WorkspaceGroupMembers");
    expect(members.outputs).toMatchObject({ group: "Finance Ops", groupId, members: { [ADA]: 1001, [ALAN]: 1002 }, preexisting: [] });
  });

  it("renamed with renamedFrom: one PUT of the name, the same group and members, never a delete and a create", async () => {
    const { sandbox, apply, groupId, people, writes, resourcesOf } = await financeOpsApplied();
    const up = await apply(RENAMED);
    expect(up.summary.resourceChanges).toEqual({ update: 1, same: 3 }); // the group; its members, the access rules and the stack are the same
    expect(writes()).toEqual({ POST: 0, PUT: 1, DELETE: 0 });
    expect(sandbox.store.getWorkspaceGroup(groupId)!.name).toBe("Finance & Ops");
    expect(people(groupId)).toEqual([ADA, ALAN]);
    const [members] = await resourcesOf("WorkspaceGroupMembers");
    expect(members.urn).toMatch(/::finance & ops$/);
    expect(members.inputs).toMatchObject({ group: "Finance & Ops", groupId });
  });

  it("with new notes (renamedFrom left in the file): one PUT of the notes", async () => {
    const { sandbox, apply, groupId, writes } = await financeOpsApplied(RENAMED);
    await apply(NEW_NOTES);
    expect(writes()).toEqual({ POST: 0, PUT: 1, DELETE: 0 });
    expect(sandbox.store.getWorkspaceGroup(groupId)).toMatchObject({ name: "Finance & Ops", notes: "Billing, revenue and payroll" });
  });

  it("removed from the file is released from code: the group and its members stay, nothing is written", async () => {
    // Renamed, with new notes, in one update.
    const { sandbox, apply, groupId, people, writes, resourcesOf } = await financeOpsApplied(NEW_NOTES);
    const up = await apply(EMPTY);
    expect(up.summary.resourceChanges).toEqual({ delete: 2, same: 2 }); // the stack and the file's access rules stay
    expect(writes()).toEqual(NO_WRITES);
    expect(sandbox.store.getWorkspaceGroup(groupId)!.name).toBe("Finance & Ops");
    expect(people(groupId)).toEqual([ADA, ALAN]);
    expect(await resourcesOf("WorkspaceGroup")).toHaveLength(0);
  });
});

describe("deleting a group with a tombstone (delete: true)", () => {
  it("an empty group is deleted with one DELETE; the tombstone then plans nothing, and can go", async () => {
    const { sandbox, apply, writes } = await accessApplied(EMPTY);
    const { id } = sandbox.store.addWorkspaceGroup({ name: "Old Empty" });
    await apply("groups:\n  Old Empty:\n    delete: true\n");
    expect(writes()).toEqual({ POST: 0, PUT: 0, DELETE: 1 });
    expect(sandbox.store.getWorkspaceGroup(id)).toBeUndefined();
    await apply(EMPTY);
    expect(writes()).toEqual(NO_WRITES);
  });

  it("a group with members outside code is refused by the preview and by up, naming how many and who; nothing is written", async () => {
    const { sandbox, engine, declare, apply, people, writes } = await accessApplied(EMPTY);
    const { id } = sandbox.store.addWorkspaceGroup({ name: "Contractors" });
    sandbox.store.addMemberships([1001, 1003].map((userId) => ({ userId, workspaceGroupId: id })));
    declare("groups:\n  Contractors:\n    delete: true\n");
    const refusal =
      /Workspace group "Contractors" still has 2 members that no other resource of this stack declares: ada\.lovelace@example\.com, grace\.hopper@example\.com/;
    await expect(engine.stack.preview()).rejects.toThrow(refusal);
    await expect(engine.stack.up()).rejects.toThrow(refusal);
    expect(writes()).toEqual(NO_WRITES);
    expect(people(id)).toEqual([ADA, GRACE]);
    await apply("groups:\n  Contractors:\n    delete: true\n    deleteWithMembers: true\n");
    expect(writes()).toEqual({ POST: 0, PUT: 0, DELETE: 1 });
    expect(sandbox.store.getWorkspaceGroup(id)).toBeUndefined();
    expect(sandbox.store.listMemberships().filter((m) => m.workspaceGroupId === id)).toEqual([]);
    await apply(EMPTY);
  });
});

describe("adopting an existing group", () => {
  it("listed as it is (name, notes, members) is taken on with zero writes", async () => {
    const { sandbox, apply, writes, resourcesOf } = await accessApplied(EMPTY);
    const { id } = sandbox.store.addWorkspaceGroup({ name: "Legal", notes: "Contracts" });
    sandbox.store.addMemberships([1001, 1009].map((userId) => ({ userId, workspaceGroupId: id })));
    const up = await apply(`groups:\n  legal:\n    notes: Contracts\n    members: [${ADA}, ${KEN}]\n`);
    expect(up.summary.resourceChanges).toEqual({ create: 2, same: 2 }); // the stack and the file's access rules were there
    expect(writes()).toEqual(NO_WRITES);
    const [workspaceGroup] = await resourcesOf("WorkspaceGroup");
    expect(workspaceGroup.outputs).toMatchObject({ name: "Legal", groupId: id, adopted: true, notes: "Contracts" });
    await apply(EMPTY);
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
