import * as dynamic from "../../provider/dynamic";
import type { Sandbox } from "../../sandbox";
import { CREATE, startTestSandbox } from "../support/sandbox";

let sandbox: Sandbox;
const GROUP = 5521;
const inputs = (userId: number, adoptExisting = false) => ({ __kind: "UserGroupMembership", userId, workspaceGroupId: GROUP, adoptExisting });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const config: Record<string, string> = { "kantata:baseUrl": sandbox.url, "kantata:apiToken": sandbox.token };
  await dynamic.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.counters.reset());

describe("the UserGroupMembership provider against the sandbox", () => {
  it("check normalises inputs and keeps the resource kind", async () => {
    await expect(dynamic.check({}, { __kind: "UserGroupMembership", userId: "1001", workspaceGroupId: 5521 })).resolves.toEqual({
      inputs: inputs(1001),
    });
  });

  it("create adds the membership and returns everything delete needs", async () => {
    const { id, outs } = await dynamic.create(inputs(1001));
    expect(outs).toEqual({
      __kind: "UserGroupMembership",
      membershipId: id,
      userId: 1001,
      workspaceGroupId: GROUP,
      adoptExisting: false,
      adopted: false,
      createdAt: expect.any(String),
      creatorId: expect.any(String),
    });
    expect(sandbox.store.findMembership(1001, GROUP)?.id).toBe(Number(id));
  });

  it("read returns props and inputs, and no id once the membership was removed behind its back", async () => {
    const { id, outs } = await dynamic.create(inputs(1002));
    await expect(dynamic.read(id, outs)).resolves.toEqual({ id, props: outs, inputs: inputs(1002) });
    sandbox.store.removeMembership(Number(id));
    await expect(dynamic.read(id, outs)).resolves.toEqual({ props: undefined, inputs: undefined });
  });

  it("create refuses a membership that already exists, naming it and how to adopt it", async () => {
    const existing = sandbox.store.addMembership({ userId: 1003, workspaceGroupId: GROUP });
    await expect(dynamic.create(inputs(1003))).rejects.toThrow(
      new RegExp(`User 1003 is already a member of workspace group ${GROUP} \\(membership ${existing.id}\\).*adoptExisting: true`),
    );
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);
  });

  it("adoptExisting adopts the existing membership without creating one", async () => {
    const existing = sandbox.store.addMembership({ userId: 1004, workspaceGroupId: GROUP });
    const { id, outs } = await dynamic.create(inputs(1004, true));
    expect(id).toBe(String(existing.id));
    expect(outs).toMatchObject({ adopted: true, adoptExisting: true });
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);
  });

  it("update changes only adoptExisting and keeps the outputs", async () => {
    const { id, outs } = await dynamic.create(inputs(1005));
    await expect(dynamic.update(id, outs, inputs(1005, true))).resolves.toEqual({ outs: { ...outs, adoptExisting: true } });
  });

  it("delete removes the membership, and deleting it again is fine", async () => {
    const { id, outs } = await dynamic.create(inputs(1006));
    await dynamic.delete(id, outs);
    expect(sandbox.store.findMembership(1006, GROUP)).toBeUndefined();
    await expect(dynamic.delete(id, outs)).resolves.toBeUndefined();
  });

  it("routes nothing it does not know", async () => {
    await expect(dynamic.create({ userId: 1 })).rejects.toThrow(/__kind is undefined/);
  });
});
