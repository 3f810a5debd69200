import fs from "node:fs";
import path from "node:path";
import { DATA_FILE_NAME, type Sandbox, startSandbox } from "../../sandbox";
import { parseCli } from "../../sandbox/cli";
import { addMembers, call, freshGroup, makeTempDir, objects, parseDataFile, resultIds } from "./helpers";

// Demo users: 1001 Ada Lovelace, 1002 Alan Turing, 1003 Grace Hopper.
const STORED_ADMIN = { token: "stored-admin-token", userId: 1003 };

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ extraAdminTokens: [STORED_ADMIN] });
});
afterEach(() => {
  for (const user of sandbox.store.listUsers()) if (user.disabled) sandbox.store.enableUser(user.id);
});
afterAll(() => sandbox.stop());

const get = (path: string, token?: string) => call(sandbox, "GET", path, { token });

describe("GET /users hides disabled users unless show_disabled=true", () => {
  test("a disabled user is missing from the account's list and the count, and back with show_disabled=true", async () => {
    sandbox.store.disableUser(1002);
    const hidden = await get("/users?on_my_account=true&per_page=200");
    expect(hidden.body?.count).toBe(19);
    expect(resultIds(hidden.body)).not.toContain("1002");
    const shown = await get("/users?on_my_account=true&per_page=200&show_disabled=true");
    expect(shown.body?.count).toBe(20);
    expect(resultIds(shown.body).slice(0, 3)).toEqual(["1001", "1002", "1003"]);
  });

  test.each([
    ["by_email_address", "by_email_address=alan.turing@example.com"],
    ["by_email_addresses", "by_email_addresses=ada.lovelace@example.com,ALAN.TURING@example.com"],
    ["only", "only=1001,1002"],
  ])("%s finds a disabled user only with show_disabled=true", async (_, filter) => {
    sandbox.store.disableUser(1002);
    expect(resultIds((await get(`/users?on_my_account=true&${filter}`)).body)).not.toContain("1002");
    expect(resultIds((await get(`/users?on_my_account=true&${filter}&show_disabled=true`)).body)).toContain("1002");
  });

  test.each(["false", "1", "TRUE", ""])("show_disabled=%j is not true and hides them", async (value) => {
    sandbox.store.disableUser(1002);
    const { body } = await get(`/users?on_my_account=true&only=1002&show_disabled=${value}`);
    expect(body?.count).toBe(0);
  });

  test("the wire object has no disabled field: a client tells disabled users apart by asking both ways", async () => {
    sandbox.store.disableUser(1002);
    const { body } = await get("/users?on_my_account=true&only=1002&show_disabled=true");
    expect(objects(body, "users")).toEqual([{ id: "1002", full_name: "Alan Turing", email_address: "alan.turing@example.com" }]);
  });

  test("enableUser shows the user again", async () => {
    sandbox.store.disableUser(1002);
    sandbox.store.enableUser(1002);
    expect(resultIds((await get("/users?on_my_account=true&only=1002")).body)).toEqual(["1002"]);
  });
});

describe("one user", () => {
  test("GET /users/{id} of a disabled user is a 404, like the list, unless show_disabled=true", async () => {
    sandbox.store.disableUser(1002);
    const hidden = await get("/users/1002");
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ errors: [{ type: "system", message: "No user with id 1002" }] });
    const shown = await get("/users/1002.json?show_disabled=true");
    expect(shown.status).toBe(200);
    expect(resultIds(shown.body)).toEqual(["1002"]);
  });

  test("GET /users/me still answers a token whose user is disabled", async () => {
    sandbox.store.disableUser(STORED_ADMIN.userId);
    const { status, body } = await get("/users/me", STORED_ADMIN.token);
    expect(status).toBe(200);
    expect(resultIds(body)).toEqual([String(STORED_ADMIN.userId)]);
  });

  test("memberships side-load a disabled user with include=user: the hiding is documented for GET /users only", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, [1002]);
    sandbox.store.disableUser(1002);
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}&include=user`);
    expect(Object.keys(body?.users ?? {})).toEqual(["1002"]);
  });
});

describe("the store's flag", () => {
  test("disableUser and enableUser return the user as now stored; an active user's record has no disabled field", () => {
    expect(sandbox.store.disableUser(1001)).toEqual({
      id: 1001,
      fullName: "Ada Lovelace",
      emailAddress: "ada.lovelace@example.com",
      disabled: true,
    });
    expect(sandbox.store.findUserByEmail("ADA.LOVELACE@example.com")?.disabled).toBe(true);
    expect(sandbox.store.enableUser(1001)).toEqual({ id: 1001, fullName: "Ada Lovelace", emailAddress: "ada.lovelace@example.com" });
    expect(() => sandbox.store.disableUser(4242)).toThrow(/no user 4242/);
  });

  test("is kept in the data file across a restart", async () => {
    const dir = makeTempDir();
    const started: Sandbox[] = [];
    try {
      const first = await startSandbox({ dataDir: dir });
      started.push(first);
      first.store.disableUser(1005);
      await first.stop();
      const users = parseDataFile(fs.readFileSync(path.join(dir, DATA_FILE_NAME), "utf8")).users;
      expect(users.filter((user) => "disabled" in user)).toEqual([expect.objectContaining({ id: 1005, disabled: true })]);
      const second = await startSandbox({ dataDir: dir });
      started.push(second);
      expect(second.store.getUser(1005)?.disabled).toBe(true);
      expect((await call(second, "GET", "/users/1005")).status).toBe(404);
    } finally {
      await Promise.all(started.map((s) => s.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("disabling users at start", () => {
  test("startSandbox({ disabledUsers }) disables users by email address, in any case", async () => {
    const other = await startSandbox({ disabledUsers: ["GRACE.hopper@example.com", "alan.turing@example.com"] });
    try {
      const { body } = await call(other, "GET", "/users?on_my_account=true&per_page=200");
      expect(body?.count).toBe(18);
      expect(other.store.getUser(1003)?.disabled).toBe(true);
    } finally {
      await other.stop();
    }
  });

  test("an address no user has is a RangeError", async () => {
    await expect(startSandbox({ disabledUsers: ["nobody@example.com"] })).rejects.toThrow(RangeError);
  });

  test("--disable-user may be repeated or comma-separated, and falls back to KANTATA_SANDBOX_DISABLE_USER", () => {
    const argv = ["--disable-user", "a@example.com", "--disable-user=b@example.com, c@example.com"];
    expect(parseCli(argv, {})).toMatchObject({ options: { disabledUsers: ["a@example.com", "b@example.com", "c@example.com"] } });
    expect(parseCli([], { KANTATA_SANDBOX_DISABLE_USER: "d@example.com,e@example.com" })).toMatchObject({
      options: { disabledUsers: ["d@example.com", "e@example.com"] },
    });
    expect(parseCli([], {})).toMatchObject({ options: { disabledUsers: undefined } });
  });
});
