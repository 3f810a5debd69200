/**
 * Bringing an existing account under code, as a team would: the sandbox's seeded "company" account
 * (40 groups, 2,500 people, 9,000 memberships made by hand), `kantata-access export --all` from the
 * installed package, examples/access-as-code applied to that file by the real CLI. The first `up` must
 * write nothing, also for a member who has left (exported by email, hidden from GET /users); an edit must
 * be reviewed as exactly the people who move, and applied as exactly that.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parseAccessFile } from "../../access/accessFile";
import { COMPANY_MEMBERSHIP_COUNT, type Sandbox, startSandbox } from "../../sandbox";
import { type Program, type Project, assertNoChanges, createProgram, openProject } from "../../scripts/lib/pulumi";

const TOKEN = "onboarding-token-7b1d";
const TEMPLATE = path.join(__dirname, "..", "..", "examples", "access-as-code");
jest.setTimeout(600_000);

let sandbox: Sandbox;
let program: Program;
let project: Project;

/** Every membership in the sandbox as "Group: email", sorted: the account as evidence. */
const account = (): string[] =>
  sandbox.store
    .listMemberships()
    .map((m) => `${sandbox.store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${sandbox.store.getUser(m.userId)!.emailAddress.toLowerCase()}`)
    .sort();

/** What an access file declares, in the same form. */
const declared = (text: string): string[] =>
  parseAccessFile(text, "access.yaml")
    .groups.flatMap((group) => group.members.map((member) => `${group.name}: ${String(member)}`))
    .sort();

const writes = () => {
  const { byMethod } = sandbox.counters.snapshot();
  return (byMethod.POST ?? 0) + (byMethod.DELETE ?? 0);
};

async function exportAll(): Promise<string> {
  const bin = path.join(program.dir, "node_modules", ".bin", "kantata-access");
  const { stdout } = await promisify(execFile)(bin, ["export", "--all", "--exported-at", "2026-01-01T00:00:00Z"], {
    env: { ...process.env, KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN },
    maxBuffer: 32 * 1024 * 1024,
  });
  return stdout;
}

beforeAll(async () => {
  sandbox = await startSandbox({ token: TOKEN, account: "company" });
  program = await createProgram({ templateDir: TEMPLATE, sdkVersion: "3.248.0", install: "shared" });
  project = await openProject({ program, env: { KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN } });
});

afterAll(async () => {
  await project?.dispose();
  program?.dispose();
  await sandbox?.stop();
});

/** A member of Legal in neither Finance nor Delivery-EMEA (the groups the edit below touches), as "Group: email" lines know them. */
function legalOnly(lines: readonly string[]): string {
  const inGroup = (group: string) => new Set(lines.filter((l) => l.startsWith(`${group}: `)).map((l) => l.slice(group.length + 2)));
  const [finance, emea] = [inGroup("Finance"), inGroup("Delivery-EMEA")];
  return [...inGroup("Legal")].find((email) => !finance.has(email) && !emea.has(email))!;
}

it("export, a first up that writes nothing, a clean preview, then one reviewed edit applied exactly", async () => {
  const before = account();
  expect(before).toHaveLength(COMPANY_MEMBERSHIP_COUNT);
  // Someone HR offboarded: their memberships stay, GET /users no longer shows them. Before, the first up failed on them.
  const left = legalOnly(before);
  sandbox.store.disableUser(sandbox.store.findUserByEmail(left)!.id);

  const exported = await exportAll();
  expect(declared(exported)).toEqual(before);
  writeFileSync(path.join(program.dir, "access.yaml"), exported);

  sandbox.counters.reset();
  await project.pulumi(["up", "--yes", "--skip-preview"]);
  expect(writes()).toBe(0);
  expect(account()).toEqual(before);
  sandbox.counters.reset();
  const clean = await project.pulumi(["preview", "--json", "--show-sames"]);
  assertNoChanges(clean);
  expect(sandbox.counters.snapshot().total).toBe(0);
  writeFileSync(path.join(program.dir, "clean.json"), clean.stdout);
  const listed = await promisify(execFile)(
    path.join(program.dir, "node_modules", ".bin", "kantata-access"),
    ["review", "--format", "json", "clean.json"],
    {
      cwd: program.dir,
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  const { inactive } = JSON.parse(listed.stdout) as { inactive: Array<{ group: string; person: string }> };
  expect(inactive.map((note) => `${note.group}: ${note.person}`).sort()).toEqual(before.filter((line) => line.endsWith(`: ${left}`)));

  // One person joins Finance, one leaves Delivery-EMEA.
  const file = parseAccessFile(exported, "access.yaml");
  const finance = file.groups.find((g) => g.name === "Finance")!;
  const emea = file.groups.find((g) => g.name === "Delivery-EMEA")!;
  const joiner = before.map((line) => line.split(": ")[1]).find((email) => !finance.members.includes(email) && email !== left)!;
  const leaver = String(emea.members[17]);
  const edited = exported
    .replace(/(\n {2}Finance:\n {4}mode: additive\n {4}members:\n)/, `$1      - ${joiner}\n`)
    .replace(`\n      - ${leaver}\n`, "\n");
  expect(declared(edited).length).toBe(before.length); // one added, one removed
  writeFileSync(path.join(program.dir, "access.yaml"), edited);

  const preview = await project.pulumi(["preview", "--json"]);
  writeFileSync(path.join(program.dir, "preview.json"), preview.stdout);
  const review = await promisify(execFile)(
    path.join(program.dir, "node_modules", ".bin", "kantata-access"),
    ["review", "--format", "text", "preview.json"],
    {
      cwd: program.dir,
    },
  );
  expect(review.stdout).toBe(
    `Kantata OX access changes: 1 person gains access, 1 person loses access, in 2 groups.\n\nDelivery-EMEA\n  - ${leaver}\n\nFinance\n  + ${joiner}\n`,
  );

  await project.pulumi(["up", "--yes", "--skip-preview"]);
  expect(account()).toEqual(declared(edited));
  assertNoChanges(await project.pulumi(["preview", "--json"]));
  expect(readFileSync(path.join(program.dir, "access.yaml"), "utf8")).toBe(edited);
});
