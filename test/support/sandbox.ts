import { type Sandbox, type SandboxOptions, startSandbox } from "../../sandbox";
import { createKantataClient, type KantataClient, type RetryPolicy } from "../../provider/kantata";

/** Fast but real retries for tests: same code paths, millisecond backoffs. */
export const FAST_RETRIES: RetryPolicy = { maxAttempts: 4, maxElapsedMs: 10_000, baseDelayMs: 5, maxDelayMs: 20 };

/** A token nobody would type, so finding it anywhere is proof of a leak. */
export const SECRET_TOKEN = "tok-7f3a9c1e-SECRET-do-not-leak";

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ token: SECRET_TOKEN, ...options });
}

export function clientFor(sandbox: Sandbox, token = sandbox.token, retryPolicy = FAST_RETRIES): KantataClient {
  return createKantataClient({ explicit: { baseUrl: sandbox.url, apiToken: token }, env: {} }, { retryPolicy });
}

/** Requests the sandbox saw for one route since the last reset, e.g. routeCount(s, "POST /user_group_memberships"). */
export function routeCount(sandbox: Sandbox, route: string): number {
  return sandbox.counters.snapshot().byRoute[route] ?? 0;
}

export const LIST = "GET /user_group_memberships";
export const CREATE = "POST /user_group_memberships";
export const DELETE = "DELETE /user_group_memberships/{id}";

/** Adds `count` members to a group directly in the store ("by hand in the Kantata UI"). */
export function seedGroup(sandbox: Sandbox, workspaceGroupId: number, count: number, firstUser = 0): number[] {
  const users = sandbox.store.ensureUsers(firstUser + count).slice(firstUser, firstUser + count);
  sandbox.store.addMemberships(users.map((u) => ({ userId: u.id, workspaceGroupId })));
  return users.map((u) => u.id);
}

/** The user ids in a group right now, ascending: the sandbox's own contents, as evidence. */
export function membersOf(sandbox: Sandbox, workspaceGroupId: number): number[] {
  return sandbox.store
    .listMemberships()
    .filter((m) => m.workspaceGroupId === workspaceGroupId)
    .map((m) => m.userId)
    .sort((a, b) => a - b);
}
