/**
 * Compatibility smoke test: the packed package (`npm pack` tarball) installed into a directory project,
 * run by the real `pulumi` CLI (language host, ts-node, dynamic-provider plugin) under the oldest and
 * newest runtimes we support: Node 20 with @pulumi/pulumi 3.248.0 (the newest for Node 20), and Node 22
 * with the newest @pulumi/pulumi. Each goes up → preview (no changes) → refresh → preview (no changes)
 * → destroy against a fresh sandbox, whose contents are the evidence.
 */
import path from "node:path";
import { type Sandbox, startSandbox } from "../../sandbox";
import type { WorkspaceGroupRecord } from "../../sandbox/records";
import {
  type CliResult,
  NODE22_VERSION,
  type Program,
  type Project,
  assertNoChanges,
  createProgram,
  node22BinDir,
  openProject,
  packPackage,
  previewOf,
  warningLines,
} from "../../scripts/lib/pulumi";

const TEMPLATE = path.join(__dirname, "program");
const TOKEN = "compat-token-4d1f";

/** The id the sandbox gives the group the program creates. */
const PLATFORM_TEAM_ID = 5524;
/** What test/compat/program/index.ts declares, as [workspaceGroupId, userId] pairs (5524: the group it creates). */
const DECLARED: Array<[number, number]> = [
  [5521, 1001],
  [5521, 1002],
  [5521, 1003],
  [5523, 1003],
  [5524, 1005],
];

const COMBINATIONS = [
  { label: "Node 20 + @pulumi/pulumi 3.248.0", node: "system", nodeMajor: "v20.", sdkVersion: "3.248.0" },
  { label: `Node ${NODE22_VERSION} + @pulumi/pulumi 3.270.0`, node: NODE22_VERSION, nodeMajor: `v${NODE22_VERSION}`, sdkVersion: "3.270.0" },
] as const;

function memberships(sandbox: Sandbox): Array<[number, number]> {
  return sandbox.store
    .listMemberships()
    .map((m): [number, number] => [m.workspaceGroupId, m.userId])
    .sort(([g1, u1], [g2, u2]) => g1 - g2 || u1 - u2);
}

/** The commands the lifecycle test runs; the run check below needs each of them to have run. */
const LIFECYCLE = ["up", "stack output", "preview", "refresh", "destroy"];

/**
 * What a CLI run said besides its result: its warning and error lines (for `preview --json`, its warning
 * and error diagnostics instead), and stderr lines other than the CLI's one notice, "Created stack '<name>'".
 */
function complaints(result: CliResult) {
  const stderr = result.stderr.split("\n").filter((line) => line.trim() !== "" && !/^Created stack '[^']+'$/.test(line.trim()));
  const run = `pulumi ${result.args.join(" ")}`;
  if (result.args[0] === "preview" && result.args.includes("--json")) {
    const diagnostics = previewOf(result).diagnostics ?? [];
    const said = (severity: string) => diagnostics.filter((d) => d.severity === severity).map((d) => d.message.trim());
    return { run, code: result.code, warnings: said("warning"), errors: said("error"), stderr };
  }
  const errors = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => /\berror:/i.test(line));
  return { run, code: result.code, warnings: warningLines(result), errors, stderr };
}

jest.setTimeout(240_000);

const DEMO_TEMPLATE = path.join(__dirname, "..", "..", "examples", "demo");

// Programs are installed one after the other: on a 2-core CI box three concurrent `npm install`s took
// as long together (20 s each) as in sequence, and slowed every CLI step running beside them.
/** What the lifecycle saw: every run it made, and the sandbox's memberships at each point. */
interface Lifecycle {
  before: Array<[number, number]>;
  up: CliResult;
  afterUp: Array<[number, number]>;
  outputs: { nodeVersion: string; sdkVersion: string };
  previewAfterUp: CliResult;
  refresh: CliResult;
  afterRefresh: Array<[number, number]>;
  previewAfterRefresh: CliResult;
  groupBeforeDestroy: WorkspaceGroupRecord | undefined;
  destroy: CliResult;
  afterDestroy: Array<[number, number]>;
  groupAfterDestroy: WorkspaceGroupRecord | undefined;
}

describe.each(COMBINATIONS)("$label", ({ node, nodeMajor, sdkVersion }) => {
  let program: Program;
  let sandbox: Sandbox;
  let project: Project;
  let lifecycle: Promise<Lifecycle> | undefined;

  beforeAll(async () => {
    const nodeBinDir = node === "system" ? undefined : await node22BinDir();
    program = await createProgram({ templateDir: TEMPLATE, sdkVersion, nodeBinDir });
    sandbox = await startSandbox({ token: TOKEN });
    project = await openProject({
      program,
      config: { "kantata:baseUrl": sandbox.url },
      env: { KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN },
    });
  });

  afterAll(async () => {
    const timings = project?.history.map((r) => `${r.args.slice(0, 2).join(" ")} ${r.ms} ms`).join(", ");
    const pack = (await packPackage()).ms;
    console.log(`[compat ${nodeMajor} sdk ${sdkVersion}] pack ${pack} ms (once per process), npm install ${program?.installMs} ms; ${timings}`);
    await project?.dispose();
    program?.dispose();
    await sandbox?.stop();
  });

  /** up → stack output → preview → refresh → preview → destroy (each preview as JSON, whose steps and diagnostics are read), run once by whichever test asks first: both tests read it. */
  const runLifecycle = (): Promise<Lifecycle> =>
    (lifecycle ??= (async () => {
      const before = memberships(sandbox);
      const up = await project.pulumi(["up", "--yes", "--skip-preview"]);
      const afterUp = memberships(sandbox);
      const outputs = JSON.parse((await project.pulumi(["stack", "output", "--json"])).stdout) as Lifecycle["outputs"];
      const previewAfterUp = await project.pulumi(["preview", "--json"]);
      const refresh = await project.pulumi(["refresh", "--yes"]);
      const afterRefresh = memberships(sandbox);
      const previewAfterRefresh = await project.pulumi(["preview", "--json"]);
      const groupBeforeDestroy = sandbox.store.getWorkspaceGroup(PLATFORM_TEAM_ID);
      const destroy = await project.pulumi(["destroy", "--yes"]);
      return {
        before,
        up,
        afterUp,
        outputs,
        previewAfterUp,
        refresh,
        afterRefresh,
        previewAfterRefresh,
        destroy,
        groupBeforeDestroy,
        afterDestroy: memberships(sandbox),
        groupAfterDestroy: sandbox.store.getWorkspaceGroup(PLATFORM_TEAM_ID),
      };
    })());

  it("runs the whole lifecycle from the packed package", async () => {
    const run = await runLifecycle();
    expect(run.before).toEqual([]);

    expect(warningLines(run.up)).toEqual([]);
    expect(run.afterUp).toEqual(DECLARED);

    // The combination asked for is the one that ran the program.
    expect(run.outputs.nodeVersion.startsWith(nodeMajor)).toBe(true);
    expect(run.outputs.sdkVersion).toBe(sdkVersion);

    assertNoChanges(run.previewAfterUp);

    expect(warningLines(run.refresh)).toEqual([]);
    expect(run.afterRefresh).toEqual(DECLARED);
    assertNoChanges(run.previewAfterRefresh);

    expect(run.groupBeforeDestroy).toMatchObject({ name: "Platform Team", notes: "Runs the deploy pipeline" });
    expect(run.afterDestroy).toEqual([]);
    expect(run.groupAfterDestroy).toBeUndefined();
    expect(run.destroy.stdout).toMatch(/deleted/);
  });

  // Every run of the lifecycle already throws on a non-zero exit; what can still go wrong unnoticed is a run
  // that exits 0 but complains: the test above reads warnings of `up` and `refresh` only.
  it("leaves no CLI run with a failed exit, a warning, an error or stray stderr", async () => {
    await runLifecycle();
    // Reads every run of the project; without the lifecycle's it would pass on nothing.
    expect(LIFECYCLE.filter((command) => !project.history.some((r) => r.args.join(" ").startsWith(command)))).toEqual([]);
    const noisy = project.history.map(complaints).filter((c) => c.code !== 0 || c.warnings.length + c.errors.length + c.stderr.length > 0);
    expect(noisy).toEqual([]);
  });
});

// examples/demo copied as it is (its own Pulumi.yaml and tsconfig.json): the README's program runs as a
// user's directory project. Checks what any version of the demo must do, not its exact memberships.
describe("examples/demo as a directory project (Node 20 + @pulumi/pulumi 3.248.0)", () => {
  let program: Program;
  let sandbox: Sandbox;
  let project: Project;

  beforeAll(async () => {
    // Linked to the shared install: the demo's manifest is the compat program's under Node 20 (neither has a
    // package.json of its own; both start at index.ts), so the `npm install` a user would run here is the one
    // the Node 20 lifecycle above runs in a directory of its own; documentedApi.test.ts links this same one.
    // What this test adds is the demo's own program, Pulumi.yaml and tsconfig.json.
    program = await createProgram({ templateDir: DEMO_TEMPLATE, sdkVersion: "3.248.0", install: "shared" });
    sandbox = await startSandbox({ token: TOKEN });
    project = await openProject({ program, env: { KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN } });
  });

  afterAll(async () => {
    console.log(
      `[compat examples/demo] npm install ${program?.installMs} ms; ${project?.history.map((r) => `${r.args.slice(0, 2).join(" ")} ${r.ms} ms`).join(", ")}`,
    );
    await project?.dispose();
    program?.dispose();
    await sandbox?.stop();
  });

  it("goes up warning-free, converges, and destroys everything it created", async () => {
    const up = await project.pulumi(["up", "--yes", "--skip-preview"]);
    expect(warningLines(up)).toEqual([]);
    const groups = new Set(memberships(sandbox).map(([group]) => group));
    expect([...groups].sort()).toEqual([5521, 5523]);
    assertNoChanges(await project.pulumi(["preview", "--json"]));
    await project.pulumi(["destroy", "--yes"]);
    expect(memberships(sandbox)).toEqual([]);
  });
});
