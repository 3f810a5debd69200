import { KantataClient, type MembershipPair, resolveSettings } from "../../provider/kantata";
import { HttpTransport, type HttpResponse, type RequestSpec } from "../../provider/kantata/http";
import { MembershipBatcher } from "../../provider/kantata/membershipBatcher";
import type { Sandbox } from "../../sandbox";
import { CREATE, FAST_RETRIES, membersOf, routeCount, startTestSandbox } from "../support/sandbox";

/** A pair from numeric ids; see halving.test.ts. */
const pair = (userId: number, workspaceGroupId: number): MembershipPair => ({ userId, workspaceGroupId });

/** The real transport, keeping a copy of every POST body exactly as it is sent. */
class RecordingTransport extends HttpTransport {
  readonly postBodies: unknown[] = [];
  override send(spec: RequestSpec): Promise<HttpResponse> {
    if (spec.method === "POST") this.postBodies.push(structuredClone(spec.body));
    return super.send(spec);
  }
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());

describe.each(["all-or-nothing", "partial"] as const)("the membership batcher with a %s bulk API", (policy) => {
  it("sends a pair that several resources declare once: one element in one POST, one membership", async () => {
    sandbox.setBulkPolicy(policy);
    sandbox.counters.reset();
    const group = sandbox.store.addWorkspaceGroup({ name: `dedup-${policy}` }).id;
    const [alice, bob] = sandbox.store.ensureUsers(2).map((u) => u.id);
    const transport = new RecordingTransport(resolveSettings({ explicit: { baseUrl: sandbox.url, apiToken: sandbox.token }, env: {} }), {
      retryPolicy: FAST_RETRIES,
    });
    const batcher = new MembershipBatcher(new KantataClient(transport), { idleMs: 20, maxWaitMs: 200 });

    const results = await Promise.all([
      batcher.create(pair(alice, group)),
      batcher.create(pair(bob, group)),
      batcher.create(pair(alice, group)),
    ]);

    expect(transport.postBodies).toEqual([
      {
        user_group_memberships: [
          { user_id: alice, workspace_group_id: group },
          { user_id: bob, workspace_group_id: group },
        ],
      },
    ]);
    expect(routeCount(sandbox, CREATE)).toBe(1);
    expect(membersOf(sandbox, group)).toEqual([alice, bob].sort((a, b) => a - b));
    // The first declaration created it; the second sees it as existing — the same membership.
    const [first, , second] = results;
    expect("created" in first && "existing" in second).toBe(true);
    const [created, existing] = ["created" in first ? first.created : undefined, "existing" in second ? second.existing : undefined];
    expect(String(created?.id)).toBe(String(existing?.id));
    expect(Number(created?.userId)).toBe(alice);
    expect("created" in results[1] && Number(results[1].created.userId)).toBe(bob);
  });
});
