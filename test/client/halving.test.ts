import { KantataClient, type MembershipPair } from "../../provider/kantata";
import { HttpTransport } from "../../provider/kantata/http";
import { resolveSettings } from "../../provider/kantata";
import { CREATE, FAST_RETRIES, membersOf, routeCount } from "../support/sandbox";
import { startInstrumentedSandbox } from "../support/instrumentedSandbox";
import type { Sandbox } from "../../sandbox";

/** Builds a pair from numeric ids (the pair's ids are numbers; they were decimal strings once). */
const pair = (userId: number, workspaceGroupId: number): MembershipPair => ({ userId, workspaceGroupId });

let sandbox: Sandbox;
beforeAll(async () => {
  // All-or-nothing, and the 422 does not say which element was wrong: splitting is the only way through.
  ({ sandbox } = await startInstrumentedSandbox({ bulkPolicy: "all-or-nothing", stripErrorIndex: true }));
});
afterAll(() => sandbox.stop());

describe("isolating a refused element when Kantata does not say which one it is", () => {
  it.each([
    [16, 5],
    [8, 0],
    [8, 7],
  ])("a batch of %i with one unknown user at position %i: halving, 1 + 2·log2(n) POSTs, the others all created", async (size, badAt) => {
    sandbox.counters.reset();
    const group = sandbox.store.addWorkspaceGroup({ name: `halving-${size}-${badAt}` }).id;
    const users = sandbox.store.ensureUsers(size - 1).map((u) => u.id);
    const unknownUser = 987654;
    const ids = [...users.slice(0, badAt), unknownUser, ...users.slice(badAt)];
    const client = new KantataClient(
      new HttpTransport(resolveSettings({ explicit: { baseUrl: sandbox.url, apiToken: sandbox.token }, env: {} }), {
        retryPolicy: FAST_RETRIES,
      }),
    );

    const outcome = await client.createMemberships(ids.map((u) => pair(u, group)));

    expect(outcome.created.map((m) => Number(m.userId)).sort((a, b) => a - b)).toEqual([...users].sort((a, b) => a - b));
    expect(outcome.failed.map((f) => Number(f.pair.userId))).toEqual([unknownUser]);
    expect(outcome.failed[0].error).toMatchObject({ kind: "validation", status: 422 });
    expect(outcome.failed[0].error.details.every((d) => d.index === undefined)).toBe(true);
    expect(membersOf(sandbox, group)).toEqual([...users].sort((a, b) => a - b));
    // The whole batch, then at each level one refused half (split again) and one accepted half, then the single refused pair.
    expect(routeCount(sandbox, CREATE)).toBe(1 + 2 * Math.log2(size));
  });
});
