import { KantataApiError } from "../../provider/kantata";
import { MAX_SUMMARY_BYTES, summarizeFailures } from "../../provider/runtime/failureSummary";

const refused = (user: number, requestId?: string) =>
  new KantataApiError({
    kind: "validation",
    status: 422,
    method: "POST",
    path: "/user_group_memberships",
    requestId,
    details: [{ type: "validation", field: "user_id", message: `user ${user} does not exist ${"and a very long explanation ".repeat(40)}` }],
  });

describe("summarizing per-item failures", () => {
  it("2,000 failures: under 2 KB, with the count, the first five subjects, a request id, and the full list in the log", () => {
    const lines: string[] = [];
    const failures = Array.from({ length: 2000 }, (_, i) => ({
      subject: `user${i}@acme.com`,
      // Only a late error carries a request id: the summary must still find one.
      error: refused(1000 + i, i === 1500 ? "req-abc-123" : undefined),
    }));
    const message = summarizeFailures(failures, { logger: (line) => lines.push(line), what: "memberships could not be created" });
    expect(Buffer.byteLength(message)).toBeLessThan(MAX_SUMMARY_BYTES);
    expect(message).toMatch(/^2000 memberships could not be created \(Kantata request id req-abc-123\): /);
    for (let i = 0; i < 5; i++)
      expect(message).toContain(`user${i}@acme.com (Kantata OX rejected the data: user_id: user ${1000 + i} does not exist`);
    expect(message).not.toContain("user5@acme.com");
    expect(message).toContain("and 1995 more");
    expect(lines).toHaveLength(2001);
    expect(lines[2000]).toContain("user1999@acme.com: Kantata OX rejected the data: user_id: user 2999 does not exist");
  });

  it("stays under 2 KB with absurd subjects and multi-byte reasons", () => {
    const failures = Array.from({ length: 50 }, () => ({ subject: "ü".repeat(5000), error: new Error("😀".repeat(5000)) }));
    const message = summarizeFailures(failures, { logger: () => undefined, what: "x".repeat(10_000) });
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(message).toMatch(/^50 x+…/);
    expect(message).not.toContain("\uFFFD");
  });

  it("a single failure reads as one sentence with its reason", () => {
    const message = summarizeFailures([{ subject: "user 1001", error: new Error("boom") }], { logger: () => undefined });
    expect(message).toBe("1 items failed: user 1001 (boom). The full list is in the provider's log.");
  });
});
