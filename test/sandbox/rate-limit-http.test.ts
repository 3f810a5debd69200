import { type Sandbox, type SandboxOptions, startSandbox } from "../../sandbox";
import { UsageError } from "../../lib/errors";
import { parseCli } from "../../sandbox/cli";
import { call } from "./helpers";

const sandboxes: Sandbox[] = [];
async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  sandboxes.push(sandbox);
  return sandbox;
}
afterAll(() => Promise.all(sandboxes.map((s) => s.stop())));

const TOO_MANY = { errors: [{ type: "system", message: "Too Many Requests: retry after a small delay" }] };
/** So slow a refill that no token comes back during a test: only the burst is accepted. */
const BURST_ONLY = 0.001;
const addMembership = (sandbox: Sandbox, userId: number) =>
  call(sandbox, "POST", "/user_group_memberships", { body: { user_group_membership: { user_id: userId, workspace_group_id: 5521 } } });
const listGroups = (sandbox: Sandbox, token?: string) => call(sandbox, "GET", "/workspace_groups", { token });

describe("a rate-limited sandbox", () => {
  test("answers a request beyond the limit with 429, the usual body and no Retry-After, and applies nothing", async () => {
    const sandbox = await start({ rateLimit: { perSecond: BURST_ONLY, burst: 1 } });
    expect((await addMembership(sandbox, 1001)).status).toBe(200);
    const refused = await addMembership(sandbox, 1002);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(TOO_MANY);
    expect(refused.headers.get("retry-after")).toBeNull();
    expect(refused.headers.get("x-request-id")).toEqual(expect.any(String));
    expect(sandbox.store.listMemberships().map((m) => m.userId)).toEqual([1001]);
  });

  test("sends Retry-After, in seconds rounded up until a token is free, only when asked", async () => {
    const sandbox = await start({ rateLimit: { perSecond: 0.5, burst: 1, retryAfter: true } });
    await listGroups(sandbox);
    const refused = await listGroups(sandbox);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
  });

  test("refuses at once, without the latency that accepted requests still wait", async () => {
    const sandbox = await start({ latencyMs: 400, rateLimit: { perSecond: BURST_ONLY, burst: 1 } });
    let started = Date.now();
    expect((await listGroups(sandbox)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    started = Date.now();
    expect((await listGroups(sandbox)).status).toBe(429);
    expect(Date.now() - started).toBeLessThan(200);
  });

  test("limits each token on its own", async () => {
    const sandbox = await start({ rateLimit: { perSecond: BURST_ONLY, burst: 2 } });
    const admin = [await listGroups(sandbox), await listGroups(sandbox), await listGroups(sandbox)].map((r) => r.status);
    expect(admin).toEqual([200, 200, 429]);
    expect((await listGroups(sandbox, sandbox.nonAdminToken)).status).toBe(200);
  });

  test("refuses a token's request beyond maxConcurrent while the others are handled, latency included", async () => {
    const sandbox = await start({ latencyMs: 300, rateLimit: { perSecond: 1000, maxConcurrent: 2 } });
    const statuses = await Promise.all([listGroups(sandbox), listGroups(sandbox), listGroups(sandbox)].map((p) => p.then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 200, 429]);
    expect(sandbox.counters.snapshot().rateLimitedByReason).toEqual({ concurrency: 1 });
    // Their responses sent, the slots are free again.
    expect((await listGroups(sandbox)).status).toBe(200);
  });

  test("counts refusals apart from injected faults, in total and by route and reason", async () => {
    const sandbox = await start({ rateLimit: { perSecond: BURST_ONLY, burst: 1 } });
    sandbox.faults.failNext(1, "429", { method: "GET" });
    await listGroups(sandbox); // the injected 429 (it took the token)
    await listGroups(sandbox); // refused by the limiter
    await addMembership(sandbox, 1001); // refused by the limiter
    expect(sandbox.counters.snapshot()).toEqual({
      total: 3,
      byMethod: { GET: 2, POST: 1 },
      byRoute: { "GET /workspace_groups": 2, "POST /user_group_memberships": 1 },
      faulted: 1,
      faultedByKind: { "429": 1 },
      rateLimited: 2,
      rateLimitedByRoute: { "GET /workspace_groups": 1, "POST /user_group_memberships": 1 },
      rateLimitedByReason: { rate: 2 },
    });
  });

  test("a refused request never reaches the faults: a scripted fault waits for the next accepted request", async () => {
    const sandbox = await start({ rateLimit: { perSecond: BURST_ONLY, burst: 1 } });
    await listGroups(sandbox);
    sandbox.faults.failNext(1, "503");
    expect((await listGroups(sandbox)).status).toBe(429);
    sandbox.setRateLimit(undefined);
    expect((await listGroups(sandbox)).status).toBe(503);
    expect((await listGroups(sandbox)).status).toBe(200);
  });

  test("setRateLimit changes the limit at run time, with full buckets, and refuses a bad limit", async () => {
    const sandbox = await start();
    expect((await Promise.all(Array.from({ length: 5 }, () => listGroups(sandbox)))).map((r) => r.status)).toEqual(Array(5).fill(200));
    sandbox.setRateLimit({ perSecond: BURST_ONLY, burst: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await listGroups(sandbox)).status);
    expect(statuses).toEqual([200, 200, 429]);
    sandbox.setRateLimit({ perSecond: BURST_ONLY, burst: 1 });
    expect((await listGroups(sandbox)).status).toBe(200);
    expect(() => sandbox.setRateLimit({ perSecond: 0 })).toThrow(RangeError);
  });

  test("startSandbox refuses a bad limit with a RangeError", async () => {
    await expect(startSandbox({ rateLimit: { perSecond: 5, maxConcurrent: 0 } })).rejects.toThrow(RangeError);
  });
});

describe("the rate limit flags", () => {
  test("--rate-limit, --rate-limit-burst, --max-concurrent and --rate-limit-retry-after become the rateLimit option", () => {
    const argv = ["--rate-limit", "5", "--rate-limit-burst", "20", "--max-concurrent", "3", "--rate-limit-retry-after"];
    expect(parseCli(argv, {})).toMatchObject({ options: { rateLimit: { perSecond: 5, burst: 20, maxConcurrent: 3, retryAfter: true } } });
    expect(parseCli(["--rate-limit", "0.5"], {})).toMatchObject({ options: { rateLimit: { perSecond: 0.5 } } });
    expect(parseCli([], {})).toMatchObject({ options: { rateLimit: undefined } });
  });

  test("fall back to environment variables, the switch taking true/false/1/0", () => {
    const env = { KANTATA_SANDBOX_RATE_LIMIT: "2", KANTATA_SANDBOX_RATE_LIMIT_RETRY_AFTER: "1" };
    expect(parseCli([], env)).toMatchObject({ options: { rateLimit: { perSecond: 2, retryAfter: true } } });
    expect(parseCli([], { ...env, KANTATA_SANDBOX_RATE_LIMIT_RETRY_AFTER: "false" })).toMatchObject({
      options: { rateLimit: { retryAfter: false } },
    });
    expect(() => parseCli([], { ...env, KANTATA_SANDBOX_RATE_LIMIT_RETRY_AFTER: "yes" })).toThrow(UsageError);
  });

  test.each([
    [["--rate-limit", "fast"]],
    [["--rate-limit", "5", "--max-concurrent", "1.5"]],
    [["--rate-limit-burst", "10"]],
    [["--max-concurrent", "2"]],
    [["--rate-limit-retry-after"]],
  ])("%j is a usage error", (argv) => {
    expect(() => parseCli(argv, {})).toThrow(UsageError);
  });

  test("a rate of 0 parses, and the sandbox refuses it with a RangeError", async () => {
    const command = parseCli(["--port", "0", "--rate-limit", "0"], {});
    if (command.help) throw new Error("unexpected --help");
    await expect(startSandbox(command.options)).rejects.toThrow(RangeError);
  });
});
