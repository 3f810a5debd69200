import { type FaultConfig, type Sandbox, type SandboxOptions, startSandbox } from "../../sandbox";
import { mulberry32 } from "../../sandbox/faults";
import { match } from "../support/matchers";
import { call } from "./helpers";

const sandboxes: Sandbox[] = [];
async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  sandboxes.push(sandbox);
  return sandbox;
}
afterAll(() => Promise.all(sandboxes.map((s) => s.stop())));

/** The status of each of `count` sequential GETs; a dropped connection shows as "reset". */
async function outcomes(sandbox: Sandbox, count: number): Promise<Array<number | "reset">> {
  const seen: Array<number | "reset"> = [];
  for (let i = 0; i < count; i++) {
    seen.push(
      await call(sandbox, "GET", "/workspace_groups").then(
        (r) => r.status,
        () => "reset" as const,
      ),
    );
  }
  return seen;
}

const MIXED: FaultConfig = { rate: 0.4, kinds: ["429", "503", "reset"] };
const addUserToGroup = { user_group_membership: { user_id: 1001, workspace_group_id: 5521 } };

describe("latency", () => {
  test("latencyMs delays every request by at least that long", async () => {
    const sandbox = await start({ latencyMs: 120 });
    const started = Date.now();
    await call(sandbox, "GET", "/workspace_groups");
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  test("concurrent requests wait in parallel, not in turn", async () => {
    const sandbox = await start({ latencyMs: 100 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => call(sandbox, "GET", "/workspace_groups")));
    expect(Date.now() - started).toBeLessThan(400);
  });

  test("setLatency changes the delay of later requests", async () => {
    const sandbox = await start({ latencyMs: 300 });
    sandbox.setLatency(0);
    const started = Date.now();
    await call(sandbox, "GET", "/workspace_groups");
    expect(Date.now() - started).toBeLessThan(200);
    expect(() => sandbox.setLatency(-1)).toThrow(RangeError);
  });
});

describe("seeded random faults", () => {
  test("mulberry32 gives the same numbers in [0, 1) for the same seed", () => {
    const [a, b] = [mulberry32(42), mulberry32(42)];
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    expect(first.every((n) => n >= 0 && n < 1)).toBe(true);
  });

  test("the same seed fails the same requests with the same kinds", async () => {
    const [a, b] = [await start({ seed: 42, faults: MIXED }), await start({ seed: 42, faults: MIXED })];
    const sequence = await outcomes(a, 40);
    expect(await outcomes(b, 40)).toEqual(sequence);
    expect(sequence).toEqual(expect.arrayContaining([200, 429, 503, "reset"]));
  });

  test("a different seed gives a different sequence", async () => {
    const [a, b] = [await start({ seed: 1, faults: MIXED }), await start({ seed: 2, faults: MIXED })];
    expect(await outcomes(b, 40)).not.toEqual(await outcomes(a, 40));
  });

  test("set() restarts the seeded sequence", async () => {
    const sandbox = await start({ seed: 9, faults: MIXED });
    const first = await outcomes(sandbox, 20);
    sandbox.faults.set(MIXED);
    expect(await outcomes(sandbox, 20)).toEqual(first);
  });

  test("scripted faults do not shift which later requests the seed fails", async () => {
    const [plain, scripted] = [await start({ seed: 5, faults: MIXED }), await start({ seed: 5, faults: MIXED })];
    scripted.faults.failNext(1, "503");
    const expected = await outcomes(plain, 30);
    const actual = await outcomes(scripted, 30);
    expect(actual[0]).toBe(503);
    expect(actual.slice(1)).toEqual(expected.slice(1));
  });

  test("rate 1 fails every request and clear() stops all faults", async () => {
    const sandbox = await start({ faults: { rate: 1, kinds: ["503"] } });
    expect(await outcomes(sandbox, 5)).toEqual([503, 503, 503, 503, 503]);
    sandbox.faults.clear();
    expect(await outcomes(sandbox, 3)).toEqual([200, 200, 200]);
  });

  test("a rate outside 0..1 or a rate without kinds is refused", async () => {
    const sandbox = await start();
    expect(() => sandbox.faults.set({ rate: 1.5, kinds: ["503"] })).toThrow(RangeError);
    expect(() => sandbox.faults.set({ rate: 0.5, kinds: [] })).toThrow(RangeError);
  });
});

describe("scripted faults", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await start();
  });

  test("failNext fails exactly the next n requests, then lets requests through", async () => {
    sandbox.faults.failNext(2, "429");
    expect(await outcomes(sandbox, 3)).toEqual([429, 429, 200]);
  });

  test("failNext matches by method and route template, and other requests pass untouched", async () => {
    const [a, b] = sandbox.store.addMemberships([
      { userId: 1001, workspaceGroupId: 5521 },
      { userId: 1002, workspaceGroupId: 5521 },
    ]);
    sandbox.faults.failNext(1, "503", { method: "delete", path: "/user_group_memberships/{id}" });
    expect((await call(sandbox, "GET", "/user_group_memberships")).status).toBe(200);
    expect((await call(sandbox, "DELETE", `/user_group_memberships/${a.id}`)).status).toBe(503);
    expect((await call(sandbox, "DELETE", `/user_group_memberships/${b.id}`)).status).toBe(204);
  });

  test("failNext matches a concrete path with or without the .json suffix", async () => {
    sandbox.faults.failNext(1, "503", { path: "/workspace_groups/5522" });
    expect((await call(sandbox, "GET", "/workspace_groups/5521")).status).toBe(200);
    expect((await call(sandbox, "GET", "/workspace_groups/5522.json")).status).toBe(503);
  });

  test("a fault strikes before the handler, so a faulted POST creates nothing", async () => {
    sandbox.faults.failNext(1, "503", { method: "POST" });
    const { status, body } = await call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup });
    expect(status).toBe(503);
    expect(body).toEqual({ errors: [{ type: "system", message: match.any(String) }] });
    expect(sandbox.store.listMemberships()).toEqual([]);
  });

  test("429 has no Retry-After header; 429-retry-after carries the configured seconds", async () => {
    sandbox.faults.failNext(1, "429");
    sandbox.faults.failNext(1, "429-retry-after", { retryAfterSeconds: 3 });
    const plain = await call(sandbox, "GET", "/workspace_groups");
    const withHeader = await call(sandbox, "GET", "/workspace_groups");
    expect([plain.status, plain.headers.get("retry-after")]).toEqual([429, null]);
    expect([withHeader.status, withHeader.headers.get("retry-after")]).toEqual([429, "3"]);
  });

  test("reset drops the connection without a response, and the next request works", async () => {
    sandbox.faults.failNext(1, "reset", { method: "POST" });
    await expect(call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup })).rejects.toThrow();
    expect(sandbox.store.listMemberships()).toEqual([]);
    expect((await call(sandbox, "GET", "/workspace_groups")).status).toBe(200);
  });

  test("503-after-commit applies the request and then answers 503", async () => {
    sandbox.faults.failNext(1, "503-after-commit", { method: "POST" });
    const { status } = await call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup });
    expect(status).toBe(503);
    expect(sandbox.store.findMembership(1001, 5521)).toBeDefined();
    const retry = await call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup });
    expect(retry.status).toBe(422);
  });
});

describe("slow responses", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await start();
  });

  /** Resolves once `condition` holds, checking every 10 ms. */
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  test("slow applies the request at once and sends its real response only after the delay", async () => {
    sandbox.faults.failNext(1, "slow", { method: "POST", delayMs: 400 });
    const started = Date.now();
    const response = call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup });
    await until(() => sandbox.store.findMembership(1001, 5521) !== undefined);
    expect(Date.now() - started).toBeLessThan(300);
    const { status, body } = await response;
    expect(Date.now() - started).toBeGreaterThanOrEqual(395);
    expect(status).toBe(200);
    expect(body?.count).toBe(1);
    expect(sandbox.counters.snapshot().faultedByKind).toEqual({ slow: 1 });
  });

  test("a client that times out on a slow response has still made the change", async () => {
    sandbox.faults.failNext(1, "slow", { method: "POST", delayMs: 2_000 });
    const gaveUp = fetch(`${sandbox.url}/user_group_memberships`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sandbox.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(addUserToGroup),
      signal: AbortSignal.timeout(100),
    });
    await expect(gaveUp).rejects.toThrow();
    expect(sandbox.store.findMembership(1001, 5521)).toBeDefined();
    const retry = await call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup });
    expect(retry.status).toBe(422);
  });

  test("random slow faults are delayed by slowMs", async () => {
    const slow = await start({ faults: { rate: 1, kinds: ["slow"], slowMs: 150 } });
    const started = Date.now();
    expect((await call(slow, "GET", "/workspace_groups")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  test("stop() closes at once while a slow response is pending, and the waiting client sees the connection end", async () => {
    sandbox.faults.failNext(1, "slow", { delayMs: 60_000 });
    const pending = call(sandbox, "POST", "/user_group_memberships", { body: addUserToGroup });
    await until(() => sandbox.store.findMembership(1001, 5521) !== undefined);
    const started = Date.now();
    await sandbox.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow();
  });

  test("a negative delay is refused", () => {
    expect(() => sandbox.faults.failNext(1, "slow", { delayMs: -1 })).toThrow(RangeError);
    expect(() => sandbox.faults.set({ rate: 0.5, kinds: ["slow"], slowMs: Number.NaN })).toThrow(RangeError);
  });
});

describe("counters", () => {
  test("count requests by method and by route template, faulted ones included and also counted apart", async () => {
    const sandbox = await start();
    const membership = sandbox.store.addMembership({ userId: 1001, workspaceGroupId: 5521 });
    sandbox.counters.reset();
    sandbox.faults.failNext(1, "429", { method: "GET" });
    await call(sandbox, "GET", "/user_group_memberships"); // faulted
    await call(sandbox, "GET", "/user_group_memberships.json?group_ids=5521");
    await call(sandbox, "POST", "/user_group_memberships", { body: { user_group_membership: { user_id: 1002, workspace_group_id: 5521 } } });
    await call(sandbox, "DELETE", `/user_group_memberships/${membership.id}`);
    await call(sandbox, "GET", "/nowhere");
    expect(sandbox.counters.snapshot()).toEqual({
      total: 5,
      byMethod: { GET: 3, POST: 1, DELETE: 1 },
      byRoute: {
        "GET /user_group_memberships": 2,
        "POST /user_group_memberships": 1,
        "DELETE /user_group_memberships/{id}": 1,
        "GET (no route)": 1,
      },
      faulted: 1,
      faultedByKind: { "429": 1 },
      rateLimited: 0,
      rateLimitedByRoute: {},
      rateLimitedByReason: {},
    });
  });

  test("a snapshot is a copy, and reset() starts from zero", async () => {
    const sandbox = await start();
    await call(sandbox, "GET", "/workspace_groups");
    const before = sandbox.counters.snapshot();
    await call(sandbox, "GET", "/workspace_groups");
    expect(before.total).toBe(1);
    sandbox.counters.reset();
    expect(sandbox.counters.snapshot()).toEqual({
      total: 0,
      byMethod: {},
      byRoute: {},
      faulted: 0,
      faultedByKind: {},
      rateLimited: 0,
      rateLimitedByRoute: {},
      rateLimitedByReason: {},
    });
  });
});
