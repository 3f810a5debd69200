import type { Sandbox } from "../../sandbox";
import { UserGroupMembership } from "pulumi-kantata";
import { CREATE, DELETE, membersOf, startTestSandbox } from "../support/sandbox";
import { collectOutput, createEngineStack, type EngineStack } from "../../scripts/lib/engineStack";

jest.setTimeout(240_000);

const GROUP = 5521;
const [ADA, ALAN, GRACE] = [1001, 1002, 1003];

let sandbox: Sandbox;
let engine: EngineStack;
let declared: Array<{ name: string; userId: number | string; adoptExisting?: boolean }>;

const program = async () => {
  for (const m of declared) {
    new UserGroupMembership(m.name, { userId: m.userId, workspaceGroupId: GROUP, adoptExisting: m.adoptExisting });
  }
};

const membersOfGroup = () => membersOf(sandbox, GROUP);
const managedResources = async () =>
  ((await engine.stack.exportStack()).deployment.resources ?? []).filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic"));
const writes = () => {
  const byRoute = sandbox.counters.snapshot().byRoute;
  return (byRoute[CREATE] ?? 0) + (byRoute[DELETE] ?? 0);
};

beforeAll(async () => {
  sandbox = await startTestSandbox();
  declared = [];
  engine = await createEngineStack({ program, baseUrl: sandbox.url, token: sandbox.token, tokenVia: "config" });
});
afterAll(async () => {
  await engine?.dispose();
  await sandbox?.stop();
});
beforeEach(() => sandbox.counters.reset());

describe("UserGroupMembership driven by the real Pulumi engine", () => {
  it("up creates exactly the declared memberships", async () => {
    declared = [
      { name: "ada", userId: ADA },
      { name: "alan", userId: String(ALAN) },
    ];
    await engine.stack.up();
    expect(membersOfGroup()).toEqual([ADA, ALAN]);
    expect(sandbox.counters.snapshot().byRoute[CREATE]).toBe(1); // both in one coalesced bulk POST
    expect(await managedResources()).toHaveLength(2);
  });

  it("preview and a second up make no write requests and report no changes", async () => {
    const preview = await engine.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 3 });
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3 });
    expect(writes()).toBe(0);
  });

  it("changing userId replaces the membership", async () => {
    declared = [
      { name: "ada", userId: ADA },
      { name: "alan", userId: GRACE },
    ];
    const result = await engine.stack.up();
    expect(result.summary.resourceChanges?.replace).toBe(1);
    expect(membersOfGroup()).toEqual([ADA, GRACE]);
  });

  it("a membership deleted behind the stack's back is noticed by refresh and recreated by the next up", async () => {
    const ada = sandbox.store.findMembership(ADA, GROUP)!;
    sandbox.store.removeMembership(ada.id);
    const refresh = await engine.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(1);
    expect(membersOfGroup()).toEqual([ADA, GRACE]);
  });

  it("an existing membership fails with how to adopt it, and adoptExisting adopts it with no create", async () => {
    sandbox.store.addMembership({ userId: ALAN, workspaceGroupId: GROUP });
    declared = [...declared, { name: "alan-again", userId: ALAN }];
    const output = collectOutput();
    await expect(engine.stack.up({ onOutput: output.onOutput })).rejects.toThrow(/already a member.*adoptExisting: true/s);
    sandbox.counters.reset();
    declared = [...declared.slice(0, -1), { name: "alan-again", userId: ALAN, adoptExisting: true }];
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(1);
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);
    const outputs = (await engine.stack.exportStack()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("alan-again"));
    expect(outputs.outputs.adopted).toBe(true);
  });

  it("removing a membership from the program deletes it", async () => {
    declared = declared.filter((m) => m.name !== "alan-again");
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges?.delete).toBe(1);
    expect(membersOfGroup()).toEqual([ADA, GRACE]);
  });

  it("keeps the token out of state, and every __provider is the same small shim", async () => {
    for (const text of await engine.stateTexts()) expect(text).not.toContain(sandbox.token);
    const providers = new Set<string>((await managedResources()).map((r: { inputs: { __provider: string } }) => r.inputs.__provider));
    expect(providers.size).toBe(1);
    const [shim] = providers;
    expect(shim.length).toBeLessThan(2048);
    expect(shim).toContain('require("pulumi-kantata/dynamic")');
  });

  it("bad inputs fail preview with a message naming the property", async () => {
    for (const userId of [-1, "abc"]) {
      declared = [{ name: "bad", userId }];
      await expect(engine.stack.preview()).rejects.toThrow(/userId must be a Kantata OX id.*got/);
    }
  });

  it("destroy leaves the sandbox with none of the stack's memberships", async () => {
    declared = [];
    await engine.stack.destroy();
    expect(membersOfGroup()).toEqual([]);
    expect(await managedResources()).toEqual([]);
  });
});
