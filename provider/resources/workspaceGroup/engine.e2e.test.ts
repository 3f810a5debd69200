import type { Sandbox } from "../../../sandbox";
import { WorkspaceGroup, WorkspaceGroupMembers, declareAccess } from "pulumi-kantata";
import { parseAccessFile } from "pulumi-kantata/access";
import { membersOf, startTestSandbox } from "../../../test/support/sandbox";
import { deployedResources, upThenNoChanges } from "../../../test/support/engine";
import { createEngineStack, type EngineStack } from "../../../scripts/lib/pulumi";

/**
 * Groups as code through the real engine: access.yaml's groups created, renamed, updated, released,
 * deleted and taken on, each `up` followed by a preview that plans nothing and makes no request.
 */
jest.setTimeout(300_000);

const [ADA, ALAN, GRACE, KEN] = ["ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com", "ken.thompson@example.com"];
let sandbox: Sandbox;
let engine: EngineStack;
let accessYaml = "groups: {}\n";

const requests = () => sandbox.counters.snapshot().byRoute;
const writes = () => {
  const { byMethod } = sandbox.counters.snapshot();
  return { POST: byMethod.POST ?? 0, PUT: byMethod.PUT ?? 0, DELETE: byMethod.DELETE ?? 0 };
};
const NO_WRITES = { POST: 0, PUT: 0, DELETE: 0 };
const group = (name: string) => sandbox.store.findWorkspaceGroupByName(name);
const people = (groupId: number) => membersOf(sandbox, groupId).map((userId) => sandbox.store.getUser(userId)!.emailAddress.toLowerCase());
const resourcesOf = async (type: string) => (await deployedResources(engine)).filter((r) => r.type.endsWith(`:${type}`));

/** Writes the file the program declares, then `up` and a preview that plans nothing. */
async function apply(yaml: string) {
  accessYaml = yaml;
  sandbox.counters.reset();
  return upThenNoChanges(engine, sandbox);
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  engine = await createEngineStack({
    program: async () => {
      declareAccess(parseAccessFile(accessYaml, "access.yaml"));
    },
    baseUrl: sandbox.url,
    token: sandbox.token,
    tokenVia: "env",
  });
});
afterAll(async () => {
  await engine?.dispose();
  await sandbox?.stop();
});

describe("a group from access.yaml", () => {
  let groupId: number;

  it("that does not exist is created with its notes, then filled: one POST for the group, one for its members", async () => {
    const preview = await (async () => {
      accessYaml = `groups:\n  Finance Ops:\n    notes: Billing and revenue\n    members: [${ADA}, ${ALAN}]\n`;
      return engine.stack.preview();
    })();
    expect(preview.changeSummary).toEqual({ create: 3 }); // the stack, the group, its members
    const up = await apply(accessYaml);
    expect(up.summary.resourceChanges).toEqual({ create: 3 });
    groupId = group("Finance Ops")!.id;
    expect(group("Finance Ops")).toMatchObject({ notes: "Billing and revenue" });
    expect(people(groupId)).toEqual([ADA, ALAN]);
    expect(writes()).toEqual({ POST: 2, PUT: 0, DELETE: 0 });
    expect(requests()["GET /user_group_memberships"]).toBeUndefined(); // a group just created is known empty
    const [members] = await resourcesOf("WorkspaceGroupMembers");
    expect(members.outputs).toMatchObject({ group: "Finance Ops", groupId, members: { [ADA]: 1001, [ALAN]: 1002 }, preexisting: [] });
  });

  it("renamed with renamedFrom: one PUT of the name, the same group and members, never a delete and a create", async () => {
    const up = await apply(
      `groups:\n  Finance & Ops:\n    renamedFrom: Finance Ops\n    notes: Billing and revenue\n    members: [${ADA}, ${ALAN}]\n`,
    );
    expect(up.summary.resourceChanges).toEqual({ update: 1, same: 2 }); // the group; its members and the stack are the same
    expect(writes()).toEqual({ POST: 0, PUT: 1, DELETE: 0 });
    expect(sandbox.store.getWorkspaceGroup(groupId)!.name).toBe("Finance & Ops");
    expect(people(groupId)).toEqual([ADA, ALAN]);
    const [members] = await resourcesOf("WorkspaceGroupMembers");
    expect(members.urn).toMatch(/::finance & ops$/);
    expect(members.inputs).toMatchObject({ group: "Finance & Ops", groupId });
  });

  it("with new notes (renamedFrom left in the file): one PUT of the notes", async () => {
    await apply(
      `groups:\n  Finance & Ops:\n    renamedFrom: Finance Ops\n    notes: Billing, revenue and payroll\n    members: [${ADA}, ${ALAN}]\n`,
    );
    expect(writes()).toEqual({ POST: 0, PUT: 1, DELETE: 0 });
    expect(sandbox.store.getWorkspaceGroup(groupId)).toMatchObject({ name: "Finance & Ops", notes: "Billing, revenue and payroll" });
  });

  it("removed from the file is released from code: the group and its members stay, nothing is written", async () => {
    const up = await apply("groups: {}\n");
    expect(up.summary.resourceChanges).toEqual({ delete: 2, same: 1 });
    expect(writes()).toEqual(NO_WRITES);
    expect(sandbox.store.getWorkspaceGroup(groupId)!.name).toBe("Finance & Ops");
    expect(people(groupId)).toEqual([ADA, ALAN]);
    expect(await resourcesOf("WorkspaceGroup")).toHaveLength(0);
  });
});

describe("deleting a group with a tombstone (delete: true)", () => {
  it("an empty group is deleted with one DELETE; the tombstone then plans nothing, and can go", async () => {
    const { id } = sandbox.store.addWorkspaceGroup({ name: "Old Empty" });
    await apply("groups:\n  Old Empty:\n    delete: true\n");
    expect(writes()).toEqual({ POST: 0, PUT: 0, DELETE: 1 });
    expect(sandbox.store.getWorkspaceGroup(id)).toBeUndefined();
    await apply("groups: {}\n");
    expect(writes()).toEqual(NO_WRITES);
  });

  it("a group with members outside code is refused by the preview and by up, naming how many and who; nothing is written", async () => {
    const { id } = sandbox.store.addWorkspaceGroup({ name: "Contractors" });
    sandbox.store.addMemberships([1001, 1003].map((userId) => ({ userId, workspaceGroupId: id })));
    accessYaml = "groups:\n  Contractors:\n    delete: true\n";
    sandbox.counters.reset();
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
    await apply("groups: {}\n");
  });
});

describe("adopting an existing group", () => {
  it("listed as it is (name, notes, members) is taken on with zero writes", async () => {
    const { id } = sandbox.store.addWorkspaceGroup({ name: "Legal", notes: "Contracts" });
    sandbox.store.addMemberships([1001, 1009].map((userId) => ({ userId, workspaceGroupId: id })));
    const up = await apply(`groups:\n  legal:\n    notes: Contracts\n    members: [${ADA}, ${KEN}]\n`);
    expect(up.summary.resourceChanges).toEqual({ create: 2, same: 1 });
    expect(writes()).toEqual(NO_WRITES);
    const [workspaceGroup] = await resourcesOf("WorkspaceGroup");
    expect(workspaceGroup.outputs).toMatchObject({ name: "Legal", groupId: id, adopted: true, notes: "Contracts" });
    await apply("groups: {}\n");
  });
});

describe("a WorkspaceGroup in a program", () => {
  let stack: EngineStack;

  beforeAll(async () => {
    stack = await createEngineStack({
      program: async () => {
        const team = new WorkspaceGroup("team", { name: "Program Team", notes: "made by a program" });
        new WorkspaceGroupMembers("team", { group: team, members: [ADA, GRACE], mode: "authoritative" });
      },
      baseUrl: sandbox.url,
      token: sandbox.token,
      tokenVia: "env",
    });
  });
  afterAll(async () => stack?.dispose());

  it("is deleted on destroy after its members' resource removed them; with someone added by hand, the deletion is refused", async () => {
    sandbox.counters.reset();
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
