/**
 * examples/yaml as a user runs it: a Pulumi YAML program copied out of the repository, the packed package
 * installed by npm beside it, the real `pulumi` CLI with pulumi-language-yaml, and the kantata provider
 * plugin loaded from node_modules/pulumi-kantata/bin as the program's Pulumi.yaml says. Evidence is the
 * sandbox's own contents and request counts.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import type { Sandbox } from "../../sandbox";
import { type CliResult, type Program, type Project, assertNoChanges, createProgram, openProject } from "../../scripts/lib/pulumi";
import { ownedPerTest } from "../support/engine";
import { SECRET_TOKEN, startTestSandbox } from "../support/sandbox";

const TEMPLATE = path.join(__dirname, "..", "..", "examples", "yaml");
const run = promisify(execFile);
jest.setTimeout(300_000);

/** What the sandbox holds: group names, and memberships as "group: email". */
function contents(sandbox: Sandbox): { groups: string[]; memberships: string[] } {
  const groups = sandbox.store.listWorkspaceGroups().map((g) => g.name);
  const memberships = sandbox.store
    .listMemberships()
    .map((m) => `${sandbox.store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${sandbox.store.getUser(m.userId)!.emailAddress}`);
  return { groups: groups.sort(), memberships: memberships.sort() };
}

const minus = (after: string[], before: string[]): string[] => after.filter((item) => !before.includes(item));

/** What examples/yaml's access.yaml declares: like `declareAccess`, the Access component releases it from code on destroy. */
const FROM_ACCESS_FILE = ["Delivery-EMEA: alan.turing@example.com", "Delivery-EMEA: grace.hopper@example.com"];
/** What examples/yaml declares: Pulumi.yaml's resources and the groups of its access.yaml. */
const DECLARED = {
  groups: ["Platform Team"],
  memberships: [
    ...FROM_ACCESS_FILE,
    "Finance: ada.lovelace@example.com",
    "Platform Team: barbara.liskov@example.com",
    "Platform Team: donald.knuth@example.com",
  ],
};

const own = ownedPerTest();
let program: Program;
const projects: Project[] = [];

beforeAll(async () => {
  program = await createProgram({ templateDir: TEMPLATE, sdkVersion: "3.248.0", install: "shared" });
});
afterEach(async () => {
  for (const project of projects.splice(0)) await project.dispose();
});
afterAll(() => program?.dispose());

const pulumiYaml = () => path.join(program.dir, "Pulumi.yaml");
const original = () => readFileSync(path.join(TEMPLATE, "Pulumi.yaml"), "utf8");
/** Pulumi.yaml with one edit; every test starts from the example's own. */
function editProgram(from: string, to: string): void {
  const text = original();
  if (!text.includes(from)) throw new Error(`examples/yaml/Pulumi.yaml has no ${JSON.stringify(from)}`);
  writeFileSync(pulumiYaml(), text.replace(from, to));
}

/** A stack of the example on the sandbox; the token as secret stack config, as the guide says. */
async function openStack(sandbox: Sandbox, options: { token?: boolean } = {}): Promise<Project> {
  writeFileSync(pulumiYaml(), original());
  return openProject({
    program,
    stackName: `yaml-${projects.length}-${Date.now()}`,
    config: { "kantata:baseUrl": sandbox.url, ...((options.token ?? true) && { "kantata:apiToken": { value: SECRET_TOKEN, secret: true } }) },
  });
}

/** A stack of the example on a sandbox of the test's own, both closed after the test. */
async function stackOnSandbox(options: { token?: boolean } = {}) {
  const sandbox = await own.sandbox();
  const project = await openStack(sandbox, options);
  projects.push(project);
  return { sandbox, project };
}

/**
 * A failed preview: its whole output, which must be a message for a person, never a stack trace or a panic.
 * Without colour codes: pulumi-language-yaml colours its diagnostics even under --color=never.
 */
async function failedPreview(project: Project): Promise<string> {
  const result = await project.pulumi(["preview"], { check: false });
  expect(result.code).not.toBe(0);
  const output = stripVTControlCharacters(result.output);
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(output).not.toMatch(/goroutine \d+|panic:/);
  return output;
}

/** The lines of `pulumi preview --diff` that add (+) or remove (-) a value. */
const diffLines = (result: CliResult, sign: "+" | "-"): string[] =>
  result.stdout.split("\n").filter((line) => line.trimStart().startsWith(`${sign} `));

// One stack through the example's life, in order (each CLI run costs seconds of CPU): up, a preview that plans
// nothing, a reviewed change that is previewed only, then destroy (which runs no program, so the edit stays unapplied).
describe("examples/yaml through pulumi-language-yaml and the kantata plugin", () => {
  let sandbox: Sandbox;
  let project: Project;
  let before: ReturnType<typeof contents>;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    project = await openStack(sandbox);
    before = contents(sandbox);
  });
  afterAll(async () => {
    await project?.dispose();
    await sandbox?.stop();
  });

  it("up applies exactly the declaration, and a second preview plans nothing and asks Kantata only the look-up", async () => {
    await project.pulumi(["up", "--yes", "--skip-preview"]);
    const after = contents(sandbox);
    expect({ groups: minus(after.groups, before.groups), memberships: minus(after.memberships, before.memberships) }).toEqual(DECLARED);
    expect({ groups: minus(before.groups, after.groups), memberships: minus(before.memberships, after.memberships) }).toEqual({
      groups: [],
      memberships: [],
    });

    sandbox.counters.reset();
    const preview = await project.pulumi(["preview", "--json"]);
    assertNoChanges(preview);
    expect(sandbox.counters.snapshot().byRoute).toEqual({ "GET /users": 1 });
  });

  it("a change of one person shows one + and one - line in preview --diff, and kantata-access review names both", async () => {
    editProgram("        - donald.knuth@example.com\n", "        - margaret.hamilton@example.com\n");
    const diff = await project.pulumi(["preview", "--diff"]);
    expect(diffLines(diff, "+")).toEqual([expect.stringContaining("margaret.hamilton@example.com")]);
    expect(diffLines(diff, "-")).toEqual([expect.stringContaining("donald.knuth@example.com")]);

    const previewFile = path.join(program.dir, "preview.json");
    writeFileSync(previewFile, (await project.pulumi(["preview", "--json"])).stdout);
    // The command as the package installs it, on the real engine's preview of the YAML program.
    const review = await run(path.join(program.dir, "node_modules", ".bin", "kantata-access"), ["review", previewFile, "--format", "text"]);
    expect(review.stdout).toBe(
      "Kantata OX access changes: 1 person gains access, 1 person loses access, in 1 group.\n\nPlatform Team\n  + margaret.hamilton@example.com\n  - donald.knuth@example.com\n",
    );
  });

  it("destroy removes what the program's resources made, and the token is in no state file or output", async () => {
    await project.pulumi(["destroy", "--yes"]);
    expect(contents(sandbox)).toEqual({ groups: before.groups, memberships: [...before.memberships, ...FROM_ACCESS_FILE].sort() });
    const state = readFileSync(path.join(project.dir, `Pulumi.${project.stackName}.yaml`), "utf8");
    expect([state, ...project.history.map((run) => run.output)].filter((text) => text.includes(SECRET_TOKEN))).toEqual([]);
  });
});

describe("bad input fails the preview with a clear message", () => {
  // A failed preview changes nothing, so the bad edits share one stack; each edits the example's own Pulumi.yaml.
  let sandbox: Sandbox;
  let project: Project;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    project = await openStack(sandbox);
  });
  afterAll(async () => {
    await project?.dispose();
    await sandbox?.stop();
  });

  it("a wrong type: members: 5", async () => {
    editProgram("      members:\n        - barbara.liskov@example.com\n        - donald.knuth@example.com\n", "      members: 5\n");
    const output = await failedPreview(project);
    expect(output).toMatch(/on Pulumi\.yaml line \d+:\n\s+\d+:\s+members: 5\n/);
    expect(output).toMatch(/members: Cannot assign type 'number' to type 'List<Union<string, integer>>'/);
  });

  it("an unknown property", async () => {
    editProgram("      notes: Runs the deploy pipeline\n", "      notez: Runs the deploy pipeline\n");
    const output = await failedPreview(project);
    expect(output).toContain("Property notez does not exist on 'kantata:index:WorkspaceGroup'");
    expect(output).toMatch(/Existing properties are: .*\bnotes\b/);
  });

  it("an unknown address, with the closest known one", async () => {
    editProgram("        - donald.knuth@example.com\n", "        - donald.knuht@example.com\n");
    expect(await failedPreview(project)).toContain(
      "No user of this Kantata OX account has the address donald.knuht@example.com; did you mean donald.knuth@example.com?",
    );
  });

  it("an unknown address in the look-up, with the closest known one", async () => {
    editProgram("        email: ada.lovelace@example.com\n", "        email: ada.lovelace@exmaple.com\n");
    expect(await failedPreview(project)).toContain(
      "No user of this Kantata OX account has the address ada.lovelace@exmaple.com; did you mean ada.lovelace@example.com?",
    );
  });

  it("an unknown group", async () => {
    editProgram("      group: Finance\n", "      group: Finanse\n");
    expect(await failedPreview(project)).toContain('This Kantata OX account has no workspace group named "Finanse"; did you mean "Finance"?');
  });

  it("a missing token", async () => {
    const { project: tokenless } = await stackOnSandbox({ token: false });
    expect(await failedPreview(tokenless)).toContain(
      "No Kantata OX API token is configured. Set it in one of three ways: pass `apiToken` explicitly; run `pulumi config set --secret kantata:apiToken`",
    );
  });
});
