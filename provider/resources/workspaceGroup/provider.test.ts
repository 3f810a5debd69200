import * as dynamic from "../../../test/support/dynamic";
import { failureOf } from "../../../test/support/dynamic";
import { match } from "../../../test/support/matchers";
import type { Sandbox } from "../../../sandbox";
import { CREATE, LIST, membersOf, routeCount, startTestSandbox } from "../../../test/support/sandbox";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const GROUPS = "GET /workspace_groups";
const CREATE_GROUP = "POST /workspace_groups";
const UPDATE_GROUP = "PUT /workspace_groups/{id}";
const DELETE_GROUP = "DELETE /workspace_groups/{id}";
const URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroup::g";

let sandbox: Sandbox;
let counter = 0;
/** A name no group of the sandbox has yet. */
const freshName = (prefix = "Team") => `${prefix} ${Date.now() % 100000}-${++counter}`;
const requests = () => sandbox.counters.snapshot().byRoute;
const writes = () => {
  const { byMethod } = sandbox.counters.snapshot();
  return (byMethod.POST ?? 0) + (byMethod.PUT ?? 0) + (byMethod.DELETE ?? 0);
};
const args = (name: string, extra: Record<string, unknown> = {}) => ({ __kind: "WorkspaceGroup", name, ...extra });

/** Checked inputs, as the engine gets them; `olds` are the previous checked inputs (none for a resource new to the stack). */
async function checked(name: string, extra: Record<string, unknown> = {}, olds: Record<string, unknown> = {}) {
  const { inputs, failures } = await dynamic.check(olds, args(name, extra));
  expect(failures).toBeUndefined();
  return inputs!;
}

/** Every Pulumi operation starts a new provider process: nothing read by an earlier one is remembered. */
async function newOperation(): Promise<void> {
  const config: Record<string, string> = {
    "kantata:baseUrl": sandbox.url,
    "kantata:apiToken": sandbox.token,
    "kantata:retryBudgetSeconds": "0.2",
  };
  await dynamic.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
}

/** A group made "by hand in the Kantata UI", with these members. */
function byHand(name: string, userIds: number[] = [], notes?: string): number {
  const { id } = sandbox.store.addWorkspaceGroup({ name, ...(notes !== undefined && { notes }) });
  sandbox.store.addMemberships(userIds.map((userId) => ({ userId, workspaceGroupId: id })));
  return id;
}

/** A group created through the provider: its id and outputs, in a new operation afterwards. */
async function created(name: string, extra: Record<string, unknown> = {}) {
  const inputs = await checked(name, extra);
  const result = await dynamic.create(inputs);
  await newOperation();
  sandbox.counters.reset();
  return { ...result, inputs };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await newOperation();
  sandbox.counters.reset();
  sandbox.faults.clear();
});

describe("creating a group", () => {
  it("check looks the name up and plans a create; create POSTs once with the declared fields; its id is the group's", async () => {
    const name = freshName("Finance Ops");
    const inputs = await checked(`  ${name} `, { notes: "Billing and revenue", externalReference: "hr:42" });
    expect(inputs).toMatchObject({ __kind: "WorkspaceGroup", name, notes: "Billing and revenue", __plan: { action: "create" } });
    expect(requests()).toEqual({ [GROUPS]: 2 }); // the name, and every group once for a "did you mean"
    sandbox.counters.reset();
    const { id, outs } = await dynamic.create(inputs);
    const group = sandbox.store.findWorkspaceGroupByName(name)!;
    expect(group).toMatchObject({ notes: "Billing and revenue", externalReference: "hr:42", contactName: null });
    expect(id).toBe(String(group.id));
    expect(outs).toEqual({
      __kind: "WorkspaceGroup",
      name,
      groupId: group.id,
      notes: "Billing and revenue",
      externalReference: "hr:42",
      adoptExisting: false,
      deleteWithMembers: false,
      deleted: false,
      adopted: false,
      createdAt: match.any(String),
    });
    expect(requests()).toEqual({ [CREATE_GROUP]: 1 });
  });

  it("the declaration as recorded is checked and diffed with no request at all", async () => {
    const { id, outs, inputs } = await created(freshName(), { notes: "n" });
    const again = await checked(String(inputs.name), { notes: "n" }, inputs);
    expect(again.__plan).toBeUndefined();
    expect(await dynamic.diff(id, outs, again)).toEqual({ changes: false, replaces: [] });
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("a name that exists already (any case) fails the preview with the group's id and how to adopt it; nothing is written", async () => {
    const name = freshName("Legal");
    const id = byHand(name);
    const { failures } = await dynamic.check({}, args(name.toUpperCase()));
    expect(failures).toEqual([
      {
        property: "name",
        reason:
          `A workspace group named "${name}" exists already (id ${id}; names are unique ignoring case), so Pulumi would not create another. ` +
          "To manage the existing group with this resource, set `adoptExisting: true` on it (access.yaml does this for every group it lists); or choose another name.",
      },
    ]);
    expect(writes()).toBe(0);
  });

  it("someone creating the name between preview and up: the create is refused with the same words, and nothing is duplicated", async () => {
    const name = freshName("Race");
    const inputs = await checked(name);
    byHand(name);
    const error = await failureOf(dynamic.create(inputs));
    expect(error).toMatchObject({ name: "ChangeRefused", message: match.stringContaining(`A workspace group named "${name}" exists already`) });
    expect(sandbox.store.listWorkspaceGroups().filter((g) => g.name === name)).toHaveLength(1);
  });

  it("a likely typo of an existing name still plans a create (the preview warns with the closest name)", async () => {
    const inputs = await checked("Finanse");
    expect(inputs.__plan).toEqual({ action: "create" });
  });

  it("rejects bad inputs, naming the property and the value", async () => {
    const { failures } = await dynamic.check({}, args("", { notes: 5, company: "yes", deleted: "no" }));
    expect(failures).toEqual([
      { property: "name", reason: 'name must be the workspace group\'s name, such as "Finance"; got "" (string).' },
      { property: "notes", reason: "notes must be a text; got 5 (number)." },
      { property: "company", reason: 'company must be true or false; got "yes" (string).' },
      { property: "deleted", reason: 'deleted must be true or false; got "no" (string).' },
    ]);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("a name computed from another resource is let through during preview, unplanned", async () => {
    const { inputs } = await dynamic.check({}, args(UNKNOWN));
    expect(inputs).toMatchObject({ name: UNKNOWN });
    expect(inputs!.__plan).toBeUndefined();
  });
});

describe("adopting a group", () => {
  it("with adoptExisting, a group whose declared fields match is taken on with zero writes, in Kantata's spelling", async () => {
    const name = freshName("Delivery-APAC");
    const groupId = byHand(name, [1001], "Ops");
    const inputs = await checked(name.toLowerCase(), { notes: "Ops", adoptExisting: true });
    expect(inputs).toMatchObject({ name, __plan: { action: "adopt", group: { id: groupId, name, notes: "Ops" } } });
    sandbox.counters.reset();
    const { id, outs } = await dynamic.create(inputs);
    expect([id, outs.adopted, outs.name, sandbox.counters.snapshot().total]).toEqual([String(groupId), true, name, 0]);
  });

  it("declared fields that differ are set with one PUT of just those fields", async () => {
    const name = freshName();
    const groupId = byHand(name, [], "old notes");
    sandbox.store.updateWorkspaceGroup(groupId, { website: "https://kept.example" });
    const { outs } = await dynamic.create(await checked(name, { notes: "new notes", adoptExisting: true }));
    expect(requests()).toMatchObject({ [UPDATE_GROUP]: 1 });
    expect(sandbox.store.getWorkspaceGroup(groupId)).toMatchObject({ notes: "new notes", website: "https://kept.example" });
    expect(outs).toMatchObject({ notes: "new notes", adopted: true });
    expect(outs.website).toBeUndefined(); // not declared: not managed
  });
});

describe("changing a group", () => {
  it("a rename is an update in place (no replacement): one PUT of the name, the id and members unchanged", async () => {
    const name = freshName("Finance");
    const { id, outs, inputs } = await created(name);
    sandbox.store.addMembership({ userId: 1003, workspaceGroupId: Number(id) });
    const renamed = `${name} & Ops`;
    const news = await checked(renamed, {}, inputs);
    expect(requests()).toEqual({ [GROUPS]: 1 }); // is the new name free?
    expect(await dynamic.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    sandbox.counters.reset();
    const { outs: after } = await dynamic.update(id, outs, news);
    expect(requests()).toEqual({ [UPDATE_GROUP]: 1 });
    expect(sandbox.store.getWorkspaceGroup(Number(id))!.name).toBe(renamed);
    expect(after).toMatchObject({ name: renamed, groupId: Number(id) });
    expect(membersOf(sandbox, Number(id))).toEqual([1003]);
  });

  it("a change of case alone is no change: names compare ignoring case, as Kantata's uniqueness does", async () => {
    const name = freshName("Payroll");
    const { id, outs, inputs } = await created(name);
    const news = await checked(name.toUpperCase(), {}, inputs);
    expect(news.name).toBe(name);
    expect(await dynamic.diff(id, outs, news)).toEqual({ changes: false, replaces: [] });
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("renaming to a name another group holds fails the preview, naming that group", async () => {
    const { inputs } = await created(freshName());
    const { failures } = await dynamic.check(inputs, args("finance"));
    expect(failures).toEqual([{ property: "name", reason: match.stringContaining('another group has that name ("Finance", id 5523') }]);
  });

  it("notes changed in the program are one PUT of the notes; a field the program stops declaring is left as Kantata has it", async () => {
    const { id, outs, inputs } = await created(freshName(), { notes: "v1", website: "https://a.example" });
    const news = await checked(String(inputs.name), { notes: "v2", website: "https://a.example" }, inputs);
    const { outs: after } = await dynamic.update(id, outs, news);
    expect(sandbox.store.getWorkspaceGroup(Number(id))).toMatchObject({ notes: "v2", website: "https://a.example" });
    sandbox.counters.reset();
    const dropped = await checked(String(inputs.name), {}, news);
    expect(await dynamic.diff(id, after, dropped)).toEqual({ changes: false, replaces: [] });
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("notes declared empty clear what Kantata has", async () => {
    const { id, outs, inputs } = await created(freshName(), { notes: "temporary" });
    const { outs: after } = await dynamic.update(id, outs, await checked(String(inputs.name), { notes: "" }, inputs));
    expect(sandbox.store.getWorkspaceGroup(Number(id))!.notes).toBeNull();
    expect(after.notes).toBe("");
  });
});

describe("refresh", () => {
  it("reads the group in one GET and reports drift of declared fields as inputs, so the next preview puts them back", async () => {
    const { id, outs, inputs } = await created(freshName("Drift"), { notes: "as declared" });
    sandbox.store.updateWorkspaceGroup(Number(id), { name: "Renamed by hand", notes: "edited by hand", website: "https://not.declared" });
    const read = await dynamic.read(id, outs);
    expect(requests()).toEqual({ [GROUPS]: 1 });
    expect(read.inputs).toMatchObject({ name: "Renamed by hand", notes: "edited by hand" });
    expect(read.inputs!.website).toBeUndefined();
    const news = await checked(String(inputs.name), { notes: "as declared" }, read.inputs);
    expect(await dynamic.diff(id, read.props!, news)).toEqual({ changes: true, replaces: [] });
    await dynamic.update(id, read.props!, news);
    expect(sandbox.store.getWorkspaceGroup(Number(id))).toMatchObject({
      name: inputs.name,
      notes: "as declared",
      website: "https://not.declared",
    });
  });

  it("a group deleted by hand leaves the state, so the next up creates it again", async () => {
    const { id, outs } = await created(freshName("Gone"));
    sandbox.store.removeWorkspaceGroup(Number(id));
    expect(await dynamic.read(id, outs)).toEqual({});
  });
});

describe("deleting a group marked deleted (access.yaml's delete: true)", () => {
  it("an empty group: the preview plans the deletion, up DELETEs it, and the recorded deletion is never read again", async () => {
    const { id, outs, inputs } = await created(freshName("Empty"));
    const news = await checked(String(inputs.name), { deleted: true }, inputs);
    expect(news.__plan).toEqual({ action: "delete", groupId: Number(id), losses: {} });
    expect(await dynamic.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    sandbox.counters.reset();
    const { outs: after } = await dynamic.update(id, outs, news);
    expect(requests()).toEqual({ [DELETE_GROUP]: 1 });
    expect(sandbox.store.getWorkspaceGroup(Number(id))).toBeUndefined();
    expect(after).toMatchObject({ deleted: true, groupId: Number(id) });
    await newOperation();
    sandbox.counters.reset();
    const again = await checked(String(inputs.name), { deleted: true }, news);
    expect(await dynamic.diff(id, after, again)).toEqual({ changes: false, replaces: [] });
    expect(await dynamic.read(id, after)).toMatchObject({ id, props: { deleted: true } });
    await dynamic.delete(id, after);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("a group with members is refused at preview, naming how many and who, unless deleteWithMembers", async () => {
    const name = freshName("Contractors");
    const groupId = byHand(name, [1001, 1002, 1003, 1004, 1005, 1006, 1007]);
    const { failures } = await dynamic.check({}, args(name, { deleted: true }));
    expect(failures).toEqual([
      {
        property: "deleteWithMembers",
        reason:
          `Workspace group "${name}" still has 7 members that no other resource of this stack declares: ada.lovelace@example.com, alan.turing@example.com, ` +
          "barbara.liskov@example.com, donald.knuth@example.com, edsger.dijkstra@example.com and 2 more. Deleting the group would take their access away. " +
          "To delete it with them, set deleteWithMembers: true (in access.yaml, beside delete: true); or remove them from the group first.",
      },
    ]);
    expect([routeCount(sandbox, LIST), writes()]).toEqual([1, 0]);
    const inputs = await checked(name, { deleted: true, deleteWithMembers: true });
    expect(inputs.__plan).toEqual({
      action: "delete",
      groupId,
      losses: {
        "ada.lovelace@example.com": 1001,
        "alan.turing@example.com": 1002,
        "grace.hopper@example.com": 1003,
        "edsger.dijkstra@example.com": 1004,
        "barbara.liskov@example.com": 1005,
        "donald.knuth@example.com": 1006,
        "margaret.hamilton@example.com": 1007,
      },
    });
    const { id, outs } = await dynamic.create(inputs);
    expect([id, outs.deleted]).toEqual([String(groupId), true]);
    expect(sandbox.store.listMemberships().filter((m) => m.workspaceGroupId === groupId)).toEqual([]);
  });

  it("a group another resource of the stack declares members of is not deleted: the preview names both", async () => {
    const name = freshName("Shared");
    byHand(name);
    const membership = await dynamic.check({}, { __kind: "UserGroupMembership", user: 1001, group: name, __urn: `${URN}-m` });
    expect(membership.failures).toBeUndefined();
    const { failures } = await dynamic.check({}, args(name, { deleted: true, __urn: URN }));
    expect(failures).toEqual([{ property: "deleted", reason: match.stringContaining(`WorkspaceGroup "g" deletes workspace group "${name}"`) }]);
  });

  it("a group that does not exist: nothing to delete, nothing written", async () => {
    const inputs = await checked(freshName("Never"), { deleted: true });
    expect(inputs.__plan).toEqual({ action: "none" });
    const { outs } = await dynamic.create(inputs);
    expect(outs).toMatchObject({ deleted: true });
    expect(writes()).toBe(0);
  });

  it("a deleted group declared again is a new group: a replacement", async () => {
    const { id, outs, inputs } = await created(freshName("Back"));
    const marked = await checked(String(inputs.name), { deleted: true }, inputs);
    const { outs: deleted } = await dynamic.update(id, outs, marked);
    const back = await checked(String(inputs.name), {}, marked);
    expect(back.__plan).toEqual({ action: "create" });
    expect(await dynamic.diff(id, deleted, back)).toEqual({ changes: true, replaces: ["deleted"] });
  });
});

describe("deleting a group removed from the program", () => {
  it("an empty group is deleted with one DELETE (after a read of what its members' resources left)", async () => {
    const { id, outs } = await created(freshName("Removed"));
    await dynamic.delete(id, outs);
    expect(requests()).toEqual({ [LIST]: 1, [DELETE_GROUP]: 1 });
    expect(sandbox.store.getWorkspaceGroup(Number(id))).toBeUndefined();
  });

  it("a group with members no resource declares is refused, naming them and how to go on; with deleteWithMembers it goes", async () => {
    const { id, outs } = await created(freshName("Outsiders"));
    sandbox.store.addMembership({ userId: 1003, workspaceGroupId: Number(id) });
    const error = await failureOf(dynamic.delete(id, outs));
    expect(error).toMatchObject({
      name: "ChangeRefused",
      message: match.stringContaining("still has 1 member that no other resource of this stack declares: grace.hopper@example.com"),
    });
    expect(error.message).toContain("declare the group again with deleteWithMembers: true");
    expect(sandbox.store.getWorkspaceGroup(Number(id))).toBeDefined();
    await dynamic.delete(id, { ...outs, deleteWithMembers: true });
    expect(sandbox.store.getWorkspaceGroup(Number(id))).toBeUndefined();
  });

  it("a group already gone counts as deleted", async () => {
    const { id, outs } = await created(freshName("Already"));
    sandbox.store.removeWorkspaceGroup(Number(id));
    await expect(dynamic.delete(id, outs)).resolves.toBeUndefined();
  });
});

describe("members of a group created in the same change", () => {
  it("during preview (the group's id unknown), they are planned by the group's name as gaining access, without reading anything but their addresses", async () => {
    const name = freshName("Brand New");
    await checked(name);
    sandbox.counters.reset();
    const members = await dynamic.check(
      {},
      { __kind: "WorkspaceGroupMembers", group: UNKNOWN, __groupName: name, members: ["ada.lovelace@example.com", 1002], mode: "authoritative" },
    );
    expect(members.failures).toBeUndefined();
    expect(members.inputs).toMatchObject({
      group: name,
      groupId: UNKNOWN,
      __plan: { gains: { "ada.lovelace@example.com": 1001, "1002": 1002 }, losses: {}, unchanged: {}, adopted: [] },
    });
    expect(routeCount(sandbox, LIST)).toBe(0);
    const single = await dynamic.check({}, { __kind: "UserGroupMembership", user: 1003, group: UNKNOWN, __groupName: name });
    expect(single.inputs).toMatchObject({ group: name, groupId: UNKNOWN, __plan: { gains: { "1003": 1003 } } });
    expect(routeCount(sandbox, LIST)).toBe(0);
  });

  it("the one-owner rule holds before the group has an id: the same person declared twice in it fails the preview, naming both", async () => {
    const name = freshName("Owned");
    await checked(name);
    const urn = (kind: string, resource: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:${kind}::${resource}`;
    const first = await dynamic.check(
      {},
      { __kind: "WorkspaceGroupMembers", group: UNKNOWN, __groupName: name, members: [1001], __urn: urn("WorkspaceGroupMembers", "team") },
    );
    expect(first.failures).toBeUndefined();
    const second = await dynamic.check(
      {},
      { __kind: "UserGroupMembership", user: 1001, group: UNKNOWN, __groupName: name, __urn: urn("UserGroupMembership", "ada") },
    );
    expect(second.failures).toEqual([
      {
        property: "user",
        reason: match.stringContaining(
          `1001 in workspace group "${name}" is declared by both UserGroupMembership "ada" and WorkspaceGroupMembers "team"`,
        ),
      },
    ]);
  });

  it("during up, the group created by this process is known empty: its members are planned and added without a read", async () => {
    const name = freshName("Fresh");
    const { id } = await dynamic.create(await checked(name));
    sandbox.counters.reset();
    const members = await dynamic.check({}, { __kind: "WorkspaceGroupMembers", group: id, __groupName: name, members: [1001, 1002] });
    expect(members.inputs).toMatchObject({ group: name, groupId: Number(id), __plan: { gains: { "1001": 1001, "1002": 1002 } } });
    await dynamic.create(members.inputs!);
    expect(membersOf(sandbox, Number(id))).toEqual([1001, 1002]);
    expect(requests()).toEqual({ [CREATE]: 1 });
  });

  it("a group taken on (it exists, the WorkspaceGroup's id unknown during preview) is found by name and planned against what it holds", async () => {
    const name = freshName("Existing");
    const groupId = byHand(name, [1001]);
    const members = await dynamic.check(
      {},
      { __kind: "WorkspaceGroupMembers", group: UNKNOWN, __groupName: name, members: [1002], mode: "authoritative" },
    );
    expect(members.inputs).toMatchObject({ groupId, __plan: { gains: { "1002": 1002 }, losses: { "ada.lovelace@example.com": 1001 } } });
  });

  it("a renamed group is recorded under its new name by the members' next check, without a step of theirs", async () => {
    const name = freshName("Old Name");
    const { id } = await dynamic.create(await checked(name));
    const first = await dynamic.check({}, { __kind: "WorkspaceGroupMembers", group: id, __groupName: name, members: [1001] });
    const { outs } = await dynamic.create(first.inputs!);
    await newOperation();
    sandbox.counters.reset();
    const renamed = await dynamic.check(first.inputs!, {
      __kind: "WorkspaceGroupMembers",
      group: id,
      __groupName: `${name} 2`,
      members: [1001],
    });
    expect(renamed.inputs).toMatchObject({ group: `${name} 2`, groupId: Number(id) });
    expect(await dynamic.diff(id, outs, renamed.inputs!)).toEqual({ changes: false, replaces: [] });
    expect(sandbox.counters.snapshot().total).toBe(0);
  });
});
