import { ADMIN_USER_ID, MAX_BULK_CREATE, type Sandbox, type UserRecord, startSandbox } from "../../sandbox";
import { match } from "../support/matchers";
import { call, freshGroup, objects, resultIds } from "./helpers";

let sandbox: Sandbox;
let users: UserRecord[];

beforeAll(async () => {
  sandbox = await startSandbox();
  users = sandbox.store.ensureUsers(MAX_BULK_CREATE + 1);
});
afterEach(() => sandbox.setBulkPolicy("all-or-nothing"));
afterAll(() => sandbox.stop());

const post = (body: unknown, query = "") => call(sandbox, "POST", `/user_group_memberships${query}`, { body });
const single = (userId: unknown, workspaceGroupId: unknown) => ({
  user_group_membership: { user_id: userId, workspace_group_id: workspaceGroupId },
});
const bulk = (pairs: ReadonlyArray<readonly [unknown, unknown]>) => ({
  user_group_memberships: pairs.map(([userId, workspaceGroupId]) => ({ user_id: userId, workspace_group_id: workspaceGroupId })),
});
const membersOf = (groupId: number) => sandbox.store.listMemberships().filter((m) => m.workspaceGroupId === groupId);

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe("POST /user_group_memberships", () => {
  test("a single create answers 200 with a list envelope of the new membership", async () => {
    const group = freshGroup(sandbox);
    const { status, body } = await post(single(users[0].id, group.id));
    expect(status).toBe(200);
    const [created] = membersOf(group.id);
    expect(body).toEqual({
      count: 1,
      meta: { count: 1, page_count: 1, page_number: 1, page_size: 1 },
      results: [{ key: "user_group_memberships", id: String(created.id) }],
      user_group_memberships: {
        [String(created.id)]: {
          id: String(created.id),
          user_id: String(users[0].id),
          workspace_group_id: String(group.id),
          creator_id: String(ADMIN_USER_ID),
          created_at: match.stringMatching(ISO_WITH_OFFSET),
        },
      },
    });
  });

  test("a bulk create answers 200 with the created memberships in request order", async () => {
    const group = freshGroup(sandbox);
    const order = [users[3], users[1], users[2]];
    const { status, body } = await post(bulk(order.map((u) => [u.id, group.id])));
    expect(status).toBe(200);
    expect(body?.count).toBe(3);
    expect(objects(body, "user_group_memberships").map((m) => m.user_id)).toEqual(order.map((u) => String(u.id)));
    expect(membersOf(group.id)).toHaveLength(3);
  });

  test("ids given as decimal strings are accepted", async () => {
    const group = freshGroup(sandbox);
    const { status } = await post(single(String(users[0].id), String(group.id)));
    expect(status).toBe(200);
    expect(membersOf(group.id)).toHaveLength(1);
  });

  test("include on a create side-loads the user and the group", async () => {
    const group = freshGroup(sandbox);
    const { body } = await post(single(users[0].id, group.id), "?include=user,workspace_group");
    expect(Object.keys(body?.users as object)).toEqual([String(users[0].id)]);
    expect(Object.keys(body?.workspace_groups as object)).toEqual([String(group.id)]);
  });

  test.each([
    ["a fractional number", 1.5, "must be a positive integer"],
    ["a non-numeric string", "abc", "must be a positive integer"],
    ["a boolean", true, "must be a positive integer"],
    ["zero", 0, "must be a positive integer"],
    ["missing", undefined, "can't be blank"],
  ])("a user_id that is %s is a 422 validation error on user_id", async (_, userId, message) => {
    const group = freshGroup(sandbox);
    const { status, body } = await post(single(userId, group.id));
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field: "user_id", message: `user_id ${message}` }]);
    expect(membersOf(group.id)).toEqual([]);
  });

  test("an unknown user or group is a 422 validation error naming the field", async () => {
    const group = freshGroup(sandbox);
    const unknownUser = await post(single(999_999, group.id));
    expect(unknownUser.status).toBe(422);
    expect(unknownUser.body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "user_id" })]);
    const unknownGroup = await post(single(users[0].id, 999_999));
    expect(unknownGroup.status).toBe(422);
    expect(unknownGroup.body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "workspace_group_id" })]);
  });

  test("adding a user who is already in the group is a 422 validation error on user_id", async () => {
    const group = freshGroup(sandbox);
    sandbox.store.addMembership({ userId: users[0].id, workspaceGroupId: group.id });
    const { status, body } = await post(single(users[0].id, group.id));
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field: "user_id", message: "User has already been added to this group" }]);
    expect(membersOf(group.id)).toHaveLength(1);
  });

  test("a body without the user_group_membership root is a 400", async () => {
    const { status, body } = await post({ user_id: users[0].id, workspace_group_id: 5521 });
    expect(status).toBe(400);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "system" })]);
  });

  test("a malformed JSON body is a 400", async () => {
    const { status, body } = await call(sandbox, "POST", "/user_group_memberships", { rawBody: '{"user_group_membership": {' });
    expect(status).toBe(400);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "system" })]);
  });
});

describe("POST /user_group_memberships: bulk limits and policies", () => {
  test("a bulk create takes 100 objects", async () => {
    const group = freshGroup(sandbox);
    const { status, body } = await post(bulk(users.slice(0, MAX_BULK_CREATE).map((u) => [u.id, group.id])));
    expect(status).toBe(200);
    expect(resultIds(body)).toHaveLength(MAX_BULK_CREATE);
  });

  test("a bulk create of 101 objects is a 422 validation error naming the limit, and creates nothing", async () => {
    const group = freshGroup(sandbox);
    const { status, body } = await post(bulk(users.slice(0, MAX_BULK_CREATE + 1).map((u) => [u.id, group.id])));
    expect(status).toBe(422);
    expect(body?.errors).toEqual([
      expect.objectContaining({ type: "validation", field: "user_group_memberships", message: match.stringContaining("100") }),
    ]);
    expect(membersOf(group.id)).toEqual([]);
  });

  test("an empty bulk body is a 422 validation error", async () => {
    const { status } = await post({ user_group_memberships: [] });
    expect(status).toBe(422);
  });

  test("all-or-nothing: one bad element refuses the whole batch, each error carries its index", async () => {
    const group = freshGroup(sandbox);
    sandbox.store.addMembership({ userId: users[1].id, workspaceGroupId: group.id });
    const { status, body } = await post(
      bulk([
        [users[0].id, group.id],
        [users[1].id, group.id], // member already
        [users[2].id, group.id],
        [users[2].id, group.id], // same pair twice in one body
        ["nope", group.id],
      ]),
    );
    expect(status).toBe(422);
    expect(body?.errors).toEqual([
      { type: "validation", field: "user_id", message: "User has already been added to this group", index: 1 },
      { type: "validation", field: "user_id", message: "User has already been added to this group", index: 3 },
      { type: "validation", field: "user_id", message: "user_id must be a positive integer", index: 4 },
    ]);
    expect(membersOf(group.id).map((m) => m.userId)).toEqual([users[1].id]);
  });

  test("partial: the valid elements are created and the refused ones are absent from a 200", async () => {
    sandbox.setBulkPolicy("partial");
    const group = freshGroup(sandbox);
    sandbox.store.addMembership({ userId: users[1].id, workspaceGroupId: group.id });
    const { status, body } = await post(
      bulk([
        [users[0].id, group.id],
        [users[1].id, group.id],
        [users[2].id, group.id],
        [users[2].id, group.id],
        [999_999, group.id],
      ]),
    );
    expect(status).toBe(200);
    expect(body?.errors).toBeUndefined();
    expect(body?.count).toBe(2);
    expect(objects(body, "user_group_memberships").map((m) => m.user_id)).toEqual([String(users[0].id), String(users[2].id)]);
    expect(membersOf(group.id)).toHaveLength(3);
  });

  test("partial: a bulk body whose elements all fail answers 200 with an empty envelope", async () => {
    sandbox.setBulkPolicy("partial");
    const { status, body } = await post(bulk([[999_999, 5521]]));
    expect(status).toBe(200);
    expect(body?.count).toBe(0);
    expect(body?.meta).toEqual({ count: 0, page_count: 0, page_number: 0, page_size: 0 });
  });

  test("partial: a single-object body that fails is still a 422", async () => {
    sandbox.setBulkPolicy("partial");
    const { status } = await post(single(999_999, 5521));
    expect(status).toBe(422);
  });
});

describe("DELETE /user_group_memberships/{id}", () => {
  test("deleting answers 204 with no body, and deleting again answers 404", async () => {
    const group = freshGroup(sandbox);
    const membership = sandbox.store.addMembership({ userId: users[0].id, workspaceGroupId: group.id });
    const first = await call(sandbox, "DELETE", `/user_group_memberships/${membership.id}`);
    expect(first.status).toBe(204);
    expect(first.body).toBeUndefined();
    expect(sandbox.store.getMembership(membership.id)).toBeUndefined();
    const second = await call(sandbox, "DELETE", `/user_group_memberships/${membership.id}.json`);
    expect(second.status).toBe(404);
    expect(second.body?.errors).toEqual([{ type: "system", message: match.any(String) }]);
  });

  test("a deleted membership disappears from only= lookups", async () => {
    const group = freshGroup(sandbox);
    const membership = sandbox.store.addMembership({ userId: users[0].id, workspaceGroupId: group.id });
    await call(sandbox, "DELETE", `/user_group_memberships/${membership.id}`);
    const { status, body } = await call(sandbox, "GET", `/user_group_memberships?only=${membership.id}`);
    expect(status).toBe(200);
    expect(body?.results).toEqual([]);
  });

  test("a non-numeric id is a 404", async () => {
    const { status } = await call(sandbox, "DELETE", "/user_group_memberships/abc");
    expect(status).toBe(404);
  });
});
