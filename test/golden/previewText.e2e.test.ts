/**
 * What a reviewer reads in `pulumi preview --diff`, through the real CLI on a directory project with the
 * packed package installed: one `+` line per person who gains access, one `-` line per person who loses
 * it, people by email, never a renumbered `=>` line. The expected texts live in expected/*.txt;
 * `UPDATE_GOLDEN=1` rewrites them from a run (review the diff before committing).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type CliResult, assertNoChanges, createProgram, openProject } from "../../scripts/lib/pulumi";
import { startTestSandbox } from "../support/sandbox";

const TOKEN = "golden-token-5e2a";
const GROUP = 5521; // Delivery-EMEA in the sandbox's seed
jest.setTimeout(300_000);

const disposals: Array<() => unknown> = [];
afterAll(async () => {
  for (const dispose of disposals.splice(0).reverse()) await dispose();
});

/** The preview as a reviewer sees it, without what changes from run to run (temp paths, timings). */
const normalise = (result: CliResult): string =>
  `${result.stdout}${result.stderr}`
    .replace(/\r/g, "")
    .replace(/\/tmp\/[^\s:'"]+/g, "<tmp>")
    .replace(/Duration: .*/g, "Duration: <time>")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd();

/**
 * Compares with expected/<name>.txt. Only `UPDATE_GOLDEN=1` writes it: a missing file fails, so a golden
 * deleted or renamed by mistake cannot pass by being written from the very output it should check.
 */
function expectGolden(name: string, text: string): void {
  const file = path.join(__dirname, "expected", `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(file, `${text}\n`);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(
      `No expected preview text ${path.relative(process.cwd(), file)}. Create it with \`UPDATE_GOLDEN=1 npx jest test/golden\` and review it like code.`,
    );
  }
  expect(text).toBe(readFileSync(file, "utf8").trimEnd());
}

/** Lines that mark a change: what the engine prints with +, - or ~ in front. */
const changeLines = (text: string): string[] =>
  text
    .split("\n")
    .filter((line) => /^\s*[-+~] /.test(line))
    .map((line) => line.trim());

/**
 * What every test starts from: a sandbox of 230 people (the seed's 20 named ones, then
 * sandbox.user.<id>@example.com), the program (its npm install shared, read-only, between test files) and a
 * stack with Delivery-EMEA's first 200 people applied, previewing no change. `declare` writes what the program
 * declares for the next run.
 *
 * Built once for the file, not once per test: every CLI run starts the program and the provider, each
 * loading the Pulumi SDK, and the `stack init`, the 200-member `up` and the `preview` that checks it were
 * 3 of every test's 4 to 7 runs, all giving the same stack. A preview changes neither the stack nor the
 * sandbox, so each test still previews its own change from exactly that baseline: before each test the
 * declaration is the baseline again, and after it what the test changed in the sandbox is taken back
 * ({@link undo}). The two tests that change the stack itself restore it (drift, by a refresh) or come last
 * (the rename).
 */
async function baselineApplied() {
  const sandbox = await startTestSandbox({ token: TOKEN });
  disposals.push(() => sandbox.stop());
  const emails = sandbox.store.ensureUsers(230).map((user) => user.emailAddress.toLowerCase());
  const program = await createProgram({ templateDir: path.join(__dirname, "program"), sdkVersion: "3.248.0", install: "shared" });
  disposals.push(() => program.dispose());
  const project = await openProject({ program, env: { KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN } });
  disposals.push(() => project.dispose());
  const baseline = () => emails.slice(0, 200);
  const declare = (members: Array<string | number>, mode = "authoritative", access?: string) =>
    writeFileSync(
      path.join(program.dir, "declaration.json"),
      JSON.stringify({ groups: [{ name: "delivery-emea", group: "Delivery-EMEA", members, mode }], access }),
    );
  declare(baseline());
  await project.pulumi(["up", "--yes", "--skip-preview"]);
  assertNoChanges(await project.pulumi(["preview", "--json"]));
  return { sandbox, emails, baseline, declare, program, project, previewDiff: () => project.pulumi(["preview", "--diff"]) };
}

let shared: Awaited<ReturnType<typeof baselineApplied>> | undefined;
beforeAll(async () => {
  shared = await baselineApplied();
});
/** The shared baseline, with the program declaring Delivery-EMEA's 200 people again. */
function fromBaseline() {
  if (shared === undefined) throw new Error("The baseline stack was not set up (see beforeAll's failure above)");
  shared.declare(shared.baseline());
  return shared;
}

/** What a test changed outside the program's declaration, taken back after it, whether it passed or not. */
const undos: Array<() => unknown> = [];
const undo = (step: () => unknown) => undos.push(step);
afterEach(async () => {
  for (const step of undos.splice(0).reverse()) await step();
});

describe("pulumi preview --diff of a 200-member group", () => {
  it("shows one + line for one person added in the middle, and nothing renumbered", async () => {
    const { baseline, declare, previewDiff } = fromBaseline();
    const added = "sandbox.user.1215@example.com"; // sorts among the sandbox.user.11xx/12xx addresses
    declare([...baseline(), added]);
    const text = normalise(await previewDiff());
    expect(changeLines(text)).toEqual([
      "~ pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers: (update)",
      "~ members                   : {",
      `+ ${added}: 1215`,
      "~ 1 to update",
    ]);
    expect(text).not.toContain("=>");
    expectGolden("one-added", text);
  });

  it("shows one - line for one person removed", async () => {
    const { emails, baseline, declare, previewDiff } = fromBaseline();
    const removed = emails[57];
    declare(baseline().filter((email) => email !== removed));
    const text = normalise(await previewDiff());
    expect(changeLines(text).filter((line) => line.startsWith("-") || line.startsWith("+"))).toEqual([`- ${removed}: ${1001 + 57}`]);
    expect(text).not.toContain("=>");
    expectGolden("one-removed", text);
  });

  it("shows exactly one + and one - line when one person replaces another", async () => {
    const { emails, baseline, declare, previewDiff } = fromBaseline();
    const removed = emails[120];
    const added = emails[215];
    declare([...baseline().filter((email) => email !== removed), added]);
    const text = normalise(await previewDiff());
    expect(
      changeLines(text)
        .filter((line) => /^[-+] /.test(line))
        .sort(),
    ).toEqual([`+ ${added}: ${1001 + 215}`, `- ${removed}: ${1001 + 120}`].sort());
    expect(text).not.toContain("=>");
    expectGolden("one-added-one-removed", text);
  });

  it("after a refresh, names a member added by hand to an authoritative group by email, with a - line", async () => {
    const { sandbox, emails, project, previewDiff } = fromBaseline();
    const intruder = 1001 + 222;
    const membership = sandbox.store.addMembership({ userId: intruder, workspaceGroupId: GROUP });
    // The tests after this one read the stack: stopped before its own last refresh, it is refreshed back.
    let stackBack = false;
    undo(async () => {
      if (sandbox.store.removeMembership(membership.id) || !stackBack) await project.pulumi(["refresh", "--yes"]);
    });
    await project.pulumi(["refresh", "--yes"]);
    const text = normalise(await previewDiff());
    expect(changeLines(text).filter((line) => /^[-+] /.test(line))).toEqual([`- ${emails[222]}: ${intruder}`]);
    expectGolden("authoritative-drift", text);
    // Taken out by hand again, a refresh brings the stack back to no change.
    sandbox.store.removeMembership(membership.id);
    await project.pulumi(["refresh", "--yes"]);
    stackBack = true;
    assertNoChanges(await project.pulumi(["preview", "--json"]));
  });

  it("fails on an unknown email, suggesting the closest address", async () => {
    const { emails, baseline, declare, project } = fromBaseline();
    const typo = emails[3].replace("@example.com", "@exmaple.com");
    declare([...baseline(), typo]);
    const result = await project.pulumi(["preview", "--diff"], { check: false });
    expect(result.code).not.toBe(0);
    const text = normalise(result);
    expect(text).toContain(`No user of this Kantata OX account has the address ${typo}; did you mean ${emails[3]}?`);
    expectGolden("unknown-email", text.slice(text.indexOf("error:")));
  });

  it("a group coming under management: plain preview and --diff both say who loses access, who stays and who gains", async () => {
    const { sandbox, emails, baseline, program, project, previewDiff } = fromBaseline();
    const AMER = 5522;
    const [stays, goes, alsoGoes, joins] = [emails[4], emails[5], emails[6], emails[7]];
    for (const email of [stays, goes, alsoGoes]) {
      const { id } = sandbox.store.addMembership({ userId: 1001 + emails.indexOf(email), workspaceGroupId: AMER });
      undo(() => sandbox.store.removeMembership(id));
    }
    const twoGroups = {
      groups: [
        { name: "delivery-emea", group: "Delivery-EMEA", members: baseline(), mode: "authoritative" },
        { name: "delivery-amer", group: "Delivery-AMER", members: [stays, joins], mode: "authoritative" },
      ],
    };
    writeFileSync(path.join(program.dir, "declaration.json"), JSON.stringify(twoGroups));
    const says = `workspace group "Delivery-AMER" comes under management (authoritative): 2 people not declared in code lose access: ${[goes, alsoGoes].sort().join(", ")}; 1 person gains access: ${joins}; 1 member stays as they are (already in the group): ${stays}.`;
    const plain = normalise(await project.pulumi(["preview"]));
    expect(plain).toContain(`warning: ${says}`);
    const diff = normalise(await previewDiff());
    expect(diff).toContain(says);
    expectGolden("takeover", diff);
  });

  it("a takeover that removes seven people names all seven in the plain preview, one per line, never 'and 2 more'", async () => {
    const { sandbox, emails, baseline, program, project } = fromBaseline();
    const AMER = 5522;
    const leaving = emails.slice(10, 17);
    for (const email of leaving) {
      const { id } = sandbox.store.addMembership({ userId: 1001 + emails.indexOf(email), workspaceGroupId: AMER });
      undo(() => sandbox.store.removeMembership(id));
    }
    const twoGroups = {
      groups: [
        { name: "delivery-emea", group: "Delivery-EMEA", members: baseline(), mode: "authoritative" },
        { name: "delivery-amer", group: "Delivery-AMER", members: [emails[0]], mode: "authoritative" },
      ],
    };
    writeFileSync(path.join(program.dir, "declaration.json"), JSON.stringify(twoGroups));
    const plain = normalise(await project.pulumi(["preview"]));
    expect(plain).toContain(
      `warning: workspace group "Delivery-AMER" comes under management (authoritative): 1 person gains access: ${emails[0]}. ` +
        "7 people not declared in code lose access:\n",
    );
    // The CLI indents a message's later lines under it: one line per person.
    const listed = plain.split("\n").flatMap((line) => /^\s+- (\S+@\S+)$/.exec(line)?.[1] ?? []);
    expect(listed).toEqual([...leaving].sort());
    expect(plain).not.toMatch(/and \d+ more/);
    expectGolden("takeover-seven", plain.slice(plain.indexOf("Diagnostics:"))); // the progress lines above vary from run to run
  });
});

// Last: it applies a group to the shared stack, which no test after it could preview from.
describe("pulumi preview --diff of groups as code", () => {
  it("a group renamed in access.yaml shows one ~ name line, and nothing else changes", async () => {
    const { sandbox, emails, baseline, declare, project, previewDiff } = fromBaseline();
    const members = `    members: [${emails[0]}, ${emails[1]}]\n`;
    declare(baseline(), "authoritative", `groups:\n  Finance:\n    notes: Billing\n${members}`);
    await project.pulumi(["up", "--yes", "--skip-preview"]);
    declare(baseline(), "authoritative", `groups:\n  Finance & Ops:\n    renamedFrom: Finance\n    notes: Billing\n${members}`);
    const text = normalise(await previewDiff());
    expect(changeLines(text)).toEqual([
      "~ pulumi-nodejs:dynamic/kantata:WorkspaceGroup: (update)",
      '~ name             : "Finance" => "Finance & Ops"',
      "~ 1 to update",
    ]);
    expectGolden("rename", text);
    await project.pulumi(["up", "--yes", "--skip-preview"]);
    assertNoChanges(await project.pulumi(["preview", "--json"]));
    expect(sandbox.store.getWorkspaceGroup(5523)!.name).toBe("Finance & Ops");
  });
});
