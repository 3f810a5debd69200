import type { Sandbox } from "../../sandbox";
import { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "pulumi-kantata";
import { CREATE, DELETE, membersOf, startTestSandbox } from "../support/sandbox";
import { createEngineStack, type EngineStack } from "../../scripts/lib/engineStack";

jest.setTimeout(240_000);

const GROUP = 5522;
let sandbox: Sandbox;
let engine: EngineStack;
let args: Omit<WorkspaceGroupMembersArgs, "workspaceGroupId">;

const members = () => membersOf(sandbox, GROUP);
const requests = (route: string) => sandbox.counters.snapshot().byRoute[route] ?? 0;
const groupOutputs = async () =>
  (await engine.stack.exportStack()).deployment.resources?.find((r: { type: string }) => r.type.endsWith("WorkspaceGroupMembers"))?.outputs;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.store.addMembership({ userId: 1001, workspaceGroupId: GROUP }); // a member before Pulumi arrives
  engine = await createEngineStack({
    program: async () => {
      new WorkspaceGroupMembers("delivery-amer", { workspaceGroupId: GROUP, ...args });
    },
    baseUrl: sandbox.url,
    token: sandbox.token,
    tokenVia: "config",
  });
});
afterAll(async () => {
  await engine?.dispose();
  await sandbox?.stop();
});
beforeEach(() => sandbox.counters.reset());

describe("WorkspaceGroupMembers driven by the real engine", () => {
  it("up adds the declared users in one bulk POST and records who was already a member", async () => {
    args = { userIds: [1001, 1002, 1003, 1004] };
    await engine.stack.up();
    expect(members()).toEqual([1001, 1002, 1003, 1004]);
    expect(requests(CREATE)).toBe(1);
    expect((await groupOutputs()).preexistingUserIds).toEqual([1001]);
  });

  it("reordering userIds is no change, and a no-op preview makes no write request", async () => {
    args = { userIds: [1004, 1002, 1003, 1001] };
    const preview = await engine.stack.preview();
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
    expect(requests(CREATE) + requests(DELETE)).toBe(0);
  });

  it("refresh shows a member removed by hand, and up puts them back", async () => {
    sandbox.store.removeMembership(sandbox.store.findMembership(1003, GROUP)!.id);
    await engine.stack.refresh();
    expect((await groupOutputs()).userIds).toEqual([1001, 1002, 1004]);
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges?.update).toBe(1);
    expect(members()).toEqual([1001, 1002, 1003, 1004]);
  });

  it("a removal beyond maxRemovals fails the preview with the count and how to raise the limit", async () => {
    args = { userIds: [1001], maxRemovals: 2 };
    await expect(engine.stack.preview()).rejects.toThrow(/would remove 3 members.*raise maxRemovals on the resource to at least 3/s);
    expect(requests(DELETE)).toBe(0);
  });

  it("a half-applied change is recorded as applied and resumed without duplicate POSTs", async () => {
    args = { userIds: [1001, 1002, 1003, 1004, 1005, 999999] }; // 999999 does not exist
    await expect(engine.stack.up()).rejects.toThrow(/adding user 999999/);
    expect(members()).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect((await groupOutputs()).userIds).toEqual([1001, 1002, 1003, 1004, 1005]);
    sandbox.counters.reset();
    args = { userIds: [1001, 1002, 1003, 1004, 1005] };
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges?.update ?? 0).toBeLessThanOrEqual(1);
    expect(requests(CREATE)).toBe(0);
    expect(members()).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it("additive mode leaves members it does not manage alone; authoritative mode removes them", async () => {
    sandbox.store.addMembership({ userId: 1020, workspaceGroupId: GROUP });
    await engine.stack.up({ refresh: true });
    expect(members()).toContain(1020);
    args = { ...args, mode: "authoritative" };
    await engine.stack.up({ refresh: true });
    expect(members()).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it("destroy removes the members it added and keeps the one that was there before", async () => {
    await engine.stack.destroy();
    expect(members()).toEqual([1001]);
  });
});
