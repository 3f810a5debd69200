/**
 * A public API is a promise: every name a README or CHANGELOG of this package ever documented from an entry
 * point is importable from that entry of the packed package (`npm pack`, installed the way users install it).
 * A name that moves stays served where it was documented; one that cannot come back must fail with a message
 * saying what changed, and this table then says so.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { type Program, createProgram } from "../../scripts/lib/pulumi";

/** [entry, name, where it was documented (the commit that first documented it there)]. */
const DOCUMENTED: ReadonlyArray<readonly [entry: string, name: string, where: string]> = [
  ["pulumi-kantata", "UserGroupMembership", "README usage and CHANGELOG 0.1.0 (77b93cf)"],
  ["pulumi-kantata", "WorkspaceGroupMembers", "README usage and CHANGELOG 0.1.0 (77b93cf)"],
  ["pulumi-kantata", "createKantataClient", "README Configuration (77b93cf)"],
  ["pulumi-kantata", "KantataApiError", "README Errors and retries (77b93cf); CHANGELOG Unreleased (b7eb193)"],
  ["pulumi-kantata", "WorkspaceGroup", "README program and CHANGELOG Unreleased (16c1598)"],
  ["pulumi-kantata", "AccessRules", "README program and CHANGELOG Unreleased (033f0f9)"],
  ["pulumi-kantata", "declareAccess", "README Access as code (d5936f1)"],
  ["pulumi-kantata/access", "declareAccess", "CHANGELOG 0.2.0 and README example (f543642); README list (9fbf0f9)"],
  ["pulumi-kantata/access", "loadAccessFile", "CHANGELOG 0.2.0 and README example (f543642); README list (9fbf0f9)"],
  ["pulumi-kantata/access", "formatAccessFile", "README Access as code (9fbf0f9)"],
  ["pulumi-kantata/access", "reviewPreview", "README Access as code (9fbf0f9)"],
  ["pulumi-kantata/access", "renderReview", "README Access as code (9fbf0f9)"],
  ["pulumi-kantata/access", "reviewJson", "README Access as code (b7eb193)"],
  ["pulumi-kantata/access", "endDatesOn", "README Guardrails (033f0f9)"],
  ["pulumi-kantata/sandbox", "startSandbox", "README Sandbox (77b93cf)"],
  // The shim serialized into every stack's state calls these by name (README Architecture, 77b93cf).
  ...(["configure", "check", "diff", "create", "read", "update", "delete"] as const).map(
    (name) => ["pulumi-kantata/dynamic", name, "README Architecture: the serialized shim's require (77b93cf)"] as const,
  ),
];

/** What `startSandbox` returns, as the README's Sandbox section documents it (77b93cf, e9fb060). */
const SANDBOX_MEMBERS = ["url", "store", "counters", "faults", "setRateLimit", "stop"];

const ACCESS_FILE = "groups:\n  Finance:\n    members:\n      - grace.hopper@example.com\n";

/** Runs `script` with node in the program directory, where pulumi-kantata is installed from the tarball; its last output line is JSON. */
function runIn(program: Program, name: string, script: string): unknown {
  const file = path.join(program.dir, name);
  writeFileSync(file, script);
  const stdout = execFileSync(process.execPath, [file], { cwd: program.dir, encoding: "utf8" });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null") as unknown;
}

jest.setTimeout(180_000);

let program: Program;
beforeAll(async () => {
  program = await createProgram({ templateDir: path.join(__dirname, "program"), install: "shared", sdkVersion: "3.248.0" });
});
afterAll(() => program?.dispose());

it("every documented name is exported by its entry of the packed package", () => {
  const found = runIn(
    program,
    "names.js",
    `const table = ${JSON.stringify(DOCUMENTED)};
     console.log(JSON.stringify(table.map(([entry, name]) => [entry, name, typeof require(entry)[name]])));`,
  );
  expect(found).toEqual(DOCUMENTED.map(([entry, name]) => [entry, name, "function"]));
});

it("pulumi-kantata/access loads no Pulumi SDK, and its declareAccess declares a file's resources on first call", () => {
  const seen = runIn(
    program,
    "declare.js",
    `const sdkLoaded = () => Object.keys(require.cache).some((file) => file.includes("@pulumi/pulumi"));
     const { declareAccess, parseAccessFile } = require("pulumi-kantata/access");
     const loadedWithEntry = sdkLoaded();
     const pulumi = require("@pulumi/pulumi");
     pulumi.runtime.setMocks({ newResource: (r) => ({ id: r.name, state: r.inputs }), call: (c) => c.inputs }, "documented", "api", false);
     const groups = declareAccess(parseAccessFile(${JSON.stringify(ACCESS_FILE)}, "access.yaml"));
     const { WorkspaceGroupMembers } = require("pulumi-kantata");
     console.log(JSON.stringify({ loadedWithEntry, declared: groups.map((g) => g instanceof WorkspaceGroupMembers) }));`,
  );
  expect(seen).toEqual({ loadedWithEntry: false, declared: [true] });
});

it("startSandbox returns what the README documents", () => {
  const members = runIn(
    program,
    "sandbox.js",
    `require("pulumi-kantata/sandbox").startSandbox({ port: 0 }).then(async (sandbox) => {
       const members = ${JSON.stringify(SANDBOX_MEMBERS)}.filter((name) => sandbox[name] !== undefined);
       await sandbox.stop();
       console.log(JSON.stringify(members));
     });`,
  );
  expect(members).toEqual(SANDBOX_MEMBERS);
});
