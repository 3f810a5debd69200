import type { Sandbox } from "../../../sandbox";
import { UserGroupMembership } from "./resource";
import { CREATE, DELETE, membersOf, startTestSandbox } from "../../../test/support/sandbox";
import { deployedResources, upThenNoChanges } from "../../../test/support/engine";
import { collectOutput, createEngineStack, type EngineStack } from "../../../scripts/lib/pulumi";

jest.setTimeout(240_000);

const GROUP = 5521;
const [ADA, ALAN, GRACE] = [1001, 1002, 1003];
const EMAIL = { [ADA]: "ada.lovelace@example.com", [ALAN]: "alan.turing@example.com", [GRACE]: "grace.hopper@example.com" };

let sandbox: Sandbox;
let engine: EngineStack;
let declared: Array<{ name: string; user: number | string; group?: number | string; adoptExisting?: boolean }>;

const program = async () => {
  for (const m of declared) {
    new UserGroupMembership(m.name, { user: m.user, group: m.group ?? "Delivery-EMEA", adoptExisting: m.adoptExisting });
  }
};

const membersOfGroup = () => membersOf(sandbox, GROUP);
const managedResources = async (stack = engine) => (await deployedResources(stack)).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
const outputsOf = async (name: string, stack = engine) => (await managedResources(stack)).find((r) => r.urn.endsWith(`::${name}`))?.outputs;
const requests = (route: string) => sandbox.counters.snapshot().byRoute[route] ?? 0;
const writes = () => requests(CREATE) + requests(DELETE);

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
  it("up creates exactly the declared memberships, people named by email or id", async () => {
    declared = [
      { name: "ada", user: "Ada.Lovelace@example.com" },
      { name: "alan", user: String(ALAN), group: 5521 },
    ];
    await upThenNoChanges(engine, sandbox);
    expect(membersOfGroup()).toEqual([ADA, ALAN]);
    expect(requests(CREATE)).toBe(1); // both in one coalesced bulk POST
    expect(await managedResources()).toHaveLength(2);
    expect(await outputsOf("ada")).toMatchObject({ user: EMAIL[ADA], userId: ADA, group: "Delivery-EMEA", groupId: GROUP, adopted: false });
    expect(await outputsOf("alan")).toMatchObject({ user: String(ALAN), userId: ALAN, group: "Delivery-EMEA", groupId: GROUP });
  });

  it("preview and a second up make no request at all and report no changes", async () => {
    const preview = await engine.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 3 });
    const up = await engine.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3 });
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it("naming the same person or group another way updates state in place, without touching Kantata", async () => {
    declared = [
      { name: "ada", user: ADA, group: "DELIVERY-EMEA" },
      { name: "alan", user: EMAIL[ALAN] },
    ];
    const up = await upThenNoChanges(engine, sandbox);
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 2 });
    expect(writes()).toBe(0);
    expect(membersOfGroup()).toEqual([ADA, ALAN]);
    expect(await outputsOf("ada")).toMatchObject({ user: String(ADA), userId: ADA, group: "Delivery-EMEA" });
  });

  it("changing the person replaces the membership", async () => {
    declared = [
      { name: "ada", user: ADA },
      { name: "alan", user: EMAIL[GRACE] },
    ];
    const result = await upThenNoChanges(engine, sandbox);
    expect(result.summary.resourceChanges).toEqual({ same: 2, replace: 1 });
    expect([requests(CREATE), requests(DELETE)]).toEqual([1, 1]);
    expect(membersOfGroup()).toEqual([ADA, GRACE]);
  });

  it("a membership deleted behind the stack's back is noticed by refresh and recreated by the next up", async () => {
    const ada = sandbox.store.findMembership(ADA, GROUP)!;
    sandbox.store.removeMembership(ada.id);
    const refresh = await engine.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const up = await upThenNoChanges(engine, sandbox);
    expect(up.summary.resourceChanges?.create).toBe(1);
    expect(membersOfGroup()).toEqual([ADA, GRACE]);
  });

  it("removing a membership from the program deletes it", async () => {
    declared = declared.filter((m) => m.name !== "alan");
    const up = await upThenNoChanges(engine, sandbox);
    expect(up.summary.resourceChanges?.delete).toBe(1);
    expect(requests(DELETE)).toBe(1);
    expect(membersOfGroup()).toEqual([ADA]);
  });

  it("keeps the token out of state, and every __provider is the same small shim", async () => {
    declared = [...declared, { name: "alan", user: EMAIL[ALAN] }];
    await upThenNoChanges(engine, sandbox);
    for (const text of await engine.stateTexts()) expect(text).not.toContain(sandbox.token);
    const providers = new Set<string>((await managedResources()).map((r) => r.inputs.__provider as string));
    expect(providers.size).toBe(1);
    const [shim] = providers;
    expect(shim.length).toBeLessThan(2048);
    expect(shim).toContain('require("pulumi-kantata/dynamic")');
  });

  it("bad inputs fail preview with a message naming the property, and a misspelt address with the close one", async () => {
    const kept = declared;
    for (const user of [-1, "abc"]) {
      declared = [...kept, { name: "bad", user }];
      await expect(engine.stack.preview()).rejects.toThrow(/user must be a user's email address.*got/);
    }
    declared = [...kept, { name: "bad", user: "grace.hoper@example.com" }];
    await expect(engine.stack.preview()).rejects.toThrow(/grace\.hoper@example\.com; did you mean grace\.hopper@example\.com\?/);
    declared = [...kept, { name: "bad", user: ADA, group: "Delivery-EMAE" }];
    await expect(engine.stack.preview()).rejects.toThrow(/no workspace group named "Delivery-EMAE"; did you mean "Delivery-EMEA"\?/);
    declared = kept;
    expect(writes()).toBe(0);
  });

  it("destroy leaves the sandbox with none of the stack's memberships", async () => {
    declared = [];
    await engine.stack.destroy();
    expect(membersOfGroup()).toEqual([]);
    expect(await managedResources()).toEqual([]);
  });
});

describe("an existing membership", () => {
  const FINANCE = 5523;
  let adopting: EngineStack;
  let entries: Array<{ name: string; user: number; adoptExisting?: boolean }> = [];

  beforeAll(async () => {
    adopting = await createEngineStack({
      program: async () => {
        for (const m of entries) new UserGroupMembership(m.name, { user: m.user, group: "Finance", adoptExisting: m.adoptExisting });
      },
      baseUrl: sandbox.url,
      token: sandbox.token,
      tokenVia: "config",
    });
  });
  afterAll(async () => adopting?.dispose());

  it("fails with how to adopt it, and adoptExisting adopts it with no create", async () => {
    const existing = sandbox.store.addMembership({ userId: ALAN, workspaceGroupId: FINANCE });
    entries = [{ name: "alan-again", user: ALAN }];
    const output = collectOutput();
    await expect(adopting.stack.up({ onOutput: output.onOutput })).rejects.toThrow(/already a member.*adoptExisting: true/s);
    sandbox.counters.reset();
    entries = [{ name: "alan-again", user: ALAN, adoptExisting: true }];
    const up = await upThenNoChanges(adopting, sandbox);
    expect(up.summary.resourceChanges?.create).toBe(1);
    expect(requests(CREATE)).toBe(0);
    expect(await outputsOf("alan-again", adopting)).toMatchObject({ adopted: true, membershipId: existing.id });
  });

  it("removing the adopted membership from the program deletes it", async () => {
    entries = [];
    const up = await upThenNoChanges(adopting, sandbox);
    expect(up.summary.resourceChanges?.delete).toBe(1);
    expect(membersOf(sandbox, FINANCE)).toEqual([]);
  });
});
