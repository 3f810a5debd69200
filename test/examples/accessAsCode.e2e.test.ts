/**
 * examples/access-as-code as a user runs it: copied out of the repo, the packed package installed by npm,
 * the real `pulumi` CLI with the language host. access.yaml drives the sandbox; the review summary is
 * made from the preview JSON the real engine prints.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parsePreviewJson as parsePreview } from "../../access/previewJson";
import { renderReview } from "../../access/render";
import { reviewPreview } from "../../access/review";
import { type Sandbox, startSandbox } from "../../sandbox";
import { type Project, assertNoChanges, createProgram, openProject, warningLines } from "../../scripts/lib/pulumi";

const TOKEN = "access-as-code-token-9c3e";
const TEMPLATE = path.join(__dirname, "..", "..", "examples", "access-as-code");
jest.setTimeout(300_000);

/** Who is in which group, by name and email: the sandbox's own contents. */
function accessIn(sandbox: Sandbox): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const m of sandbox.store.listMemberships()) {
    const group = sandbox.store.getWorkspaceGroup(m.workspaceGroupId)!.name;
    (result[group] ??= []).push(sandbox.store.getUser(m.userId)!.emailAddress);
  }
  for (const people of Object.values(result)) people.sort();
  return result;
}

/**
 * One stack through the example's life, as a user lives it, test after test: applied, reviewed, broken by a
 * hand edit in Kantata and by a typo in the file (each put back), edited, and destroyed. Every run of the CLI
 * costs seconds of CPU, so the tests share the example's one install, sandbox and stack, in this order.
 */
describe("examples/access-as-code", () => {
  let sandbox: Sandbox;
  let project: Project;
  let file: string;
  let original: string;
  const cleanups: Array<() => unknown> = [];
  const writeAccess = (text: string) => writeFileSync(file, text);
  const accessInSandbox = () => accessIn(sandbox);

  beforeAll(async () => {
    sandbox = await startSandbox({ token: TOKEN });
    cleanups.push(() => sandbox.stop());
    const program = await createProgram({ templateDir: TEMPLATE, sdkVersion: "3.248.0", install: "shared" });
    cleanups.push(() => program.dispose());
    // The file's end date is 2030-06-30; the day is fixed, never the machine's clock.
    project = await openProject({
      program,
      env: { KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN, KANTATA_ACCESS_TODAY: "2026-06-01" },
    });
    cleanups.push(() => project.dispose());
    file = path.join(program.dir, "access.yaml");
    original = readFileSync(file, "utf8");
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("applies access.yaml: creates the group that is missing, takes on the others, converges, and plans nothing more", async () => {
    const up = await project.pulumi(["up", "--yes", "--skip-preview"]);
    expect(warningLines(up)).toEqual([]);
    expect(accessInSandbox()).toEqual({
      "Delivery-EMEA": ["ada.lovelace@example.com", "alan.turing@example.com", "edsger.dijkstra@example.com", "grace.hopper@example.com"],
      Finance: ["grace.hopper@example.com"],
      "Platform Team": ["barbara.liskov@example.com"],
    });
    expect(sandbox.store.findWorkspaceGroupByName("Platform Team")).toMatchObject({ notes: "Runs the deploy pipeline" });
    expect(sandbox.store.getWorkspaceGroup(5521)).toMatchObject({ name: "Delivery-EMEA", notes: "Delivery teams in Europe" });
    assertNoChanges(await project.pulumi(["preview", "--json"]));
  });

  it("reviews with the rules checked, as the workflow previews (--show-sames), even when nothing changes", async () => {
    const preview = await project.pulumi(["preview", "--refresh", "--show-sames", "--json"]);
    expect(renderReview(reviewPreview(parsePreview(preview.stdout, "preview")), "text")).toBe(
      [
        "Kantata OX access changes: No one gains or loses access.",
        "",
        "Rules:",
        "  All 3 rules hold after this change:",
        '    nobody is in both "Finance" and "Delivery-AMER" — "nobody approves invoices of their own region"',
        '    members\' addresses are at "example.com" in every managed group',
        '    "Delivery-EMEA" has at most 15 members (4 after this change)',
        "",
      ].join("\n"),
    );
  });

  it("a rule about a group the file does not manage is judged on its members: one added by hand fails the preview", async () => {
    const grace = sandbox.store.findUserByEmail("grace.hopper@example.com")!.id;
    const membership = sandbox.store.addMembership({
      userId: grace,
      workspaceGroupId: sandbox.store.findWorkspaceGroupByName("Delivery-AMER")!.id,
    });
    try {
      const result = await project.pulumi(["preview"], { check: false });
      expect(result.code).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain(
        'rule 1 (separate "Finance", "Delivery-AMER" — nobody approves invoices of their own region) is broken: 1 person would be in both "Finance" and "Delivery-AMER" after this change: grace.hopper@example.com (a member of "Delivery-AMER" outside code).',
      );
    } finally {
      sandbox.store.removeMembership(membership.id);
    }
  });

  it("fails the preview on an invalid file with FILE:LINE:COLUMN and what is wrong", async () => {
    writeAccess(`${original}  Finance-Ops:\n    memebrs:\n      - ada.lovelace@example.com\n      - Ada.Lovelace@example.com\n`);
    try {
      const result = await project.pulumi(["preview"], { check: false });
      expect(result.code).not.toBe(0);
      const output = `${result.stdout}${result.stderr}`;
      expect(output).toMatch(/access\.yaml:\d+:5: group "Finance-Ops": unknown key "memebrs"; did you mean "members"\?/);
    } finally {
      writeAccess(original);
    }
  });

  it("summarises an edit for the pull request from the real engine's preview JSON, naming exactly who moves", async () => {
    writeAccess(original.replace("      - alan.turing@example.com\n", "      - barbara.liskov@example.com # new hire\n"));
    const preview = await project.pulumi(["preview", "--json"]);
    const review = reviewPreview(parsePreview(preview.stdout, "preview"));
    expect(review.groups).toEqual([
      {
        group: "Delivery-EMEA",
        groupId: 5521,
        gains: ["barbara.liskov@example.com"],
        losses: ["alan.turing@example.com"],
        unchanged: [],
        warnings: [],
      },
    ]);
    expect(renderReview(review, "text")).toBe(
      "Kantata OX access changes: 1 person gains access, 1 person loses access, in 1 group.\n\nDelivery-EMEA\n  + barbara.liskov@example.com\n  - alan.turing@example.com\n",
    );
    await project.pulumi(["up", "--yes", "--skip-preview"]);
    expect(accessInSandbox()["Delivery-EMEA"]).toEqual([
      "ada.lovelace@example.com",
      "barbara.liskov@example.com",
      "edsger.dijkstra@example.com",
      "grace.hopper@example.com",
    ]);
    const after = await project.pulumi(["preview", "--json"]);
    assertNoChanges(after);
    expect(renderReview(reviewPreview(parsePreview(after.stdout, "preview")), "markdown")).toBe("No Kantata OX access changes.\n");
  });

  it("destroy releases every group from code: the groups and their members stay, and nothing is written", async () => {
    const before = accessInSandbox();
    sandbox.counters.reset();
    await project.pulumi(["destroy", "--yes"]);
    expect(accessInSandbox()).toEqual(before);
    expect(sandbox.store.findWorkspaceGroupByName("Platform Team")).toBeDefined();
    expect(sandbox.counters.snapshot().byMethod).toEqual({});
  });
});
