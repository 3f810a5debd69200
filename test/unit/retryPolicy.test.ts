import { backoffDelay, DEFAULT_RETRY_POLICY } from "../../provider/kantata/retry";
import { parseRetryAfter } from "../../provider/kantata/errors";

describe("the retry policy", () => {
  it("backs off exponentially with full jitter, capped at maxDelayMs", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, undefined, () => 0.999)).toBe(100);
    expect(backoffDelay(policy, 3, undefined, () => 0.999)).toBe(400);
    expect(backoffDelay(policy, 10, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(0);
  });

  it("uses the server's Retry-After instead of its own backoff", () => {
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 1, 3000, () => 0.5)).toBe(3000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
