import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UserGroupMembership } from "../../provider";
import { CREATE, SECRET_TOKEN } from "../support/sandbox";
import { ownedPerTest, upThenNoChanges } from "../support/engine";
import { collectOutput } from "../../scripts/lib/pulumi";

jest.setTimeout(240_000);

const GROUP = 5523;
const own = ownedPerTest();

/** A sandbox of the test's own, and a stack declaring these people (by email or id) in Finance; each resource is named after its position, so appending one keeps the others. */
async function stackWith(users: Array<string | number>, options: { token?: string; tokenVia: "config" | "env" }) {
  const sandbox = await own.sandbox();
  const declared = { users };
  const engine = await own.stack(
    sandbox,
    async () => {
      declared.users.forEach((user, i) => new UserGroupMembership(`member-${i}`, { user, group: "Finance" }));
    },
    { token: options.token ?? sandbox.token, tokenVia: options.tokenVia },
  );
  return { sandbox, engine, declared };
}

describe("the real engine with the token in the environment", () => {
  it("works, and keeps the token out of state", async () => {
    const { sandbox, engine } = await stackWith(["frances.allen@example.com"], { tokenVia: "env" });
    await upThenNoChanges(engine, sandbox);
    expect(sandbox.store.findMembership(1010, GROUP)).toBeDefined();
    for (const text of await engine.stateTexts()) expect(text).not.toContain(SECRET_TOKEN);
    await engine.stack.destroy();
    expect(sandbox.store.findMembership(1010, GROUP)).toBeUndefined();
  });
});

describe("a wrong token", () => {
  it("fails with a message that says 401 and how to fix it, without echoing the token", async () => {
    const wrong = "wrong-token-4c1d-do-not-echo";
    const { engine } = await stackWith(["john.mccarthy@example.com"], { token: wrong, tokenVia: "config" });
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
    const { sandbox, engine, declared } = await stackWith(["radia.perlman@example.com"], { tokenVia: "config" });
    await upThenNoChanges(engine, sandbox);
    // Edit the installed package's implementation, as an upgrade would. (Its check's message for an
    // unknown address is the edit: taking over an existing membership would need GET /users/me.)
    const implementation = path.join(engine.workDir, "node_modules/pulumi-kantata/dist/provider/identity/resolve.js");
    const original = readFileSync(implementation, "utf8");
    const upgraded = original.replace(
      "No user of this Kantata OX account has the address",
      "(upgraded) No user of this Kantata OX account has the address",
    );
    expect(upgraded).not.toBe(original);
    writeFileSync(implementation, `// upgraded implementation\n${upgraded}`);

    const preview = await engine.stack.preview();
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);

    sandbox.counters.reset();
    declared.users = ["radia.perlman@example.com", "tony.hore@example.com"];
    await expect(engine.stack.up()).rejects.toThrow(
      /\(upgraded\) No user of this Kantata OX account has the address tony\.hore@example\.com; did you mean tony\.hoare@example\.com\?/,
    );
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);

    declared.users = ["radia.perlman@example.com", "tony.hoare@example.com"];
    await upThenNoChanges(engine, sandbox);
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(1);
    expect(sandbox.store.findMembership(1013, GROUP)).toBeDefined();
  });
});

describe("the import resource option", () => {
  it("does not work for dynamic resources on this engine, which is why adoptExisting exists", async () => {
    const sandbox = await own.sandbox();
    const existing = sandbox.store.addMembership({ userId: 1014, workspaceGroupId: GROUP });
    const engine = await own.stack(sandbox, async () => {
      new UserGroupMembership("imported", { user: "leslie.lamport@example.com", group: GROUP }, { import: String(existing.id) });
    });
    const output = collectOutput();
    await expect(engine.stack.up({ onOutput: output.onOutput })).rejects.toThrow();
    // The engine asks the plugin to read the resource with no properties, so no serialized provider
    // (pulumi/pulumi#16175); the SDK's host then fails before any provider code runs.
    expect(output.text()).toContain("importing failed");
    expect(output.text()).toContain("Cannot read properties of undefined (reading 'toJavaScript')");
    expect(sandbox.store.findMembership(1014, GROUP)?.id).toBe(existing.id);
  });
});
