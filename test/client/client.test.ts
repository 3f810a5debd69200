import { inspect } from "node:util";
import type { Sandbox } from "../../sandbox";
import { HttpTransport } from "../../provider/kantata/http";
import { isKantataApiError, KantataApiError, resolveSettings } from "../../provider/kantata";
import {
  CREATE,
  DELETE,
  FAST_RETRIES,
  LIST,
  SECRET_TOKEN,
  clientFor,
  membersOf,
  routeCount,
  seedGroup,
  startTestSandbox,
} from "../support/sandbox";
import { match } from "../support/matchers";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.setBulkPolicy("all-or-nothing");
  sandbox.counters.reset();
});

/** A fresh group per test keeps tests independent within one sandbox. */
let groupCounter = 0;
const newGroup = (): number => sandbox.store.addWorkspaceGroup({ name: `client-test-${++groupCounter}` }).id;
const pairs = (groupId: number, users: number[]) => users.map((userId) => ({ userId, workspaceGroupId: groupId }));

describe("listing memberships", () => {
  it.each([199, 200, 201, 401])("returns all %i members of a group, 200 per page", async (count) => {
    const group = newGroup();
    const users = seedGroup(sandbox, group, count);
    sandbox.counters.reset();
    const listed = await clientFor(sandbox).listMemberships({ groupIds: [group] });
    expect(listed.map((m) => m.userId).sort((a, b) => a - b)).toEqual(users);
    expect(routeCount(sandbox, LIST)).toBe(Math.max(1, Math.ceil(count / 200)));
  });

  it("normalises ids to numbers and filters by user_ids, group_ids and only", async () => {
    const [g1, g2] = [newGroup(), newGroup()];
    const [a, b] = seedGroup(sandbox, g1, 2);
    seedGroup(sandbox, g2, 1, 2);
    const client = clientFor(sandbox);
    const inG1 = await client.listMemberships({ groupIds: [g1] });
    expect(inG1).toHaveLength(2);
    expect(inG1[0]).toEqual({
      id: match.any(Number),
      userId: match.any(Number),
      workspaceGroupId: g1,
      creatorId: match.any(Number),
      createdAt: match.stringMatching(/^\d{4}-\d\d-\d\dT.*[+-]\d\d:\d\d$/),
    });
    const byUser = await client.listMemberships({ userIds: [a], groupIds: [g1, g2] });
    expect(byUser.map((m) => m.userId)).toEqual([a]);
    const byId = await client.listMemberships({ only: [inG1[1].id] });
    expect(byId).toEqual([inG1[1]]);
    expect(await client.listMemberships({ only: [99999999] })).toEqual([]);
    expect(await client.findPairs(pairs(g1, [b, 424242]))).toHaveLength(1);
  });

  it("orders by created_at ascending or descending", async () => {
    const group = newGroup();
    const users = sandbox.store.ensureUsers(3);
    users.forEach((u, i) =>
      sandbox.store.addMembership({ userId: u.id, workspaceGroupId: group, createdAt: `2025-01-0${3 - i}T10:00:00+00:00` }),
    );
    const client = clientFor(sandbox);
    const asc = await client.listMemberships({ groupIds: [group], order: "created_at:asc" });
    const desc = await client.listMemberships({ groupIds: [group], order: "created_at:desc" });
    expect(asc.map((m) => m.createdAt)).toEqual([...desc.map((m) => m.createdAt)].reverse());
    expect(asc[0].createdAt).toBe("2025-01-01T10:00:00+00:00");
  });
});

describe("creating memberships", () => {
  it("creates 250 members with 3 POSTs", async () => {
    const group = newGroup();
    const users = sandbox.store.ensureUsers(250).map((u) => u.id);
    const outcome = await clientFor(sandbox).createMemberships(pairs(group, users));
    expect(outcome.created).toHaveLength(250);
    expect(outcome.failed).toEqual([]);
    expect(routeCount(sandbox, CREATE)).toBe(3);
    expect(membersOf(sandbox, group)).toHaveLength(250);
  });

  it.each(["all-or-nothing", "partial"] as const)(
    "with a %s bulk API, reports a member-already as existing and creates the rest",
    async (policy) => {
      sandbox.setBulkPolicy(policy);
      const group = newGroup();
      const [already] = seedGroup(sandbox, group, 1);
      const others = sandbox.store
        .ensureUsers(5)
        .map((u) => u.id)
        .filter((u) => u !== already)
        .slice(0, 3);
      const outcome = await clientFor(sandbox).createMemberships(pairs(group, [already, ...others]));
      expect(outcome.existing.map((m) => m.userId)).toEqual([already]);
      expect(outcome.created.map((m) => m.userId).sort((x, y) => x - y)).toEqual([...others].sort((x, y) => x - y));
      expect(outcome.failed).toEqual([]);
      expect(membersOf(sandbox, group)).toHaveLength(4);
    },
  );

  it.each([
    // All-or-nothing refuses the whole batch with a 422 that names the element; the pair keeps that 422.
    [
      "all-or-nothing",
      { kind: "validation", status: 422 },
      /^Kantata OX rejected the data: user_id: user 987654 does not exist \(POST \/user_group_memberships, HTTP 422, request id [\w-]+\)\.$/,
    ],
    // Partial answers 200 without the refused element; the client re-lists and reports it as not created.
    [
      "partial",
      { kind: "unexpected", status: undefined },
      /^Kantata OX answered unexpectedly \(Kantata accepted the batch but did not create user 987654 in group \d+\) \(POST \/user_group_memberships\)\.$/,
    ],
  ] as const)("with a %s bulk API, isolates a refused user and still creates the others", async (policy, expectedError, expectedMessage) => {
    sandbox.setBulkPolicy(policy);
    const group = newGroup();
    const users = sandbox.store.ensureUsers(4).map((u) => u.id);
    const outcome = await clientFor(sandbox).createMemberships(pairs(group, [users[0], 987654, users[1], users[2]]));
    expect(outcome.created).toHaveLength(3);
    expect(outcome.failed.map((f) => f.pair.userId)).toEqual([987654]);
    expect(outcome.failed[0].error).toMatchObject(expectedError);
    expect(outcome.failed[0].error.message).toMatch(expectedMessage);
  });

  it("never repeats a POST blindly: a create whose response was lost is found by re-listing, not duplicated", async () => {
    const group = newGroup();
    const users = sandbox.store.ensureUsers(3).map((u) => u.id);
    sandbox.faults.failNext(1, "503-after-commit", { method: "POST", path: "/user_group_memberships" });
    const outcome = await clientFor(sandbox).createMemberships(pairs(group, users));
    expect(outcome.created).toHaveLength(3);
    expect(routeCount(sandbox, CREATE)).toBe(1);
    expect(membersOf(sandbox, group)).toHaveLength(3);
  });

  it("retries a create that failed before it was applied (reset, 429) and creates each member once", async () => {
    const group = newGroup();
    const users = sandbox.store.ensureUsers(2).map((u) => u.id);
    sandbox.faults.failNext(1, "reset", { method: "POST" });
    sandbox.faults.failNext(1, "429", { method: "POST" });
    const outcome = await clientFor(sandbox).createMemberships(pairs(group, users));
    expect(outcome.created).toHaveLength(2);
    expect(routeCount(sandbox, CREATE)).toBe(3);
    expect(membersOf(sandbox, group)).toHaveLength(2);
  });
});

describe("deleting memberships", () => {
  it("deletes by id, and treats an already-gone membership (404) as done", async () => {
    const group = newGroup();
    seedGroup(sandbox, group, 1);
    const [membership] = await clientFor(sandbox).listMemberships({ groupIds: [group] });
    await expect(clientFor(sandbox).deleteMembership(membership.id)).resolves.toBe("deleted");
    await expect(clientFor(sandbox).deleteMembership(membership.id)).resolves.toBe("already_gone");
    expect(routeCount(sandbox, DELETE)).toBe(2);
  });
});

describe("errors and retries", () => {
  const expectApiError = async (promise: Promise<unknown>): Promise<KantataApiError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKantataApiError(error)).toBe(true);
    return error as KantataApiError;
  };

  it("401: says the token is invalid and how to set it", async () => {
    const error = await expectApiError(clientFor(sandbox, "wrong-token-value").listMemberships({}));
    expect(error).toMatchObject({ kind: "unauthorized", status: 401, retryable: false });
    expect(error.message).toMatch(/rejected the API token \(401: Invalid OAuth 2 Request\).*kantata:apiToken or KANTATA_API_TOKEN/);
    expect(error.requestId).toEqual(expect.any(String));
  });

  it("403: says the token's user must be an Account Administrator", async () => {
    const error = await expectApiError(clientFor(sandbox, sandbox.nonAdminToken).listMemberships({}));
    expect(error).toMatchObject({ kind: "forbidden", status: 403 });
    expect(error.message).toContain("must be an Account Administrator");
  });

  it("404: points at the ids and the base URL", async () => {
    const transport = new HttpTransport(resolveSettings({ explicit: { baseUrl: sandbox.url, apiToken: sandbox.token } }));
    const error = await expectApiError(transport.send({ method: "GET", path: "/no_such_thing" }));
    expect(error).toMatchObject({ kind: "not_found", status: 404 });
    expect(error.message).toContain("kantata:baseUrl ends in /api/v1");
  });

  it("400 and 422: carry Kantata's own validation message and field", async () => {
    const transport = new HttpTransport(resolveSettings({ explicit: { baseUrl: sandbox.url, apiToken: sandbox.token } }));
    const bad = await expectApiError(transport.send({ method: "GET", path: "/user_group_memberships", params: { order: "sideways" } }));
    expect(bad).toMatchObject({ kind: "bad_request", status: 400 });
    expect(bad.message).toContain("order must be one of");
    const outcome = await clientFor(sandbox).createMemberships([{ userId: 987654, workspaceGroupId: newGroup() }]);
    expect(outcome.failed[0].error).toMatchObject({ kind: "validation", status: 422 });
    expect(outcome.failed[0].error.details[0].field).toEqual(expect.any(String));
  });

  it("429 and 503 are retried with backoff until the request succeeds", async () => {
    const group = newGroup();
    seedGroup(sandbox, group, 2);
    sandbox.faults.failNext(1, "429", { method: "GET" });
    sandbox.faults.failNext(1, "503", { method: "GET" });
    sandbox.faults.failNext(1, "reset", { method: "GET" });
    await expect(clientFor(sandbox).listMemberships({ groupIds: [group] })).resolves.toHaveLength(2);
    expect(routeCount(sandbox, LIST)).toBe(4);
  });

  it("honours Retry-After", async () => {
    sandbox.faults.failNext(1, "429-retry-after", { method: "GET", retryAfterSeconds: 1 });
    const started = Date.now();
    await clientFor(sandbox).listMemberships({ groupIds: [newGroup()] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("gives up with a 'service busy' message once the retry budget is spent", async () => {
    sandbox.faults.failNext(100_000, "503", { method: "GET" });
    const error = await expectApiError(clientFor(sandbox, sandbox.token, { ...FAST_RETRIES, maxElapsedMs: 150 }).listMemberships({}));
    expect(error).toMatchObject({ kind: "unavailable", status: 503 });
    expect(error.message).toContain("is busy");
    // How many attempts fit in the budget depends on the machine; test/client/resilience.test.ts and
    // test/unit/retryBudget.test.ts check that 429/503 are bounded by time, not by maxAttempts.
    expect(routeCount(sandbox, LIST)).toBeGreaterThanOrEqual(2);
  });

  it("a network failure names the cause and the base URL setting", async () => {
    const client = clientFor({ ...sandbox, url: "http://127.0.0.1:9/api/v1" });
    const error = await expectApiError(client.listMemberships({}));
    expect(error).toMatchObject({ kind: "network" });
    expect(error.message).toMatch(/ECONNREFUSED.*kantata:baseUrl/);
  });

  it("never shows the token: not in messages, stacks, JSON or util.inspect of any error", async () => {
    const errors = [
      await expectApiError(clientFor(sandbox, `${SECRET_TOKEN}-wrong`).listMemberships({})),
      await expectApiError(clientFor({ ...sandbox, url: "http://127.0.0.1:9/api/v1" }).listMemberships({})),
    ];
    sandbox.faults.failNext(100_000, "503");
    errors.push(await expectApiError(clientFor(sandbox, sandbox.token, { ...FAST_RETRIES, maxElapsedMs: 100 }).listMemberships({})));
    for (const error of errors) {
      for (const text of [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
        expect(text).not.toContain(SECRET_TOKEN);
      }
    }
    const settings = resolveSettings({ explicit: { apiToken: SECRET_TOKEN } });
    expect(inspect(settings, { depth: 10, showHidden: true })).not.toContain(SECRET_TOKEN);
    expect(JSON.stringify(settings)).not.toContain(SECRET_TOKEN);
  });
});

describe("reading people and groups", () => {
  const USERS = "GET /users";

  it.each([1, 200, 201, 450])("reads a group of %i members with their users side-loaded, 200 per page", async (count) => {
    const group = newGroup();
    const users = seedGroup(sandbox, group, count);
    sandbox.counters.reset();
    const { memberships, users: byId } = await clientFor(sandbox).listGroupMembers(group);
    expect(memberships.map((m) => m.userId).sort((a, b) => a - b)).toEqual(users);
    expect(memberships.every((m) => m.workspaceGroupId === group && typeof m.id === "number")).toBe(true);
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual(users);
    expect(byId.get(users[0])).toEqual({ id: users[0], email: sandbox.store.getUser(users[0])!.emailAddress, fullName: match.any(String) });
    expect(routeCount(sandbox, LIST)).toBe(Math.ceil(count / 200));
    expect(routeCount(sandbox, USERS)).toBe(0);
  });

  it("finds users by email, case-insensitively, 200 addresses per GET, leaving unknown ones out", async () => {
    const users = sandbox.store.ensureUsers(450);
    sandbox.counters.reset();
    const emails = [...users.map((u, i) => (i % 2 ? u.emailAddress.toUpperCase() : u.emailAddress)), "nobody@example.com"];
    const found = await clientFor(sandbox).findUsersByEmail(emails);
    expect(found.map((u) => u.id).sort((a, b) => a - b)).toEqual(users.map((u) => u.id));
    expect(routeCount(sandbox, USERS)).toBe(Math.ceil(451 / 200));
  });

  it("finds users by id, leaving ids that do not exist out", async () => {
    const found = await clientFor(sandbox).findUsersById([1003, 1001, 987654]);
    expect(found.map((u) => [u.id, u.email])).toEqual([
      [1001, "ada.lovelace@example.com"],
      [1003, "grace.hopper@example.com"],
    ]);
    expect(await clientFor(sandbox).findUsersById([])).toEqual([]);
  });

  it("lists every user of the account, across pages", async () => {
    const count = sandbox.store.listUsers().length;
    sandbox.counters.reset();
    const all = await clientFor(sandbox).listAllUsers();
    expect(all).toHaveLength(count);
    expect(routeCount(sandbox, USERS)).toBe(Math.max(1, Math.ceil(count / 200)));
  });

  it("lists workspace groups, by id with only=, and by name with matching=", async () => {
    const client = clientFor(sandbox);
    expect(await client.listWorkspaceGroups({ only: [5523, 5521] })).toEqual([
      { id: 5521, name: "Delivery-EMEA", company: false, createdAt: match.any(String) },
      { id: 5523, name: "Finance", company: false, createdAt: match.any(String) },
    ]);
    expect(await client.listWorkspaceGroups({ only: [987654] })).toEqual([]);
    sandbox.counters.reset();
    expect(await client.listWorkspaceGroups({ only: [] })).toEqual([]);
    expect(sandbox.counters.snapshot().total).toBe(0);
    // Kantata's `matching` is loose ("similar to"); the caller compares exactly, so only inclusion is asserted.
    expect(await client.listWorkspaceGroups({ matching: "Finance" })).toContainEqual(match.objectContaining({ id: 5523, name: "Finance" }));
  });
});

describe("the workspace group lifecycle", () => {
  const GROUPS = "GET /workspace_groups";
  const CREATE_GROUP = "POST /workspace_groups";
  let counter = 0;
  const uniqueName = (prefix: string) => `${prefix} ${++counter}`;

  it("creates a group with its details in one POST, reading every field back in the provider's terms", async () => {
    const name = uniqueName("Finance Ops");
    const group = await clientFor(sandbox).createWorkspaceGroup({ name, notes: "Billing", externalReference: "hr:42", company: true });
    expect(group).toEqual({
      id: match.any(Number),
      name,
      company: true,
      notes: "Billing",
      externalReference: "hr:42",
      createdAt: match.any(String),
    });
    expect(sandbox.counters.snapshot().total).toBe(1);
    expect(sandbox.store.getWorkspaceGroup(group.id)).toMatchObject({ name, notes: "Billing", externalReference: "hr:42", company: true });
  });

  it("finds a group by its exact name ignoring case, never by a mere similarity, in one GET", async () => {
    const name = uniqueName("Delivery North");
    const created = await clientFor(sandbox).createWorkspaceGroup({ name });
    await clientFor(sandbox).createWorkspaceGroup({ name: `${name} and South` });
    sandbox.counters.reset();
    expect(await clientFor(sandbox).findWorkspaceGroupByName(`  ${name.toUpperCase()} `)).toEqual(created);
    expect(await clientFor(sandbox).findWorkspaceGroupByName(name.slice(0, -1))).toBeUndefined();
    expect(routeCount(sandbox, GROUPS)).toBe(2);
  });

  it("never repeats a create blindly: a POST whose response was lost is found by name, not made twice", async () => {
    const name = uniqueName("Lost Response");
    sandbox.faults.failNext(1, "503-after-commit", { method: "POST", path: "/workspace_groups" });
    const group = await clientFor(sandbox).createWorkspaceGroup({ name, notes: "once" });
    expect(sandbox.store.listWorkspaceGroups().filter((g) => g.name === name)).toEqual([match.objectContaining({ id: group.id })]);
    expect([routeCount(sandbox, CREATE_GROUP), routeCount(sandbox, GROUPS)]).toEqual([1, 1]);
  });

  it("a create refused before it happened (429) is sent again after the look-up finds nothing", async () => {
    const name = uniqueName("Busy");
    sandbox.faults.failNext(1, "429", { method: "POST", path: "/workspace_groups" });
    const group = await clientFor(sandbox).createWorkspaceGroup({ name });
    expect(sandbox.store.getWorkspaceGroup(group.id)?.name).toBe(name);
    expect([routeCount(sandbox, CREATE_GROUP), routeCount(sandbox, GROUPS)]).toEqual([2, 1]);
  });

  it("a name another group holds in another case is Kantata's 422 on name, thrown as it is", async () => {
    const error = await clientFor(sandbox)
      .createWorkspaceGroup({ name: "FINANCE" })
      .catch((e: unknown) => e);
    expect(isKantataApiError(error) && [error.kind, error.details.map((d) => d.field)]).toEqual(["validation", ["name"]]);
  });

  it("updates only the fields given (a rename is a PUT of the name; null clears a detail) and answers the group as it now is", async () => {
    const client = clientFor(sandbox);
    const { id } = await client.createWorkspaceGroup({ name: uniqueName("Before"), notes: "old", website: "https://x.example" });
    const renamed = uniqueName("After");
    sandbox.counters.reset();
    expect(await client.updateWorkspaceGroup(id, { name: renamed, notes: null })).toEqual({
      id,
      name: renamed,
      company: false,
      website: "https://x.example",
      createdAt: match.any(String),
    });
    expect(sandbox.counters.snapshot().byRoute).toEqual({ "PUT /workspace_groups/{id}": 1 });
  });

  it("deletes a group in one DELETE; a group already gone counts as deleted; a deleted group is no longer found", async () => {
    const client = clientFor(sandbox);
    const { id } = await client.createWorkspaceGroup({ name: uniqueName("Short-lived") });
    expect(await client.deleteWorkspaceGroup(id)).toBe("deleted");
    expect(await client.deleteWorkspaceGroup(id)).toBe("already_gone");
    expect(await client.findWorkspaceGroup(id)).toBeUndefined();
  });
});

describe("an answer that is not what Kantata documents", () => {
  /** A one-page listing of one membership object, as Kantata sends it but for the object. */
  const listing = (membership: unknown) => ({
    count: 1,
    meta: { count: 1, page_count: 1, page_number: 1, page_size: 200 },
    results: [{ key: "user_group_memberships", id: "9" }],
    user_group_memberships: { 9: membership },
  });
  it.each([
    ["a body without a results list", { count: 1 }],
    [
      "results naming an object the body does not hold",
      { count: 1, results: [{ key: "user_group_memberships", id: "9" }], user_group_memberships: {} },
    ],
    // Found by test/client/malformedAnswersProperties.test.ts: these read as ids 0 or NaN, a TypeError, or a partial list.
    ["a membership whose group id is null", listing({ id: "9", user_id: 3, workspace_group_id: null })],
    ["a membership without a user id", listing({ id: "9", workspace_group_id: 1 })],
    ["a membership whose id is not a number", listing({ id: "nine", user_id: 3, workspace_group_id: 1 })],
    ["a membership that is not an object", listing("9")],
    ["results holding null", { ...listing({ id: "9", user_id: 3, workspace_group_id: 1 }), results: [null] }],
    ["a count that is not a number", { ...listing({ id: "9", user_id: 3, workspace_group_id: 1 }), count: "many" }],
    ["no count", { ...listing({ id: "9", user_id: 3, workspace_group_id: 1 }), count: undefined }],
    ["no meta.page_count", { ...listing({ id: "9", user_id: 3, workspace_group_id: 1 }), meta: { count: 1 } }],
  ])("%s is the one error type (kind unexpected, the request named), not a TypeError", async (_what, body) => {
    const { createServer } = await import("node:http");
    const server = createServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const client = clientFor({ ...sandbox, url: `http://127.0.0.1:${port}/api/v1` });
      const error = (await client.listMemberships({ groupIds: [1] }).catch((e: unknown) => e)) as KantataApiError;
      expect(isKantataApiError(error)).toBe(true);
      expect(error).toMatchObject({ kind: "unexpected", status: 200, method: "GET", path: "/user_group_memberships" });
      expect(error.message).toMatch(/^Kantata OX answered unexpectedly \(the response body .+\) \(GET \/user_group_memberships, HTTP 200\)\.$/);
    } finally {
      server.close();
    }
  });
});
