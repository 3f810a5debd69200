import { ADMIN_USER_ID, NON_ADMIN_USER_ID, SYSTEM_CREATOR_ID, type Sandbox, startSandbox } from "../../sandbox";
import { match } from "../support/matchers";
import { call, freshGroup, objects } from "./helpers";

const SECOND_ADMIN = { token: "second-admin-token", userId: 21 };
const STORED_ADMIN = { token: "stored-admin-token", userId: 1004 };

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ extraAdminTokens: [SECOND_ADMIN, STORED_ADMIN] });
});
afterAll(() => sandbox.stop());

const me = (token: string) => call(sandbox, "GET", "/users/me", { token });
const addMembership = (token: string, userId: number, groupId: number) =>
  call(sandbox, "POST", "/user_group_memberships", { token, body: { user_group_membership: { user_id: userId, workspace_group_id: groupId } } });

describe("GET /users/me", () => {
  test("answers the admin token's own user, 12, in the single-object envelope", async () => {
    const { status, body } = await me(sandbox.token);
    expect(status).toBe(200);
    expect(body).toEqual({
      count: 1,
      meta: { count: 1, page_count: 1, page_number: 1, page_size: 1 },
      results: [{ key: "users", id: String(ADMIN_USER_ID) }],
      users: {
        [String(ADMIN_USER_ID)]: { id: String(ADMIN_USER_ID), full_name: match.any(String), email_address: match.stringContaining("@") },
      },
    });
  });

  test("answers user 13 for the non-administrator token, and works with the .json suffix", async () => {
    const { status, body } = await call(sandbox, "GET", "/users/me.json", { token: sandbox.nonAdminToken });
    expect(status).toBe(200);
    expect(objects(body, "users").map((u) => u.id)).toEqual([String(NON_ADMIN_USER_ID)]);
  });

  test("answers an extra admin token's user, and the store's record when that user is a store user", async () => {
    expect(objects((await me(SECOND_ADMIN.token)).body, "users").map((u) => u.id)).toEqual([String(SECOND_ADMIN.userId)]);
    expect(objects((await me(STORED_ADMIN.token)).body, "users")).toEqual([
      { id: "1004", full_name: "Edsger Dijkstra", email_address: "edsger.dijkstra@example.com" },
    ]);
  });

  test("without a valid token is a 401 like every other route", async () => {
    expect((await call(sandbox, "GET", "/users/me", { token: null })).status).toBe(401);
  });

  test("the token users are not account users: the seed's 20 users stay the whole list", async () => {
    const { body } = await call(sandbox, "GET", "/users?on_my_account=true&per_page=200");
    expect(body?.count).toBe(20);
    expect((await call(sandbox, "GET", `/users/${ADMIN_USER_ID}`)).status).toBe(404);
  });
});

describe("creator_id", () => {
  test("a membership created through the API records the caller's user; two admin tokens give two creator ids", async () => {
    const group = freshGroup(sandbox);
    const byAdmin = await addMembership(sandbox.token, 1001, group.id);
    const bySecond = await addMembership(SECOND_ADMIN.token, 1002, group.id);
    expect([byAdmin.status, bySecond.status]).toEqual([200, 200]);
    expect(objects(byAdmin.body, "user_group_memberships")[0].creator_id).toBe(String(ADMIN_USER_ID));
    expect(objects(bySecond.body, "user_group_memberships")[0].creator_id).toBe(String(SECOND_ADMIN.userId));
    const listed = await call(sandbox, "GET", `/user_group_memberships?group_ids=${group.id}&order=created_at:asc`);
    expect(objects(listed.body, "user_group_memberships").map((m) => [m.user_id, m.creator_id])).toEqual([
      ["1001", String(ADMIN_USER_ID)],
      ["1002", String(SECOND_ADMIN.userId)],
    ]);
  });

  test("a membership inserted directly in the store keeps the system creator", () => {
    const group = freshGroup(sandbox);
    expect(sandbox.store.addMembership({ userId: 1003, workspaceGroupId: group.id }).creatorId).toBe(SYSTEM_CREATOR_ID);
  });

  test.each([
    ["an extra token equal to the admin token", [{ token: "sandbox-token", userId: 30 }]],
    [
      "two extra tokens that are the same",
      [
        { token: "x", userId: 30 },
        { token: "x", userId: 31 },
      ],
    ],
    ["a user id that is not a positive integer", [{ token: "y", userId: 0 }]],
  ])("%s is refused with a RangeError", async (_, extraAdminTokens) => {
    await expect(startSandbox({ extraAdminTokens })).rejects.toThrow(RangeError);
  });
});
