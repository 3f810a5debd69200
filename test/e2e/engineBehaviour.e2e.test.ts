import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Sandbox } from "../../sandbox";
import { UserGroupMembership } from "pulumi-kantata";
import { CREATE, SECRET_TOKEN, startTestSandbox } from "../support/sandbox";
import { collectOutput, createEngineStack, type EngineStack } from "../../scripts/lib/engineStack";

jest.setTimeout(240_000);

const GROUP = 5523;
let sandbox: Sandbox;
const stacks: EngineStack[] = [];

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  for (const stack of stacks) await stack.dispose();
  await sandbox?.stop();
});

async function stackWith(userIds: number[], options: { token?: string; tokenVia: "config" | "env" }) {
  const declared = { userIds };
  const engine = await createEngineStack({
    program: async () => {
      for (const userId of declared.userIds) new UserGroupMembership(`member-${userId}`, { userId, workspaceGroupId: GROUP });
    },
    baseUrl: sandbox.url,
    token: options.token ?? sandbox.token,
    tokenVia: options.tokenVia,
  });
  stacks.push(engine);
  return { engine, declared };
}

describe("the real engine with the token in the environment", () => {
  it("works, and keeps the token out of state", async () => {
    const { engine } = await stackWith([1010], { tokenVia: "env" });
    await engine.stack.up();
    expect(sandbox.store.findMembership(1010, GROUP)).toBeDefined();
    for (const text of await engine.stateTexts()) expect(text).not.toContain(SECRET_TOKEN);
    await engine.stack.destroy();
    expect(sandbox.store.findMembership(1010, GROUP)).toBeUndefined();
  });
});

describe("a wrong token", () => {
  it("fails with a message that says 401 and how to fix it, without echoing the token", async () => {
    const wrong = "wrong-token-4c1d-do-not-echo";
    const { engine } = await stackWith([1011], { token: wrong, tokenVia: "config" });
    const output = collectOutput();
    const error = await engine.stack.up({ onOutput: output.onOutput }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/rejected the API token \(401.*kantata:apiToken or KANTATA_API_TOKEN/s);
    expect(`${error?.message}${output.text()}`).not.toContain(wrong);
    for (const text of await engine.stateTexts()) expect(text).not.toContain(wrong);
  });
});

describe("upgrading the provider implementation", () => {
  it("plans no changes, and the next operation runs the new code", async () => {
    const { engine, declared } = await stackWith([1012], { tokenVia: "config" });
    await engine.stack.up();
    // Edit the installed package's implementation, as an upgrade would.
    const implementation = path.join(engine.workDir, "node_modules/pulumi-kantata/dist/provider/dynamic/userGroupMembership.js");
    const upgraded = readFileSync(implementation, "utf8").replace("so Pulumi did not create it", "so Pulumi (upgraded) did not create it");
    writeFileSync(implementation, `// upgraded implementation\n${upgraded}`);

    const preview = await engine.stack.preview();
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);

    sandbox.store.addMembership({ userId: 1013, workspaceGroupId: GROUP });
    declared.userIds = [1012, 1013];
    await expect(engine.stack.up()).rejects.toThrow(/Pulumi \(upgraded\) did not create it/);
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBeGreaterThanOrEqual(1);
  });
});

describe("the import resource option", () => {
  it("does not work for dynamic resources on this engine, which is why adoptExisting exists", async () => {
    const existing = sandbox.store.addMembership({ userId: 1014, workspaceGroupId: GROUP });
    const engine = await createEngineStack({
      program: async () => {
        new UserGroupMembership("imported", { userId: 1014, workspaceGroupId: GROUP }, { import: String(existing.id) });
      },
      baseUrl: sandbox.url,
      token: sandbox.token,
      tokenVia: "config",
    });
    stacks.push(engine);
    const output = collectOutput();
    await expect(engine.stack.up({ onOutput: output.onOutput })).rejects.toThrow();
    // The engine asks the plugin to read the resource with no properties, so no serialized provider
    // (pulumi/pulumi#16175); the SDK's host then fails before any provider code runs.
    expect(output.text()).toContain("importing failed");
    expect(output.text()).toContain("Cannot read properties of undefined (reading 'toJavaScript')");
    expect(sandbox.store.findMembership(1014, GROUP)?.id).toBe(existing.id);
  });
});
