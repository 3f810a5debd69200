import * as dynamic from "../../provider/dynamic";
import type { Sandbox } from "../../sandbox";
import { CREATE, DELETE, LIST, membersOf, routeCount, startTestSandbox } from "../support/sandbox";

let sandbox: Sandbox;
let groupId: number;
const members = () => membersOf(sandbox, groupId);

async function declared(userIds: number[], extra: Record<string, unknown> = {}) {
  const { inputs, failures } = await dynamic.check({}, { __kind: "WorkspaceGroupMembers", workspaceGroupId: groupId, userIds, ...extra });
  expect(failures).toBeUndefined();
  return inputs;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const config: Record<string, string> = {
    "kantata:baseUrl": sandbox.url,
    "kantata:apiToken": sandbox.token,
    "kantata:retryBudgetSeconds": "0.2", // give up fast when a test makes the API fail for good
  };
  await dynamic.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
  sandbox.store.ensureUsers(400);
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  groupId = sandbox.store.addWorkspaceGroup({ name: `wgm-${Math.random()}` }).id;
  sandbox.counters.reset();
  sandbox.faults.clear();
});

describe("the WorkspaceGroupMembers provider against the sandbox", () => {
  it("creates 250 members with one paged read and 3 bulk POSTs", async () => {
    const userIds = Array.from({ length: 250 }, (_, i) => 1001 + i);
    const { id, outs } = await dynamic.create(await declared(userIds));
    expect(id).toBe(String(groupId));
    expect(members()).toEqual(userIds);
    expect(outs!.membershipIds).toHaveLength(250);
    expect(sandbox.store.findMembership(userIds[7], groupId)?.id).toBe(Number(outs!.membershipIds[7]));
    expect([routeCount(sandbox, LIST), routeCount(sandbox, CREATE)]).toEqual([1, 3]);
  });

  it("refresh reads the group once per 200 members and reports drift as inputs", async () => {
    const userIds = Array.from({ length: 202 }, (_, i) => 1001 + i);
    const { id, outs } = await dynamic.create(await declared(userIds));
    sandbox.store.removeMembership(sandbox.store.findMembership(1001, groupId)!.id);
    sandbox.counters.reset();
    const read = await dynamic.read(id, outs);
    expect(routeCount(sandbox, LIST)).toBe(2);
    expect(read.inputs.userIds).toEqual(userIds.slice(1));
    await expect(dynamic.diff(id, read.props, await declared(userIds))).resolves.toEqual({ changes: true, replaces: [] });
  });

  it("update re-reads the live group: adds only what is missing and removes what was dropped", async () => {
    const { id, outs } = await dynamic.create(await declared([1001, 1002, 1003]));
    sandbox.store.removeMembership(sandbox.store.findMembership(1002, groupId)!.id); // drift nobody refreshed
    sandbox.counters.reset();
    const { outs: after } = await dynamic.update(id, outs, await declared([1001, 1002, 1004]));
    expect(members()).toEqual([1001, 1002, 1004]);
    expect(after.userIds).toEqual([1001, 1002, 1004]);
    expect([routeCount(sandbox, CREATE), routeCount(sandbox, DELETE)]).toEqual([1, 1]);
  });

  it("a batch that fails midway leaves an error carrying the id and what was actually applied, kind included", async () => {
    const userIds = Array.from({ length: 150 }, (_, i) => 1001 + i);
    sandbox.faults.failNext(20, "503", { method: "POST" });
    const nothingApplied = await dynamic.create(await declared(userIds.slice(0, 1))).catch((e) => e);
    expect(nothingApplied).toMatchObject({ name: "KantataApiError", kind: "unavailable" });
    expect(nothingApplied.id).toBeUndefined(); // nothing exists, so nothing to record
    sandbox.faults.clear();
    sandbox.counters.reset();
    // The first bulk POST goes through; from the second on, the API fails for good. The fault is armed as
    // soon as the first batch is in the store; the latency keeps the second POST from outrunning it.
    sandbox.setLatency(50);
    const failLater = setInterval(() => {
      if (members().length === 100) {
        clearInterval(failLater);
        sandbox.faults.failNext(20, "503", { method: "POST" });
      }
    }, 1);    const error = await dynamic.create(await declared(userIds)).catch((e) => e);
    clearInterval(failLater);
    sandbox.setLatency(0);
    expect(error).toMatchObject({ id: String(groupId), properties: { __kind: "WorkspaceGroupMembers" } });
    expect(error.properties.userIds).toEqual(members());
    expect(members()).toHaveLength(100);
    sandbox.faults.clear();
    sandbox.counters.reset();
    const { outs } = await dynamic.update(String(groupId), error.properties, await declared(userIds));
    expect(outs.userIds).toEqual(userIds);
    expect(members()).toEqual(userIds);
    expect(routeCount(sandbox, CREATE)).toBe(1); // only the 50 still missing
  });

  it("authoritative mode refuses to remove more than maxRemovals before writing anything", async () => {
    sandbox.store.addMemberships([1001, 1002, 1003].map((userId) => ({ userId, workspaceGroupId: groupId })));
    await expect(dynamic.create(await declared([1004], { mode: "authoritative", maxRemovals: 2 }))).rejects.toThrow(/would remove 3 members/);
    expect(routeCount(sandbox, CREATE) + routeCount(sandbox, DELETE)).toBe(0);
    const { outs } = await dynamic.create(await declared([1004], { mode: "authoritative", maxRemovals: 3 }));
    expect(members()).toEqual([1004]);
    expect(outs.undeclaredUserIds).toEqual([]);
  });

  it("delete keeps members who were there first, unless removePreexistingOnDestroy", async () => {
    sandbox.store.addMembership({ userId: 1001, workspaceGroupId: groupId });
    const { id, outs } = await dynamic.create(await declared([1001, 1002]));
    expect(outs.preexistingUserIds).toEqual([1001]);
    await dynamic.delete(id, outs);
    expect(members()).toEqual([1001]);
    const again = await dynamic.create(await declared([1001, 1002], { removePreexistingOnDestroy: true }));
    await dynamic.delete(again.id, again.outs);
    expect(members()).toEqual([]);
  });
});
