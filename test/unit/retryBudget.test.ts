import { KantataApiError, type KantataErrorKind } from "../../provider/kantata";
import { type RetryEvent, type RetryPolicy, withRetry } from "../../provider/kantata/retry";

/** On jest's fake clock, so "after about the budget" can be checked exactly and without waiting. */
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const POLICY: RetryPolicy = { maxAttempts: 4, maxElapsedMs: 1_000, baseDelayMs: 10, maxDelayMs: 40 };
const failure = (kind: KantataErrorKind, retryAfterMs?: number) =>
  new KantataApiError({
    kind,
    method: "GET",
    path: "/user_group_memberships",
    status: kind === "rate_limited" ? 429 : kind === "unavailable" ? 503 : undefined,
    retryAfterMs,
  });

/** Runs withRetry to the end on the fake clock; how many attempts it made, how long it took, and how it ended. */
async function run(policy: RetryPolicy, failUntil: (attempt: number) => KantataApiError | undefined) {
  const started = Date.now();
  let attempts = 0;
  const events: RetryEvent[] = [];
  const settled = withRetry({ ...policy, onRetry: (e) => events.push(e) }, async (n) => {
    attempts = n;
    const error = failUntil(n);
    if (error) throw error;
    return "ok";
  }).then(
    (value) => ({ value, at: Date.now() - started }),
    (error: unknown) => ({ error, at: Date.now() - started }),
  );
  await jest.runAllTimersAsync();
  return { ...(await settled), attempts, events };
}

describe("retrying within a time budget", () => {
  it.each(["rate_limited", "unavailable"] as const)("%s is retried far beyond maxAttempts while the budget lasts", async (kind) => {
    const result = await run(POLICY, (n) => (n <= 12 ? failure(kind) : undefined));
    expect(result).toMatchObject({ value: "ok", attempts: 13 });
  });

  it.each(["rate_limited", "unavailable"] as const)(
    "a %s storm longer than the budget fails at the budget, not after N attempts",
    async (kind) => {
      const result = await run(POLICY, () => failure(kind));
      expect(result).toMatchObject({ error: { kind } });
      // The last backoff is cut to what is left, so the last attempt lands exactly at the budget.
      expect(result.at).toBe(POLICY.maxElapsedMs);
      expect(result.attempts).toBeGreaterThan(POLICY.maxAttempts * 5);
    },
  );

  it.each(["timeout", "network"] as const)("%s keeps a bounded attempt count", async (kind) => {
    const result = await run(POLICY, () => failure(kind));
    expect(result).toMatchObject({ error: { kind }, attempts: POLICY.maxAttempts });
    expect(result.at).toBeLessThan(POLICY.maxElapsedMs);
  });

  it("never retries what retrying cannot fix", async () => {
    expect(await run(POLICY, () => failure("validation"))).toMatchObject({ error: { kind: "validation" }, attempts: 1, at: 0 });
  });

  it("waits exactly the Retry-After the server asks for", async () => {
    const result = await run(POLICY, (n) => (n === 1 ? failure("rate_limited", 700) : undefined));
    expect(result).toMatchObject({ value: "ok", attempts: 2, at: 700 });
    expect(result.events).toEqual([expect.objectContaining({ nextAttempt: 2, delayMs: 700, remainingMs: 300 })]);
  });

  it("gives up at once when Retry-After is longer than the budget left, instead of sleeping past it", async () => {
    const result = await run(POLICY, (n) => (n === 1 ? failure("rate_limited", 100) : failure("rate_limited", 950)));
    expect(result).toMatchObject({ error: { kind: "rate_limited", retryAfterMs: 950 }, attempts: 2, at: 100 });
  });

  it("tells onRetry about every retry, with the delay it then waits", async () => {
    const result = await run(POLICY, (n) => (n <= 3 ? failure("unavailable") : undefined));
    expect(result.events.map((e) => e.nextAttempt)).toEqual([2, 3, 4]);
    expect(result.at).toBe(result.events.reduce((sum, e) => sum + e.delayMs, 0));
    result.events.forEach((e, i) => expect(e.delayMs).toBeLessThanOrEqual(Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** i)));
  });
});
