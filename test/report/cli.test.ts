import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { ReportModel } from "../../access/report";
import { main } from "../../cli/kantataAccess";
import { COMPANY_GROUP_COUNT, COMPANY_MEMBERSHIP_COUNT, type Sandbox } from "../../sandbox";
import { LIST, SECRET_TOKEN, startTestSandbox } from "../support/sandbox";

const AT = "2026-01-02T03:04:05.000Z";
const FILES = ["access-report.csv", "access-report.html", "access-report.json"];
const [ADA, ALAN, GRACE, EDSGER, BARBARA] = [1001, 1002, 1003, 1004, 1005];
const [EMEA, FINANCE] = [5521, 5523];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kantata-report-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as a user would, capturing what it writes. */
async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(argv, env), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const report = (sandbox: Sandbox, out: string, ...more: string[]) =>
  run(["report", "--base-url", sandbox.url, "--out", out, "--generated-at", AT, ...more], { KANTATA_API_TOKEN: sandbox.token });
const readModel = (out: string): ReportModel => JSON.parse(readFileSync(join(out, "access-report.json"), "utf8")) as ReportModel;
const readAll = (out: string): string[] => FILES.map((f) => readFileSync(join(out, f), "utf8"));

describe("kantata-access report on the company account (40 groups, 2,500 people, 9,000 memberships)", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ account: "company" });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.counters.reset());

  test("reads the whole account in ⌈9,000/200⌉ + ⌈40/200⌉ GETs + one look-up of the creators + two user counts, and reports that against the bound", async () => {
    const started = performance.now();
    const { code, stderr } = await report(sandbox, dir);
    const ms = Math.round(performance.now() - started);
    expect(code).toBe(0);
    const { total, byRoute } = sandbox.counters.snapshot();
    const bound = Math.ceil(COMPANY_MEMBERSHIP_COUNT / 200) + Math.ceil(COMPANY_GROUP_COUNT / 200) + 1 + 2;
    expect({ total, byRoute }).toEqual({
      total: bound,
      byRoute: { [LIST]: 45, "GET /workspace_groups": 1, "GET /users": 3 },
    });
    const model = readModel(dir);
    expect(model.header.requests).toEqual({
      made: bound,
      bound,
      detail:
        "45 membership pages, 1 group page, 1 user look-up (1 id not side-loaded: creators and unreadable members), 2 user counts (no disabled user in the account)",
    });
    expect(readdirSync(dir).sort()).toEqual(FILES);
    expect(stderr).toContain(`kantata-access: wrote access-report.html, access-report.csv and access-report.json to ${dir}: 40 groups,`);
    expect(stderr).toContain(`; 49 requests (bound 49)\n`);
    console.log(`[report] company account: ${total} GETs (bound ${bound}), ${ms} ms in-process with the sandbox`);
    expect(ms).toBeLessThan(10_000);
  });

  test("the counts it shows are the sandbox's own", async () => {
    await report(sandbox, dir);
    const model = readModel(dir);
    const memberships = sandbox.store.listMemberships();
    expect(model.summary).toMatchObject({
      groups: sandbox.store.listWorkspaceGroups().length,
      memberships: memberships.length,
      people: new Set(memberships.map((m) => m.userId)).size,
    });
    const csvRows = readFileSync(join(dir, "access-report.csv"), "utf8").trimEnd().split("\r\n");
    expect(csvRows).toHaveLength(1 + memberships.length);
    for (const group of model.groups)
      expect(group.members.map((m) => m.membershipId).sort()).toEqual(
        memberships
          .filter((m) => m.workspaceGroupId === group.id)
          .map((m) => m.id)
          .sort(),
      );
  });

  test("two reports of an unchanged account are byte-identical", async () => {
    await report(sandbox, dir);
    const first = readAll(dir);
    const again = join(dir, "again");
    await report(sandbox, again);
    expect(readAll(again)).toEqual(first);
  });
});

describe("kantata-access report (command line)", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
    sandbox.store.addMemberships([
      { userId: ADA, workspaceGroupId: EMEA },
      { userId: ALAN, workspaceGroupId: EMEA },
      { userId: BARBARA, workspaceGroupId: EMEA },
      { userId: GRACE, workspaceGroupId: FINANCE },
      { userId: EDSGER, workspaceGroupId: FINANCE },
    ]);
    sandbox.counters.reset();
  });
  afterEach(() => sandbox.stop());

  test("the token appears in none of the three files (the same search finds it when a group is named after it)", async () => {
    await report(sandbox, dir);
    for (const text of readAll(dir)) expect(text).not.toContain(SECRET_TOKEN);
    // Positive control: the same search finds the token when the account itself holds it.
    const leak = sandbox.store.addWorkspaceGroup({ name: `leak ${SECRET_TOKEN}` });
    sandbox.store.addMembership({ userId: ADA, workspaceGroupId: leak.id });
    const control = join(dir, "control");
    await report(sandbox, control);
    for (const text of readAll(control)) expect(text).toContain(SECRET_TOKEN);
  });

  test("--token is refused, without echoing it, before any request", async () => {
    const { code, stdout, stderr } = await run(["report", "--base-url", sandbox.url, "--token", "tok-on-the-command-line"], {});
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^kantata-access: --token is not accepted: a token on the command line is visible to every user of this machine/);
    expect(stderr).not.toContain("tok-on-the-command-line");
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  test("--token-file reads the token from a file, as export does", async () => {
    const file = join(dir, "token");
    writeFileSync(file, `${sandbox.token}\n`);
    const { code, stdout } = await run(["report", "--base-url", sandbox.url, "--token-file", file, "--generated-at", AT], {});
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as ReportModel).summary.memberships).toBeGreaterThan(0);
  });

  test("without --out, the JSON goes to standard output and the summary line to standard error", async () => {
    const { code, stdout, stderr } = await run(["report", "--base-url", sandbox.url, "--generated-at", AT], {
      KANTATA_API_TOKEN: sandbox.token,
    });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as ReportModel).summary.memberships).toBe(5);
    expect(stderr).toBe("kantata-access: report of 3 groups, 5 people, 5 memberships; 0 drift items; 5 requests (bound 5)\n");
  });

  test("--access compares the account with the file and names the commit the file is at", async () => {
    const repo = join(dir, "repo");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
    execFileSync("git", ["init", "-q", repo]);
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "CI");
    const file = join(repo, "access.yaml");
    writeFileSync(
      file,
      "groups:\n  Delivery-EMEA:\n    mode: authoritative\n    members:\n      - ada.lovelace@example.com\n      - alan.turing@example.com\n      - grace.hopper@example.com\n",
    );
    git("add", "access.yaml");
    git("commit", "-q", "-m", "access");
    const { code } = await report(sandbox, join(dir, "out"), "--access", file);
    expect(code).toBe(0);
    const model = readModel(join(dir, "out"));
    expect(model.header.accessFile).toEqual({ path: file, commit: git("rev-parse", "HEAD"), modified: false });
    expect(model.drift.map((d) => [d.kind, d.group, d.person])).toEqual([
      ["missing-member", "Delivery-EMEA", "grace.hopper@example.com"],
      ["undeclared-member", "Delivery-EMEA", "barbara.liskov@example.com"],
    ]);
    expect(model.summary.management).toEqual({ code: 2, adopted: 0, outside: 3, unknown: 0 });

    writeFileSync(file, readFileSync(file, "utf8") + "      - barbara.liskov@example.com\n");
    await report(sandbox, join(dir, "edited"), "--access", file);
    expect(readModel(join(dir, "edited")).header.accessFile).toMatchObject({ modified: true });
  });

  test("--access takes an access folder: the same drift as the one file, the folder's commit in the header", async () => {
    const repo = join(dir, "repo");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
    execFileSync("git", ["init", "-q", repo]);
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "CI");
    const folder = join(repo, "access");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "delivery-emea.yaml"),
      "groups:\n  Delivery-EMEA:\n    owners: [ada]\n    mode: authoritative\n    members:\n      - ada.lovelace@example.com\n      - alan.turing@example.com\n      - grace.hopper@example.com\n",
    );
    writeFileSync(join(folder, "settings.yaml"), "timeZone: UTC\n");
    git("add", "access");
    git("commit", "-q", "-m", "access");
    expect((await report(sandbox, join(dir, "out"), "--access", folder)).code).toBe(0);
    const model = readModel(join(dir, "out"));
    expect(model.header.accessFile).toEqual({ path: folder, commit: git("rev-parse", "HEAD"), modified: false });
    expect(model.drift.map((d) => [d.kind, d.group, d.person])).toEqual([
      ["missing-member", "Delivery-EMEA", "grace.hopper@example.com"],
      ["undeclared-member", "Delivery-EMEA", "barbara.liskov@example.com"],
    ]);
  });

  test("an access file outside git has no commit; an invalid one fails before any request", async () => {
    const file = join(dir, "access.yaml");
    writeFileSync(file, "groups:\n  Finance:\n    members:\n      - grace.hopper@example.com\n");
    await report(sandbox, join(dir, "out"), "--access", file);
    expect(readModel(join(dir, "out")).header.accessFile).toEqual({ path: file, commit: null, modified: false });

    sandbox.counters.reset();
    writeFileSync(file, "groups:\n  Finance:\n    memebrs: []\n");
    const { code, stderr } = await report(sandbox, join(dir, "bad"), "--access", file);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:3:5: group "Finance": unknown key "memebrs"; did you mean "members"?`);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  describe("--access with end dates, rules and a time zone; disabled users; group notes", () => {
    const FILE = [
      "timeZone: America/Los_Angeles",
      "rules:",
      "  - separate: [Delivery-EMEA, Finance]",
      "    reason: SOX segregation of duties",
      "  - maxMembers: { group: Finance, max: 5 }",
      "groups:",
      "  Delivery-EMEA:",
      "    members:",
      "      - email: ada.lovelace@example.com",
      "        until: 2026-01-01",
      "        reason: migration project",
      "      - alan.turing@example.com",
      "      - email: barbara.liskov@example.com",
      "        until: 2026-01-10",
      "",
    ].join("\n");
    const NOTES = '=HYPERLINK("https://evil.example")<b>money</b>';
    let file: string;
    beforeEach(() => {
      file = join(dir, "access.yaml");
      writeFileSync(file, FILE);
      sandbox.store.addMembership({ userId: ADA, workspaceGroupId: FINANCE });
      sandbox.store.disableUser(BARBARA);
      sandbox.store.updateWorkspaceGroup(FINANCE, { notes: NOTES });
      sandbox.counters.reset();
    });
    const reportOn = (out: string, env: NodeJS.ProcessEnv = {}) =>
      run(["report", "--base-url", sandbox.url, "--out", out, "--generated-at", AT, "--access", file], {
        KANTATA_API_TOKEN: sandbox.token,
        ...env,
      });
    const row = (model: ReportModel, group: string, userId: number) =>
      model.groups.find((g) => g.name === group)!.members.find((m) => m.userId === userId)!;

    test("end dates are days in the file's time zone: at 03:04 UTC it is still 2026-01-01 in Los Angeles, so Ada's last day has not passed", async () => {
      expect((await reportOn(dir)).code).toBe(0);
      const model = readModel(dir);
      expect(row(model, "Delivery-EMEA", ADA)).toMatchObject({
        expires: "2026-01-01",
        expired: false,
        expiring: true,
        expiryReason: "migration project",
      });
      expect(row(model, "Delivery-EMEA", BARBARA)).toMatchObject({ expires: "2026-01-10", expired: false, expiring: true, expiryReason: null });
      expect(model.summary).toMatchObject({ expired: 0, expiring: 2 });
      expect(model.checks.expiry.note).toBe(
        "end dates from the access file, judged on 2026-01-01 (America/Los_Angeles); expiring means access ends within 14 days",
      );
    });

    test("KANTATA_ACCESS_TODAY fixes the day, as for the program and review; the CSV carries the expiry and its reason", async () => {
      expect((await reportOn(dir, { KANTATA_ACCESS_TODAY: "2026-01-05" })).code).toBe(0);
      const model = readModel(dir);
      expect(row(model, "Delivery-EMEA", ADA)).toMatchObject({ expired: true, expiring: false });
      expect(row(model, "Delivery-EMEA", BARBARA)).toMatchObject({ expired: false, expiring: true });
      expect(model.summary).toMatchObject({ expired: 1, expiring: 1 });
      const csv = readFileSync(join(dir, "access-report.csv"), "utf8").split("\r\n");
      const header = csv[0].split(",");
      const ada = csv.find((line) => line.startsWith("Delivery-EMEA,5521,ada.lovelace@example.com,"))!.split(",");
      expect(Object.fromEntries(["expires", "expired", "expiring", "expiry_reason"].map((c) => [c, ada[header.indexOf(c)]]))).toEqual({
        expires: "2026-01-01",
        expired: "true",
        expiring: "false",
        expiry_reason: "migration project",
      });
    });

    test("the file's rules are judged against what the account holds now: Ada in both groups breaks separate", async () => {
      expect((await reportOn(dir)).code).toBe(0);
      const model = readModel(dir);
      expect(model.checks.rules).toEqual({ checked: true, note: "2 rules checked" });
      expect(model.summary.ruleViolations).toBe(1);
      expect(model.ruleViolations).toEqual([
        {
          rule: "separate",
          groups: ["Delivery-EMEA", "Finance"],
          reason: "SOX segregation of duties",
          people: ["ada.lovelace@example.com"],
          message:
            'rule 1 (separate "Delivery-EMEA", "Finance" — SOX segregation of duties) is broken: 1 person is in both "Delivery-EMEA" and "Finance": ada.lovelace@example.com (a member of "Finance" outside code).',
        },
      ]);
      const html = readFileSync(join(dir, "access-report.html"), "utf8");
      expect(html).toContain("Rule violations (2 rules checked)");
      expect(html).toContain("<td>SOX segregation of duties</td><td>Delivery-EMEA, Finance</td><td>ada.lovelace@example.com</td>");
    });

    test("a member who is a disabled user is reported as disabled, and the extra GETs are within the bound the report states", async () => {
      expect((await reportOn(dir)).code).toBe(0);
      const model = readModel(dir);
      expect(model.disabledUsers).toEqual([
        { userId: BARBARA, email: "barbara.liskov@example.com", reason: "disabled", groups: ["Delivery-EMEA"] },
      ]);
      expect(model.checks.disabledUsers).toEqual({ checked: true, note: "users that can no longer be read, and disabled users" });
      expect(row(model, "Delivery-EMEA", BARBARA).status).toBe("disabled");
      // 1 group page, 1 membership page, 1 look-up of the creators, 2 user counts, 1 active check of the 5 members.
      const { total, byRoute } = sandbox.counters.snapshot();
      expect({ total, users: byRoute["GET /users"] }).toEqual({ total: 6, users: 4 });
      expect(model.header.requests).toEqual({
        made: 6,
        bound: 6,
        detail:
          "1 membership page, 1 group page, 1 user look-up (1 id not side-loaded: creators and unreadable members), 2 user counts (1 disabled user in the account), 1 active check (5 members) and 0 disabled look-ups (0 unreadable members)",
      });
    });

    test("a group's notes are in the JSON, neutralised in the CSV and escaped in the HTML", async () => {
      expect((await reportOn(dir)).code).toBe(0);
      const model = readModel(dir);
      expect(model.groups.find((g) => g.name === "Finance")!.notes).toBe(NOTES);
      expect(model.groups.find((g) => g.name === "Delivery-EMEA")).not.toHaveProperty("notes");
      const csv = readFileSync(join(dir, "access-report.csv"), "utf8").split("\r\n");
      expect(csv[0].split(",").at(-1)).toBe("group_notes");
      expect(csv.find((line) => line.startsWith("Finance,"))!.endsWith(`,"'=HYPERLINK(""https://evil.example"")<b>money</b>"`)).toBe(true);
      const html = readFileSync(join(dir, "access-report.html"), "utf8");
      expect(html).toContain("Notes: =HYPERLINK(&quot;https://evil.example&quot;)&lt;b&gt;money&lt;/b&gt;");
      expect(html).not.toContain("<b>money");
    });
  });

  test("--stack says which memberships code manages and which it adopted, from pulumi stack export", async () => {
    const bin = join(dir, "bin");
    execFileSync("mkdir", [bin]);
    writeFileSync(join(bin, "pulumi"), `#!/bin/sh\ncat "${join(__dirname, "fixtures", "stack-export.json")}"\n`);
    chmodSync(join(bin, "pulumi"), 0o755);
    const { code } = await run(["report", "--base-url", sandbox.url, "--out", dir, "--generated-at", AT, "--stack", "e2e"], {
      KANTATA_API_TOKEN: sandbox.token,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    });
    expect(code).toBe(0);
    const model = readModel(dir);
    expect(model.header).toMatchObject({ stack: "e2e", managementBasis: "stack" });
    const rows = model.groups.flatMap((g) => g.members.map((m) => [g.name, m.email, m.management, m.resource]));
    expect(rows).toEqual([
      ["Delivery-EMEA", "ada.lovelace@example.com", "code", "delivery-emea"],
      ["Delivery-EMEA", "alan.turing@example.com", "adopted", "delivery-emea"],
      ["Delivery-EMEA", "barbara.liskov@example.com", "outside", null],
      ["Finance", "edsger.dijkstra@example.com", "code", "edsger-in-finance"],
      ["Finance", "grace.hopper@example.com", "adopted", "grace-in-finance"],
    ]);
    expect(model.drift.map((d) => [d.kind, d.person])).toEqual([["undeclared-member", "barbara.liskov@example.com"]]);
  });

  test.each([
    [["report", "extra"], "report takes no positional arguments"],
    [["report", "--generated-at", "yesterday"], "--generated-at must be an ISO 8601 time"],
    [["report", "--out", ""], "--out needs a value"],
    [["report", "--bogus"], "Unknown option '--bogus'"],
  ])("usage error %j exits 2 with the usage text", async (argv, message) => {
    const { code, stderr } = await run(argv, { KANTATA_API_TOKEN: "x" });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain("kantata-access report [--access FILE] [--stack NAME] [--out DIR]");
    expect(sandbox.counters.snapshot().total).toBe(0);
  });
});
