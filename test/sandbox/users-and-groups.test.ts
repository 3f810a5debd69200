import { MAX_EMAIL_ADDRESSES, type Sandbox, startSandbox } from "../../sandbox";
import { match } from "../support/matchers";
import { NO_DETAILS, call, objects, resultIds } from "./helpers";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

const get = (path: string) => call(sandbox, "GET", path);

describe("the demo seed", () => {
  test("holds 20 users from id 1001, all findable on the account, and three workspace groups", async () => {
    const usersPage = await get("/users?on_my_account=true&per_page=200");
    expect(usersPage.body?.count).toBe(20);
    expect(resultIds(usersPage.body)[0]).toBe("1001");
    expect(objects(usersPage.body, "users")[0]).toEqual({ id: "1001", full_name: "Ada Lovelace", email_address: "ada.lovelace@example.com" });
    const groups = await get("/workspace_groups");
    expect(objects(groups.body, "workspace_groups").map((g) => [g.id, g.name])).toEqual([
      ["5522", "Delivery-AMER"],
      ["5521", "Delivery-EMEA"],
      ["5523", "Finance"],
    ]);
  });

  test("ensureUsers adds users after the seed's ids and returns the first count users by id", () => {
    const seeded = sandbox.store.ensureUsers(25);
    expect(seeded.map((u) => u.id)).toEqual(Array.from({ length: 25 }, (_, i) => 1001 + i));
    expect(seeded[24]).toEqual({ id: 1025, fullName: "Sandbox User 1025", emailAddress: "sandbox.user.1025@example.com" });
    expect(sandbox.store.ensureUsers(5)).toHaveLength(5);
    expect(sandbox.store.listUsers()).toHaveLength(25);
  });
});

describe("GET /users", () => {
  test("without on_my_account=true users who share no project are hidden, and the sandbox has no projects", async () => {
    const { status, body } = await get("/users");
    expect(status).toBe(200);
    expect(body?.count).toBe(0);
  });

  test("by_email_address finds one user, case-insensitively", async () => {
    const { body } = await get("/users.json?on_my_account=true&by_email_address=Grace.Hopper@EXAMPLE.com");
    expect(objects(body, "users").map((u) => u.full_name)).toEqual(["Grace Hopper"]);
  });

  test("by_email_addresses takes a comma-separated list and ignores unknown addresses", async () => {
    const { body } = await get(
      "/users?on_my_account=true&by_email_addresses=alan.turing@example.com,nobody@example.com,ada.lovelace@example.com",
    );
    expect(resultIds(body)).toEqual(["1001", "1002"]);
  });

  test("only and per_page work as on every list", async () => {
    const { body } = await get("/users?on_my_account=true&only=1003,1004,1005&per_page=2&page=2");
    expect(resultIds(body)).toEqual(["1005"]);
    expect(body?.meta).toEqual({ count: 3, page_count: 2, page_number: 2, page_size: 2 });
  });

  test("a user added to the store behind the API's back is found by email at once", async () => {
    const user = sandbox.store.addUser({ fullName: "Mary Jackson", emailAddress: "mary.jackson@example.com" });
    const { body } = await get("/users?on_my_account=true&by_email_address=mary.jackson@example.com");
    expect(resultIds(body)).toEqual([String(user.id)]);
    expect(() => sandbox.store.addUser({ fullName: "Copy", emailAddress: "MARY.JACKSON@example.com" })).toThrow(/taken/);
  });

  test("GET /users/{id} shows one user, and an unknown id is a 404 system error", async () => {
    const found = await get("/users/1002");
    expect(objects(found.body, "users")).toEqual([{ id: "1002", full_name: "Alan Turing", email_address: "alan.turing@example.com" }]);
    const missing = await get("/users/4242");
    expect(missing.status).toBe(404);
    expect(missing.body?.errors).toEqual([{ type: "system", message: match.any(String) }]);
  });
});

describe("GET /users by_email_addresses at its documented limit", () => {
  let many: Sandbox;
  beforeAll(async () => {
    many = await startSandbox();
    many.store.ensureUsers(MAX_EMAIL_ADDRESSES + 10);
  });
  afterAll(() => many.stop());

  /** Every user's address, shouted, so the match must ignore case. */
  const shouted = (count: number): string[] =>
    many.store
      .listUsers()
      .slice(0, count)
      .map((u) => u.emailAddress.toUpperCase());

  test("200 comma-separated addresses in one call find all 200 users, case-insensitively", async () => {
    const { status, body } = await call(
      many,
      "GET",
      `/users?on_my_account=true&per_page=200&by_email_addresses=${shouted(MAX_EMAIL_ADDRESSES).join(",")}`,
    );
    expect(status).toBe(200);
    expect(body?.count).toBe(MAX_EMAIL_ADDRESSES);
    expect(objects(body, "users").map((u) => String(u.email_address).toUpperCase())).toEqual(shouted(MAX_EMAIL_ADDRESSES));
  });

  test("more than 200 addresses is a 400 validation error, so a client that does not split its lookups finds out", async () => {
    const { status, body } = await call(
      many,
      "GET",
      `/users?on_my_account=true&by_email_addresses=${shouted(MAX_EMAIL_ADDRESSES + 1).join(",")}`,
    );
    expect(status).toBe(400);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "by_email_addresses" })]);
  });

  test("only with on_my_account=true looks users up by id", async () => {
    const { body } = await call(many, "GET", "/users?on_my_account=true&only=1200,1003,4242");
    expect(resultIds(body)).toEqual(["1003", "1200"]);
  });
});

describe("workspace groups", () => {
  test("POST /workspace_groups answers 200 with an envelope of the new group", async () => {
    const { status, body } = await call(sandbox, "POST", "/workspace_groups", {
      body: { workspace_group: { name: "Platform", company: true } },
    });
    expect(status).toBe(200);
    const [group] = objects(body, "workspace_groups");
    expect(group).toEqual({
      id: match.stringMatching(/^\d+$/),
      name: "Platform",
      company: true,
      ...NO_DETAILS,
      created_at: match.any(String),
      updated_at: group.created_at,
    });
    const shown = await get(`/workspace_groups/${String(group.id)}.json`);
    expect(objects(shown.body, "workspace_groups")).toEqual([group]);
  });

  test("group names are unique, case-insensitively", async () => {
    const { status, body } = await call(sandbox, "POST", "/workspace_groups", { body: { workspace_group: { name: "  delivery-emea " } } });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([{ type: "validation", field: "name", message: "name has already been taken" }]);
  });

  test.each([
    ["a blank name", { name: " " }, "name"],
    ["a name that is not text", { name: 7 }, "name"],
    ["a company flag that is not a boolean", { name: "Legal", company: "yes" }, "company"],
  ])("%s is a 422 validation error on that field", async (_, fields, field) => {
    const { status, body } = await call(sandbox, "POST", "/workspace_groups", { body: { workspace_group: fields } });
    expect(status).toBe(422);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field })]);
  });

  test("matching finds groups whose name contains the text, case-insensitively, and pages like every list", async () => {
    for (const name of ["Matching Alpha", "Beta matching", "The MATCHING one", "Unrelated"]) sandbox.store.addWorkspaceGroup({ name });
    const first = await get("/workspace_groups?matching=matching&per_page=2");
    expect(objects(first.body, "workspace_groups").map((g) => g.name)).toEqual(["Beta matching", "Matching Alpha"]);
    expect(first.body?.meta).toEqual({ count: 3, page_count: 2, page_number: 1, page_size: 2 });
    const second = await get("/workspace_groups?matching=matching&per_page=2&page=2");
    expect(objects(second.body, "workspace_groups").map((g) => g.name)).toEqual(["The MATCHING one"]);
  });

  test("matching is not exact: a group name finds longer names too, so clients must compare themselves", async () => {
    const { body } = await get("/workspace_groups?matching=DELIVERY-");
    expect(objects(body, "workspace_groups").map((g) => g.name)).toEqual(["Delivery-AMER", "Delivery-EMEA"]);
    expect((await get("/workspace_groups?matching=no such group")).body?.count).toBe(0);
  });

  test("the list is ordered by name ignoring case, name:asc by default; name:desc reverses it; other orders are a 400", async () => {
    for (const name of ["order-b", "ORDER-C", "Order-a"]) sandbox.store.addWorkspaceGroup({ name });
    const names = async (query: string) =>
      objects((await get(`/workspace_groups?matching=order-&${query}`)).body, "workspace_groups").map((g) => g.name);
    expect(await names("")).toEqual(["Order-a", "order-b", "ORDER-C"]);
    expect(await names("order=name:desc")).toEqual(["ORDER-C", "order-b", "Order-a"]);
    const { status, body } = await get("/workspace_groups?order=id:asc");
    expect(status).toBe(400);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "order" })]);
  });

  test("a blank matching is no filter", async () => {
    const all = await get("/workspace_groups");
    expect((await get("/workspace_groups?matching=%20")).body?.count).toBe(all.body?.count);
  });

  test("GET /workspace_groups/{id} of an unknown id is a 404 system error", async () => {
    const { status, body } = await get("/workspace_groups/1");
    expect(status).toBe(404);
    expect(body?.errors).toEqual([{ type: "system", message: match.any(String) }]);
  });
});
