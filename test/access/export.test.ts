import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAccessFile } from "../../access/accessFile";
import { createExportSource, exportAccess, progressReporter } from "../../access/export";
import { loadAccessFile } from "../../access/load";
import { main } from "../../cli/kantataAccess";
import type { Sandbox, UserRecord } from "../../sandbox";
import { FAST_RETRIES, LIST, SECRET_TOKEN, routeCount, seedGroup, startTestSandbox } from "../support/sandbox";

/** The demo seed: users 1001… (ada.lovelace@example.com, alan.turing@…, …), groups 5521 Delivery-EMEA, 5522 Delivery-AMER, 5523 Finance. */
const EMEA = 5521;
const AMER = 5522;
const FINANCE = 5523;
const ADA = 1001;
const ALAN = 1002;
const GRACE = 1003;
const EDSGER = 1004;
const BARBARA = 1005;
const GROUPS = "GET /workspace_groups";
const USERS = "GET /users";
const AT = "2026-01-02T03:04:05.000Z";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(() => sandbox.stop());

const sourceFor = (s: Sandbox, token = s.token) =>
  createExportSource({ explicit: { baseUrl: s.url, apiToken: token }, env: {} }, { retryPolicy: FAST_RETRIES });

async function exportText(options: { groups?: string[]; mode?: "additive" | "authoritative" } = {}): Promise<string> {
  const source = sourceFor(sandbox);
  return (await exportAccess(source, { ...options, exportedAt: new Date(AT), source: source.baseUrl })).text;
}

/** The account's memberships as group name → sorted lower-cased emails (user id where no user). */
function accountMemberships(s: Sandbox): Map<string, Array<string | number>> {
  const result = new Map<string, Array<string | number>>(s.store.listWorkspaceGroups().map((g) => [g.name, []]));
  for (const m of s.store.listMemberships()) {
    const user = s.store.getUser(m.userId);
    result.get(s.store.getWorkspaceGroup(m.workspaceGroupId)!.name)!.push(user ? user.emailAddress.toLowerCase() : m.userId);
  }
  for (const members of result.values()) members.sort();
  return result;
}

/** Runs the CLI as a user would, capturing what it writes; `stdin` is what standard input holds. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}, stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(argv, env, () => stdin);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * The sandbox cannot delete a user (Store has no removeUser, and it refuses a membership whose user
 * is unknown, also when loading a data file). Kantata can: a deleted user's memberships may linger.
 * This reaches into the store's private indexes to produce exactly that state.
 */
function deleteUserBehindKantatasBack(s: Sandbox, id: number): void {
  const store = s.store as unknown as { users: Map<number, UserRecord>; userByEmail: Map<string, UserRecord> };
  const user = store.users.get(id)!;
  store.users.delete(id);
  store.userByEmail.delete(user.emailAddress.toLowerCase());
}

describe("kantata-access export", () => {
  test("exports the demo seed with memberships as the expected file", async () => {
    sandbox.store.addMemberships([
      { userId: ALAN, workspaceGroupId: EMEA },
      { userId: ADA, workspaceGroupId: EMEA },
      { userId: GRACE, workspaceGroupId: AMER },
      { userId: ADA, workspaceGroupId: AMER },
    ]);
    expect(await exportText()).toBe(
      [
        "# Kantata OX workspace group memberships, exported by `kantata-access export`.",
        `# Source: ${sandbox.url}`,
        `# Exported at: ${AT}`,
        "# 3 groups, 4 members; mode additive for every group.",
        "groups:",
        "  Delivery-AMER:",
        "    mode: additive",
        "    members:",
        "      - ada.lovelace@example.com",
        "      - grace.hopper@example.com",
        "  Delivery-EMEA:",
        "    mode: additive",
        "    members:",
        "      - ada.lovelace@example.com",
        "      - alan.turing@example.com",
        "  Finance:",
        "    mode: additive",
        "    members: []",
        "",
      ].join("\n"),
    );
  });

  test("writes each group's notes, so the file's first up takes every group on with no write", async () => {
    sandbox.store.updateWorkspaceGroup(FINANCE, { notes: "Billing & revenue\nOwner: Grace" });
    sandbox.store.updateWorkspaceGroup(EMEA, { notes: "" });
    const text = await exportText();
    expect(text).toContain('  Finance:\n    mode: additive\n    notes: "Billing & revenue\\nOwner: Grace"\n    members: []\n');
    expect(text).toContain("  Delivery-EMEA:\n    mode: additive\n    members: []\n");
    expect(parseAccessFile(text, "export.yaml").groups.map((g) => g.notes)).toEqual([undefined, undefined, "Billing & revenue\nOwner: Grace"]);
  });

  test("parsing the export gives back the account's memberships", async () => {
    seedGroup(sandbox, EMEA, 15);
    seedGroup(sandbox, FINANCE, 7, 5);
    const parsed = parseAccessFile(await exportText({ mode: "authoritative" }), "export.yaml");
    const asMap = new Map(parsed.groups.map((g) => [g.name, [...g.members].sort()]));
    expect(asMap).toEqual(accountMemberships(sandbox));
    expect(parsed.groups.every((g) => g.mode === "authoritative")).toBe(true);
  });

  test("two exports of an unchanged account are byte-identical; one person in, one out diffs as two lines", async () => {
    sandbox.store.addMemberships([ADA, ALAN, GRACE].map((userId) => ({ userId, workspaceGroupId: EMEA })));
    const first = await exportText();
    expect(await exportText()).toBe(first);

    sandbox.store.addMembership({ userId: BARBARA, workspaceGroupId: EMEA });
    sandbox.store.removeMembership(sandbox.store.findMembership(ALAN, EMEA)!.id);
    const second = await exportText();
    const before = first.split("\n");
    const after = second.split("\n");
    const removed = before.filter((line) => !after.includes(line));
    const added = after.filter((line) => !before.includes(line));
    expect({ removed, added }).toEqual({ removed: ["      - alan.turing@example.com"], added: ["      - barbara.liskov@example.com"] });
  });

  test("--group exports only the named groups, matched ignoring case", async () => {
    sandbox.store.addMemberships([
      { userId: ADA, workspaceGroupId: EMEA },
      { userId: GRACE, workspaceGroupId: AMER },
      { userId: EDSGER, workspaceGroupId: FINANCE },
    ]);
    const parsed = parseAccessFile(await exportText({ groups: ["finance", "DELIVERY-emea"] }), "x");
    expect(parsed.groups.map((g) => [g.name, g.members])).toEqual([
      ["Delivery-EMEA", ["ada.lovelace@example.com"]],
      ["Finance", ["edsger.dijkstra@example.com"]],
    ]);
  });

  test("a member whose user record is gone is exported by id with a comment, never dropped", async () => {
    sandbox.store.addMemberships([
      { userId: ADA, workspaceGroupId: EMEA },
      { userId: GRACE, workspaceGroupId: EMEA },
    ]);
    deleteUserBehindKantatasBack(sandbox, GRACE);
    sandbox.counters.reset();
    const text = await exportText();
    expect(text).toContain(`      - ${GRACE} # user not found in Kantata (deleted?): kept by id, check before applying\n`);
    expect(text).toContain("# 3 groups, 2 members (1 by user id); mode additive for every group.");
    // One batched look-up for the members who were not side-loaded.
    expect(routeCount(sandbox, USERS)).toBe(1);
    const emea = parseAccessFile(text, "x").groups.find((g) => g.name === "Delivery-EMEA")!;
    expect(emea.members).toEqual(["ada.lovelace@example.com", GRACE]);
  });

  test("--all reads the memberships in one side-loaded walk: ⌈450/200⌉ GETs, plus group pages, no user look-ups", async () => {
    const groups = [EMEA, AMER, FINANCE];
    for (const name of ["Ops", "Legal"]) groups.push(sandbox.store.addWorkspaceGroup({ name }).id);
    groups.forEach((id, i) => seedGroup(sandbox, id, 90, i * 90));
    expect(sandbox.store.listMemberships()).toHaveLength(450);
    sandbox.counters.reset();
    const progress: string[] = [];
    const source = sourceFor(sandbox);
    const result = await exportAccess(source, { source: source.baseUrl, onProgress: progressReporter((line) => progress.push(line), 1) });
    expect(result.members).toBe(450);
    const { byRoute, total } = sandbox.counters.snapshot();
    expect(byRoute[LIST]).toBe(Math.ceil(450 / 200));
    expect(byRoute[GROUPS]).toBe(1);
    expect(total).toBe(Math.ceil(450 / 200) + 1);
    expect(progress).toEqual(["read 200 of 450 memberships", "read 400 of 450 memberships", "read 450 of 450 memberships"]);
  });

  test("--group reads one walk filtered by the groups' ids", async () => {
    seedGroup(sandbox, EMEA, 150);
    seedGroup(sandbox, AMER, 150, 150);
    seedGroup(sandbox, FINANCE, 10);
    sandbox.counters.reset();
    const parsed = parseAccessFile(await exportText({ groups: ["Delivery-EMEA", "Delivery-AMER"] }), "x");
    expect(parsed.groups.map((g) => g.members.length)).toEqual([150, 150]);
    expect(routeCount(sandbox, LIST)).toBe(Math.ceil(300 / 200));
    expect(routeCount(sandbox, GROUPS)).toBe(1);
    expect(routeCount(sandbox, USERS)).toBe(0);
  });

  test("more than 200 groups: --all is still one unfiltered walk; --group splits the ids by 200", async () => {
    const extra = Array.from({ length: 250 }, (_, i) => sandbox.store.addWorkspaceGroup({ name: `Team ${String(i).padStart(3, "0")}` }));
    const mixed = sandbox.store.addUser({ fullName: "Mixed Case", emailAddress: "Mixed.Case@Example.COM" });
    sandbox.store.addMemberships([
      { userId: ADA, workspaceGroupId: extra[0].id },
      { userId: mixed.id, workspaceGroupId: extra[249].id },
    ]);
    sandbox.counters.reset();
    const all = parseAccessFile(await exportText(), "x");
    expect(all.groups).toHaveLength(253);
    expect(all.groups.find((g) => g.name === "Team 249")!.members).toEqual(["mixed.case@example.com"]);
    expect(routeCount(sandbox, LIST)).toBe(1);
    expect(routeCount(sandbox, GROUPS)).toBe(Math.ceil(253 / 200));

    sandbox.counters.reset();
    const some = parseAccessFile(await exportText({ groups: extra.map((g) => g.name) }), "x");
    expect(some.groups.filter((g) => g.members.length > 0).map((g) => g.name)).toEqual(["Team 000", "Team 249"]);
    expect(routeCount(sandbox, LIST)).toBe(Math.ceil(250 / 200));
  });

  test("429s are retried by the client; the export carries on", async () => {
    sandbox.store.addMembership({ userId: ADA, workspaceGroupId: EMEA });
    const expected = await exportText();
    sandbox.faults.failNext(2, "429");
    expect(await exportText()).toBe(expected);
    expect(sandbox.counters.snapshot().faulted).toBe(2);
  });

  test("the progress line comes every 10 pages and at the end of a long walk", () => {
    const lines: string[] = [];
    const report = progressReporter((line) => lines.push(line));
    for (let pages = 1; pages <= 45; pages++) report({ pages, read: Math.min(pages * 200, 9000), total: 9000 });
    expect(lines).toEqual([
      "read 2,000 of 9,000 memberships",
      "read 4,000 of 9,000 memberships",
      "read 6,000 of 9,000 memberships",
      "read 8,000 of 9,000 memberships",
      "read 9,000 of 9,000 memberships",
    ]);
  });
});

describe("kantata-access export (command line)", () => {
  const args = (...rest: string[]) => ["export", ...rest, "--base-url", sandbox.url];

  test("writes the file to standard output and nothing else there; the token appears nowhere", async () => {
    sandbox.store.addMembership({ userId: ADA, workspaceGroupId: FINANCE });
    const { code, stdout, stderr } = await run(args("--all", "--exported-at", AT), { KANTATA_API_TOKEN: sandbox.token });
    expect(code).toBe(0);
    expect(stdout).toBe(await exportText());
    expect(stderr).toBe("");
    expect(stdout + stderr).not.toContain(SECRET_TOKEN);
  });

  test("--split --out DIR writes an access folder, one file per group, that loads as the single file does", async () => {
    sandbox.store.addMembership({ userId: ADA, workspaceGroupId: FINANCE });
    const dir = mkdtempSync(join(tmpdir(), "kantata-split-"));
    try {
      const out = join(dir, "access");
      const { code, stdout } = await run(args("--all", "--split", "--out", out, "--exported-at", AT), { KANTATA_API_TOKEN: sandbox.token });
      expect({ code, stdout }).toEqual({ code: 0, stdout: "" });
      expect(readdirSync(out)).toEqual(["delivery-amer.yaml", "delivery-emea.yaml", "finance.yaml"]);
      expect(readFileSync(join(out, "finance.yaml"), "utf8")).toContain(
        "groups:\n  Finance:\n    mode: additive\n    members:\n      - ada.lovelace@example.com\n",
      );
      expect(loadAccessFile(out).groups.sort((a, b) => a.name.localeCompare(b.name))).toEqual(parseAccessFile(await exportText(), "one").groups);
      const again = await run(args("--all", "--split", "--out", out), { KANTATA_API_TOKEN: sandbox.token });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`--split writes a new access folder; ${out} already holds *.yaml files.`);
      // Two names that make the same file name: the second gets -2.
      sandbox.store.addWorkspaceGroup({ name: "Finance & Ops" });
      sandbox.store.addWorkspaceGroup({ name: "Finance / Ops" });
      const source = sourceFor(sandbox);
      const split = await exportAccess(source, { source: source.baseUrl, split: true, groups: ["Finance & Ops", "Finance / Ops"] });
      expect(split.files?.map((f) => [f.name, parseAccessFile(f.text, f.name).groups[0].name])).toEqual([
        ["finance-ops.yaml", "Finance & Ops"],
        ["finance-ops-2.yaml", "Finance / Ops"],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--token-file wins over KANTATA_API_TOKEN; KANTATA_BASE_URL is read when --base-url is absent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kantata-token-"));
    try {
      const file = join(dir, "token");
      writeFileSync(file, `${sandbox.token}\n`, { mode: 0o600 });
      const { code, stdout, stderr } = await run(["export", "--all", "--token-file", file, "--exported-at", AT], {
        KANTATA_API_TOKEN: "wrong",
        KANTATA_BASE_URL: sandbox.url,
      });
      expect(code).toBe(0);
      expect(stdout).toBe(await exportText());
      expect(stdout + stderr).not.toContain(SECRET_TOKEN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--token-file - reads the token from standard input", async () => {
    const { code, stdout, stderr } = await run(args("--all", "--token-file", "-", "--exported-at", AT), {}, `  ${sandbox.token}\n`);
    expect(code).toBe(0);
    expect(stdout).toBe(await exportText());
    expect(stdout + stderr).not.toContain(SECRET_TOKEN);
  });

  test("--token is refused, saying why and what to use, without echoing the token or sending a request", async () => {
    const { code, stdout, stderr } = await run(args("--all", "--token", sandbox.token));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^kantata-access: --token is not accepted: a token on the command line is visible to every user of this machine .* KANTATA_API_TOKEN, or use --token-file FILE/,
    );
    expect(stderr).toContain("[--token-file FILE|-]");
    expect(stderr).not.toContain(SECRET_TOKEN);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  test.each([
    [
      ["--token-file", "/nonexistent/kantata-token"],
      {},
      "",
      'kantata-access: --token-file: cannot read "/nonexistent/kantata-token" (ENOENT).\n',
    ],
    [["--token-file", "-"], {}, " \n", "kantata-access: --token-file: standard input holds no token.\n"],
    [
      ["--token-file", "-"],
      {},
      `${SECRET_TOKEN} ${SECRET_TOKEN}\n`,
      "kantata-access: --token-file: standard input should hold the token alone, on one line; it holds more than one word.\n",
    ],
  ])("a token file that cannot serve fails clearly, exit 1, naming no token: %j", async (extra, env, stdin, message) => {
    const { code, stdout, stderr } = await run(args("--all", ...extra), env, stdin);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(message);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  test("--out writes the file atomically and leaves no temporary file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kantata-export-"));
    try {
      const out = join(dir, "access.yaml");
      writeFileSync(out, "old\n");
      const { code, stdout, stderr } = await run(args("--group", "finance", "--mode", "authoritative", "--out", out, "--exported-at", AT), {
        KANTATA_API_TOKEN: sandbox.token,
      });
      expect(code).toBe(0);
      expect(stdout).toBe("");
      expect(stderr).toBe(`kantata-access: wrote 1 group, 0 members to ${out}\n`);
      expect(readFileSync(out, "utf8")).toBe(await exportText({ groups: ["Finance"], mode: "authoritative" }));
      expect(readdirSync(dir)).toEqual(["access.yaml"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a wrong group name fails with the closest names, exit 1", async () => {
    const { code, stdout, stderr } = await run(args("--group", "Delivery-EMAE", "--group", "Finanse", "--group", "Zzz"), {
      KANTATA_API_TOKEN: sandbox.token,
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'kantata-access: no workspace group is named "Delivery-EMAE"; did you mean "Delivery-EMEA"?\n' +
        'no workspace group is named "Finanse"; did you mean "Finance"?\n' +
        'no workspace group is named "Zzz" (the account has 3 groups; names are matched exactly, ignoring case)\n',
    );
  });

  test("a non-administrator's token gets the client's 403 message, exit 1", async () => {
    const { code, stdout, stderr } = await run(args("--all"), { KANTATA_API_TOKEN: sandbox.nonAdminToken });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^kantata-access: Kantata OX refused the request \(403\)\. The token's user must be an Account Administrator/);
  });

  test("a wrong token gets the client's 401 message, exit 1", async () => {
    const { code, stderr } = await run(args("--all"), { KANTATA_API_TOKEN: "nope" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kantata-access: Kantata OX rejected the API token \(401/);
  });

  test("no token at all says how to give one, exit 1", async () => {
    const { code, stderr } = await run(args("--all"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kantata-access: No Kantata OX API token is configured/);
  });

  test.each([
    [["export"], "exactly one of --all or --group"],
    [["export", "--all", "--group", "Finance"], "exactly one of --all or --group"],
    [["export", "--all", "--mode", "authoritive"], "--mode must be additive or authoritative"],
    [["export", "--all", "extra"], "no positional arguments"],
    [["export", "--all", "--exported-at", "yesterday"], "--exported-at must be an ISO 8601 time"],
    [["export", "--all", "--bogus"], "Unknown option '--bogus'"],
  ])("usage error %j exits 2 with the usage text", async (argv, message) => {
    const { code, stdout, stderr } = await run(argv, { KANTATA_API_TOKEN: "x" });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).toContain("kantata-access export (--all | --group NAME");
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  test("a large account gets progress lines on standard error, the file alone on standard output", async () => {
    seedGroup(sandbox, EMEA, 2200);
    const { code, stdout, stderr } = await run(args("--all", "--exported-at", AT), { KANTATA_API_TOKEN: sandbox.token });
    expect(code).toBe(0);
    expect(stderr).toBe("kantata-access: read 2,000 of 2,200 memberships\nkantata-access: read 2,200 of 2,200 memberships\n");
    expect(parseAccessFile(stdout, "stdout").groups.find((g) => g.name === "Delivery-EMEA")!.members).toHaveLength(2200);
  });

  test("review still works through the async main", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kantata-review-"));
    try {
      writeFileSync(join(dir, "preview.json"), JSON.stringify({ steps: [] }));
      const ok = await run(["review", "--format", "text", join(dir, "preview.json")]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).not.toBe("");
      const missing = await run(["review", join(dir, "no-such-file.json")]);
      expect(missing.code).toBe(1);
      const usage = await run(["review", "--format", "html", join(dir, "preview.json")]);
      expect(usage.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
