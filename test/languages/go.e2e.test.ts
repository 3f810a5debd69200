/**
 * examples/go through the real engine: a Go program on the generated Go SDK (sdk/go), run inline by the Go
 * Automation API (no Go language host), with the kantata plugin loaded from bin/ and the sandbox's URL and
 * token as stack config (the token a secret). What the sandbox holds is the evidence.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Sandbox } from "../../sandbox";
import { REPO_ROOT, newWorkDir } from "../../scripts/lib/pulumi";
import { KANTATA_PLUGIN_DIR, engineEnv } from "../../scripts/lib/pulumi/cli";
import { SECRET_TOKEN, startTestSandbox } from "../support/sandbox";

const EXAMPLE = path.join(REPO_ROOT, "examples", "go");
// The first build of the driver compiles the Automation API (minutes on a cold Go cache); the runs take seconds.
jest.setTimeout(900_000);

let sandbox: Sandbox;
let work: string;
let driver: string;

/** What the driver printed, and its last line: the run's changes and, after `up`, the stack's outputs. */
interface Run {
  output: string;
  changes: Record<string, number>;
  outputs?: Record<string, unknown>;
}

async function example(...args: string[]): Promise<Run> {
  const env = {
    ...engineEnv({ backendDir: path.join(work, "state"), pulumiHome: path.join(work, "home") }),
    HOME: process.env.HOME ?? work,
    KANTATA_BASE_URL: sandbox.url,
    KANTATA_API_TOKEN: SECRET_TOKEN,
    KANTATA_PLUGIN_DIR,
  };
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(driver, args, { cwd: EXAMPLE, env, maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    const { stdout: out = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`kantata-go-example ${args.join(" ")} failed:\n${out}\n${stderr}`, { cause: error });
  }
  const lines = stdout.trimEnd().split("\n");
  const report = JSON.parse(lines.at(-1)!) as Omit<Run, "output">;
  return { output: stdout, ...report };
}

/** Everything the account holds, as "group" and "group: email" lines: the sandbox's own contents. */
function account(): string[] {
  const { store } = sandbox;
  return [
    ...store.listWorkspaceGroups().map((g) => g.name),
    ...store.listMemberships().map((m) => `${store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${store.getUser(m.userId)!.emailAddress}`),
  ].sort();
}

/** The stack's resources as the backend records them (the checkpoint is the state file of stack "dev"). */
function recordedResources(): Array<{ type: string; outputs?: Record<string, unknown> }> {
  const file = path.join(work, "state", ".pulumi", "stacks", "kantata-go-example", "dev.json");
  const { checkpoint } = JSON.parse(readFileSync(file, "utf8")) as {
    checkpoint: { latest: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> } };
  };
  return checkpoint.latest.resources;
}

interface SchemaResource {
  properties: Record<string, unknown>;
  required: string[];
}
const SCHEMA = JSON.parse(readFileSync(path.join(REPO_ROOT, "provider", "plugin", "schema.json"), "utf8")) as {
  resources: Record<string, SchemaResource>;
};

const changed = (changes: Record<string, number>) => Object.fromEntries(Object.entries(changes).filter(([op, n]) => op !== "same" && n > 0));

beforeAll(async () => {
  sandbox = await startTestSandbox();
  work = newWorkDir("go-example");
  driver = path.join(work, "kantata-go-example");
  mkdirSync(path.join(work, "state"));
  await promisify(execFile)("go", ["build", "-o", driver, "."], { cwd: EXAMPLE, env: process.env });
});

afterAll(async () => {
  await sandbox?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

it("up applies exactly the declaration and records the outputs the schema names, a second preview changes nothing and reads only its look-up, one swapped person is one + and one -, a broken rule fails the preview, destroy leaves what was there", async () => {
  const before = account();

  const up = await example("up");
  expect(changed(up.changes)).toEqual({ create: 5 }); // the stack, the group, its members, the single membership, the rules
  const added = account().filter((line) => !before.includes(line));
  expect(added).toEqual([
    "Finance: grace.hopper@example.com",
    "Platform Team",
    "Platform Team: ada.lovelace@example.com",
    "Platform Team: alan.turing@example.com",
    "Platform Team: barbara.liskov@example.com",
  ]);
  expect(before.filter((line) => !account().includes(line))).toEqual([]);
  // What the plugin recorded is what the schema (and so every SDK) says a resource has: each output it
  // names (but the hidden `__` ones), and every output the schema calls required.
  const custom = recordedResources().filter((r) => r.type.startsWith("kantata:index:"));
  expect(custom.map((r) => r.type).sort()).toEqual(
    Object.keys(SCHEMA.resources)
      .filter((t) => t !== "kantata:index:Access")
      .sort(),
  );
  for (const { type, outputs = {} } of custom) {
    const { properties, required } = SCHEMA.resources[type];
    const recorded = Object.keys(outputs).filter((key) => !key.startsWith("__"));
    expect({ type, unknownToSchema: recorded.filter((key) => !(key in properties)) }).toEqual({ type, unknownToSchema: [] });
    expect({ type, missing: required.filter((key) => !recorded.includes(key)) }).toEqual({ type, missing: [] });
  }
  // getUser answered with Ada's id in the account.
  expect(up.outputs?.adaUserId).toBe(sandbox.store.findUserByEmail("ada.lovelace@example.com")!.id);

  sandbox.counters.reset();
  const again = await example("preview");
  expect(changed(again.changes)).toEqual({});
  // The resources read nothing; the program's getUser look-up is its one request.
  expect(sandbox.counters.snapshot().byRoute).toEqual({ "GET /users": 1 });

  const swapped = await example("preview", "-diff", "-members", "ada.lovelace@example.com,alan.turing@example.com,dennis.ritchie@example.com");
  expect(changed(swapped.changes)).toEqual({ update: 1 });
  // The resource's own diff (the stack's outputs follow it, after "--outputs:--").
  const diff = swapped.output.slice(
    swapped.output.indexOf("kantata:index:WorkspaceGroupMembers: (update)"),
    swapped.output.indexOf("--outputs:--"),
  );
  const people = diff.split("\n").filter((line) => /^\s*[-+] [^ ]+@example\.com/.test(line));
  expect(people.map((line) => line.trim().split(":")[0])).toEqual(["- barbara.liskov@example.com", "+ dennis.ritchie@example.com"]);

  // Six people break the program's rule (at most 5 in Platform Team): the preview fails, naming it.
  const six = ["ada.lovelace", "alan.turing", "barbara.liskov", "dennis.ritchie", "ken.thompson", "tony.hoare"].map((n) => `${n}@example.com`);
  await expect(example("preview", "-members", six.join(","))).rejects.toThrow(/rule 1 \(.*a small team runs the deploy pipeline\) is broken/);

  const destroyed = await example("destroy");
  expect(changed(destroyed.changes)).toEqual({ delete: 5 });
  expect(account()).toEqual(before);

  // The token was stack config, a secret: it is in no output and nowhere in the state backend.
  const state = readdirSync(path.join(work, "state"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".json"))
    .map((file) => readFileSync(path.join(work, "state", file), "utf8"));
  for (const text of [up.output, again.output, swapped.output, destroyed.output, ...state]) expect(text).not.toContain(SECRET_TOKEN);
});
