import { type Sandbox, startSandbox } from "../../sandbox";
import { match } from "../support/matchers";
import { NO_DETAILS, addMembers, call, freshGroup, objects } from "./helpers";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

const post = (fields: unknown, token?: string) => call(sandbox, "POST", "/workspace_groups", { body: { workspace_group: fields }, token });
const put = (id: number | string, fields: unknown, token?: string) =>
  call(sandbox, "PUT", `/workspace_groups/${id}`, { body: { workspace_group: fields }, token });
const del = (id: number | string, token?: string) => call(sandbox, "DELETE", `/workspace_groups/${id}`, { token });
const show = (id: number | string) => call(sandbox, "GET", `/workspace_groups/${id}`);

let nameCounter = 0;
const uniqueName = (prefix: string): string => `${prefix} ${++nameCounter}`;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const EVERY_FIELD = {
  notes: "Billing and revenue people",
  company: true,
  contact_name: "Grace Hopper",
  email: "finance-ops@example.com",
  phone_number: "+44 20 7946 0000",
  address: "1 Example Street, London",
  website: "https://finance.example.com",
  external_reference: "hr-system:team-42",
};
const NOT_FOUND = { errors: [{ type: "system", message: match.any(String) }] };

describe("POST /workspace_groups", () => {
  test("a create with every documented field answers 200 with an envelope holding every field in wire form", async () => {
    const name = uniqueName("Finance Ops");
    const { status, body } = await post({ name, ...EVERY_FIELD, add_workspace_ids: [] });
    expect(status).toBe(200);
    const [group] = objects(body, "workspace_groups");
    expect(body).toMatchObject({ count: 1, meta: { count: 1, page_count: 1, page_number: 1, page_size: 1 } });
    expect(group).toEqual({
      id: match.stringMatching(/^\d+$/),
      name,
      ...EVERY_FIELD,
      created_at: match.stringMatching(ISO_WITH_OFFSET),
      updated_at: group.created_at,
    });
    expect(objects((await show(String(group.id))).body, "workspace_groups")).toEqual([group]);
  });

  test("fields left out are null on the wire and company is false", async () => {
    const { body } = await post({ name: uniqueName("Bare") });
    expect(objects(body, "workspace_groups")[0]).toMatchObject({ company: false, ...NO_DETAILS });
  });

  test("the name is stored trimmed", async () => {
    const name = uniqueName("Trimmed");
    const { body } = await post({ name: `  ${name}\t` });
    expect(objects(body, "workspace_groups")[0].name).toBe(name);
  });

  test("a name another group holds in another case is refused with 422 on name, and nothing is created", async () => {
    const before = sandbox.store.listWorkspaceGroups().length;
    const { status, body } = await post({ name: "FINANCE", notes: "a second one" });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field: "name", message: match.any(String) }]);
    expect(sandbox.store.listWorkspaceGroups()).toHaveLength(before);
  });

  test("a missing name is a 422 on name", async () => {
    const { status, body } = await post({ notes: "no name" });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "name" })]);
  });

  test.each([
    ["notes", 5],
    ["contact_name", { first: "Ada" }],
    ["email", ["a@example.com"]],
    ["phone_number", 442079460000],
    ["address", true],
    ["website", 1],
    ["external_reference", { service_name: "hr" }],
    ["company", "yes"],
    ["company", null],
    ["add_workspace_ids", "1,2"],
    ["add_workspace_ids", [1, "two"]],
  ])("%s given as %j is refused with 422 naming the field", async (field, value) => {
    const { status, body } = await post({ name: uniqueName("Typed"), [field]: value });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field, message: match.any(String) }]);
  });

  test("every field of the wrong type is reported at once", async () => {
    const { status, body } = await post({ name: 3, notes: 4, company: "no" });
    expect(status).toBe(422);
    expect(body?.errors?.map((e) => e.field)).toEqual(["name", "company", "notes"]);
  });

  test("workspace ids are accepted, as numbers or strings, and ignored: the sandbox has no workspaces", async () => {
    const { status } = await post({ name: uniqueName("With workspaces"), add_workspace_ids: [7, "8"] });
    expect(status).toBe(200);
  });

  test("keys Kantata does not list are ignored, as Rails drops unpermitted parameters", async () => {
    const { status, body } = await post({ name: uniqueName("Described"), description: "there is no such field" });
    expect(status).toBe(200);
    expect(objects(body, "workspace_groups")[0]).not.toHaveProperty("description");
  });

  test("a body without the workspace_group root is a 400", async () => {
    const { status } = await call(sandbox, "POST", "/workspace_groups", { body: { name: "Rootless" } });
    expect(status).toBe(400);
  });
});

describe("PUT /workspace_groups/{id}", () => {
  test("changes only the fields given, answers 200 with the updated group, and moves updated_at", async () => {
    const group = sandbox.store.addWorkspaceGroup({
      name: uniqueName("Support"),
      notes: "old notes",
      website: "https://old.example.com",
      createdAt: "2024-03-01T10:00:00Z",
    });
    const { status, body } = await put(group.id, { notes: "new notes", phone_number: "+1 555 0100" });
    expect(status).toBe(200);
    expect(objects(body, "workspace_groups")).toEqual([
      {
        ...NO_DETAILS,
        id: String(group.id),
        name: group.name,
        company: false,
        notes: "new notes",
        phone_number: "+1 555 0100",
        website: "https://old.example.com",
        created_at: "2024-03-01T10:00:00+00:00",
        updated_at: match.stringMatching(ISO_WITH_OFFSET),
      },
    ]);
    const updatedAt = String(objects(body, "workspace_groups")[0].updated_at);
    expect(Date.parse(updatedAt)).toBeGreaterThan(Date.parse(group.createdAt));
    expect(sandbox.store.getWorkspaceGroup(group.id)).toMatchObject({ notes: "new notes", phoneNumber: "+1 555 0100", updatedAt });
  });

  test("a rename is an update of name, and the new name is trimmed", async () => {
    const group = freshGroup(sandbox);
    const name = uniqueName("Renamed");
    const { status, body } = await put(group.id, { name: ` ${name} ` });
    expect(status).toBe(200);
    expect(objects(body, "workspace_groups")[0].name).toBe(name);
    expect(sandbox.store.findWorkspaceGroupByName(name)?.id).toBe(group.id);
    expect(sandbox.store.findWorkspaceGroupByName(group.name)).toBeUndefined();
  });

  test("a rename to another group's name in another case is refused with 422 on name", async () => {
    const group = freshGroup(sandbox);
    const { status, body } = await put(group.id, { name: "delivery-EMEA", notes: "would be lost" });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field: "name", message: match.any(String) }]);
    expect(sandbox.store.getWorkspaceGroup(group.id)).toEqual(group);
  });

  test("renaming a group to a different case of its own name is allowed", async () => {
    const group = sandbox.store.addWorkspaceGroup({ name: uniqueName("Case Change") });
    const { status, body } = await put(group.id, { name: group.name.toUpperCase() });
    expect(status).toBe(200);
    expect(objects(body, "workspace_groups")[0].name).toBe(group.name.toUpperCase());
    expect(sandbox.store.findWorkspaceGroupByName(group.name)?.name).toBe(group.name.toUpperCase());
  });

  test("null clears a text field", async () => {
    const group = sandbox.store.addWorkspaceGroup({ name: uniqueName("Clear"), notes: "to be cleared" });
    const { body } = await put(group.id, { notes: null });
    expect(objects(body, "workspace_groups")[0].notes).toBeNull();
  });

  test("an update that changes nothing answers the group as it is and leaves updated_at", async () => {
    const group = sandbox.store.addWorkspaceGroup({ name: uniqueName("Same"), notes: "kept", createdAt: "2024-03-01T10:00:00Z" });
    const { status, body } = await put(group.id, { name: group.name, notes: "kept", add_workspace_ids: [], remove_workspace_ids: [] });
    expect(status).toBe(200);
    expect(objects(body, "workspace_groups")[0].updated_at).toBe("2024-03-01T10:00:00+00:00");
  });

  test.each([
    ["a blank name", { name: "  " }, "name"],
    ["a null name", { name: null }, "name"],
    ["a company flag that is not a boolean", { company: 1 }, "company"],
    ["an email that is not text", { email: 42 }, "email"],
    ["remove_workspace_ids that is not a list", { remove_workspace_ids: 3 }, "remove_workspace_ids"],
  ])("%s is refused with 422 on that field, and nothing changes", async (_, fields, field) => {
    const group = freshGroup(sandbox);
    const { status, body } = await put(group.id, fields);
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field, message: match.any(String) }]);
    expect(sandbox.store.getWorkspaceGroup(group.id)).toEqual(group);
  });

  test("a group that does not exist is the sandbox's usual 404, whatever the body", async () => {
    for (const id of ["424242", "abc"]) {
      const { status, body } = await put(id, { name: 7 });
      expect(status).toBe(404);
      expect(body).toEqual(NOT_FOUND);
    }
  });

  test("accepts the .json suffix and counts under its route template", async () => {
    const group = freshGroup(sandbox);
    sandbox.counters.reset();
    const { status } = await call(sandbox, "PUT", `/workspace_groups/${group.id}.json`, { body: { workspace_group: { notes: "x" } } });
    expect(status).toBe(200);
    expect(sandbox.counters.snapshot().byRoute).toEqual({ "PUT /workspace_groups/{id}": 1 });
  });

  test("a body without the workspace_group root is a 400", async () => {
    const group = freshGroup(sandbox);
    const { status } = await call(sandbox, "PUT", `/workspace_groups/${group.id}`, { body: { name: "Rootless" } });
    expect(status).toBe(400);
  });
});

describe("DELETE /workspace_groups/{id}", () => {
  test("answers 204 with no body, after which the group is a 404 to show, update and delete", async () => {
    const group = freshGroup(sandbox);
    const response = await del(group.id);
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    for (const again of [await show(group.id), await put(group.id, { notes: "x" }), await del(group.id)]) {
      expect(again.status).toBe(404);
      expect(again.body).toEqual(NOT_FOUND);
    }
  });

  test("the deleted group's memberships are gone too, and other groups' stay", async () => {
    const [doomed, kept] = [freshGroup(sandbox), freshGroup(sandbox)];
    addMembers(sandbox, doomed, [1001, 1002]);
    addMembers(sandbox, kept, [1001]);
    expect((await del(doomed.id)).status).toBe(204);
    const listed = await call(sandbox, "GET", `/user_group_memberships?group_ids=${doomed.id},${kept.id}`);
    expect(objects(listed.body, "user_group_memberships").map((m) => m.workspace_group_id)).toEqual([String(kept.id)]);
  });

  test("a deleted group's name is free for a new group", async () => {
    const group = freshGroup(sandbox);
    await del(group.id);
    expect((await post({ name: group.name.toLowerCase() })).status).toBe(200);
  });
});

describe("who may write workspace groups", () => {
  test.each([
    ["POST", () => post({ name: uniqueName("Viewer's") }, sandbox.nonAdminToken)],
    ["PUT", () => put(5523, { notes: "viewer was here" }, sandbox.nonAdminToken)],
    ["DELETE", () => del(5523, sandbox.nonAdminToken)],
  ])("%s needs an Account Administrator: the non-administrator token gets a 403 and changes nothing", async (_, write) => {
    const before = sandbox.store.listWorkspaceGroups();
    const { status, body } = await write();
    expect(status).toBe(403);
    expect(body).toEqual({ errors: [{ type: "system", message: match.stringContaining("Account Administrator to manage workspace groups") }] });
    expect(sandbox.store.listWorkspaceGroups()).toEqual(before);
  });

  test("the non-administrator token still reads one group", async () => {
    expect((await call(sandbox, "GET", "/workspace_groups/5521", { token: sandbox.nonAdminToken })).status).toBe(200);
  });
});
