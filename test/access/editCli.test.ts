import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAccessFile } from "../../access/accessFile";
import { runCli, runCliHere } from "../support/cli";

/**
 * `kantata-access grant` and `revoke` as a user runs them: a process of its own, what it prints, its exit
 * code, and the file afterwards — untouched on every refusal; both changes kept when runs overlap.
 */
const TODAY = { KANTATA_ACCESS_TODAY: "2026-06-15" };
const run = (args: string[]) => runCli(args, TODAY);
const runHere = (args: string[]) => runCliHere(args, TODAY);

const FILE = `# who has access
groups:
  Delivery-EMEA:
    members:
      - ada@example.com # lead
  Finance:
    members: [grace@example.com]
`;

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kantata-grant-"));
  file = join(dir, "access.yaml");
  writeFileSync(file, FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("grant prints the change as a unified diff, says what it did, and writes the file", async () => {
  const result = await run(["grant", "alan@example.com", "delivery-emea", "--until", "2026-12-31", "--reason", "audit", "--file", file]);
  expect(result).toEqual({
    code: 0,
    stdout: `--- ${file}
+++ ${file}
@@ -3,5 +3,8 @@
   Delivery-EMEA:
     members:
       - ada@example.com # lead
+      - email: alan@example.com
+        until: 2026-12-31
+        reason: audit
   Finance:
     members: [grace@example.com]
`,
    stderr: `kantata-access: granted alan@example.com access to "Delivery-EMEA" until 2026-12-31 in ${file}\n`,
  });
  expect(readFileSync(file, "utf8")).toBe(
    FILE.replace("# lead\n", "# lead\n      - email: alan@example.com\n        until: 2026-12-31\n        reason: audit\n"),
  );
  expect(readdirSync(dir)).toEqual(["access.yaml"]); // no lock or temporary file left
});

it("revoke prints the removal and writes the file", async () => {
  const result = await run(["revoke", "grace@example.com", "Finance", "--file", file]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("-    members: [grace@example.com]\n+    members: []\n");
  expect(result.stderr).toBe(`kantata-access: revoked grace@example.com's access to "Finance" in ${file}\n`);
  expect(readFileSync(file, "utf8")).toBe(FILE.replace("[grace@example.com]", "[]"));
});

describe("every refusal exits 1 with the reason and leaves the file as it was", () => {
  it.each([
    [["grant", "alan@example.com", "Finanse"], 'no group "Finanse" in FILE; did you mean "Finance"? (groups: Delivery-EMEA, Finance)'],
    [["grant", "alan.example.com", "Finance"], '"alan.example.com" is not an email address; give one such as alice@acme.com.'],
    [["grant", "Grace@example.com", "Finance"], 'grace@example.com is already in group "Finance" in FILE; nothing to grant.'],
    [["revoke", "alan@example.com", "Finance"], 'alan@example.com is not in group "Finance" in FILE; nothing to revoke.'],
    [
      ["grant", "alan@example.com", "Finance", "--until", "2026-06-14"],
      "--until 2026-06-14 is in the past (today is 2026-06-15 in UTC); give today or a later day.",
    ],
    [
      ["grant", "alan@example.com", "Finance", "--until", "30.06.2026"],
      '--until must be the last day with access as YYYY-MM-DD, such as 2026-12-31; got "30.06.2026".',
    ],
  ])("%j", async (args, message) => {
    const result = await runHere([...args, "--file", file]);
    expect(result).toEqual({ code: 1, stdout: "", stderr: `kantata-access: ${message.replace("FILE", file)}\n` });
    expect(readFileSync(file, "utf8")).toBe(FILE);
    expect(readdirSync(dir)).toEqual(["access.yaml"]);
  });

  it("a file that does not parse, with FILE:LINE:COLUMN", async () => {
    const broken = FILE.replace("members: [grace", "membres: [grace");
    writeFileSync(file, broken);
    const result = await run(["grant", "alan@example.com", "Finance", "--file", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:7:5: group "Finance": unknown key "membres"; did you mean "members"?`);
    expect(readFileSync(file, "utf8")).toBe(broken);
  });

  it("no file", async () => {
    const result = await runHere(["grant", "alan@example.com", "Finance", "--file", join(dir, "nope.yaml")]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `kantata-access: no access file at ${join(dir, "nope.yaml")}; run in the folder that holds access.yaml (or the folder access/), or give --file PATH.\n`,
    });
  });

  it("a wrong command line exits 2 with the usage", async () => {
    const result = await runHere(["grant", "alan@example.com", "--file", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kantata-access: grant takes EMAIL and GROUP; got 1 argument\.\n\nUsage:/);
  });
});

it("runs at once all land: two grants started together, five times over, lose nobody", async () => {
  const people = ["alan@example.com", "grace@example.com"];
  for (let round = 0; round < 5; round++) {
    writeFileSync(file, FILE);
    const results = await Promise.all(people.map((email) => run(["grant", email, "Delivery-EMEA", "--file", file])));
    expect(results.map((r) => r.code)).toEqual(people.map(() => 0));
    const members = parseAccessFile(readFileSync(file, "utf8"), file).groups[0].members;
    expect([...members].sort()).toEqual(["ada@example.com", ...people].sort());
    expect(readdirSync(dir)).toEqual(["access.yaml"]);
  }
}, 180_000);

describe("in an access folder", () => {
  let folder: string;
  beforeEach(() => {
    folder = join(dir, "access");
    mkdirSync(folder);
    writeFileSync(join(folder, "settings.yaml"), "timeZone: Asia/Tokyo\n");
    writeFileSync(join(folder, "finance.yaml"), "groups:\n  Finance:\n    owners: [grace]\n    members: [grace@example.com]\n");
    writeFileSync(join(folder, "delivery.yaml"), "groups:\n  Delivery-EMEA:\n    members: []\n");
  });

  it("edits the file that defines the group, judging until in the folder's time zone", async () => {
    const result = await runHere(["grant", "alan@example.com", "finance", "--until", "2026-06-15", "--file", folder]);
    expect(result.stderr).toBe(
      `kantata-access: granted alan@example.com access to "Finance" until 2026-06-15 in ${join(folder, "finance.yaml")}\n`,
    );
    expect(readFileSync(join(folder, "finance.yaml"), "utf8")).toContain(
      "members: [grace@example.com, { email: alan@example.com, until: 2026-06-15 }]",
    );
    expect(readFileSync(join(folder, "delivery.yaml"), "utf8")).toBe("groups:\n  Delivery-EMEA:\n    members: []\n");
    expect(await runHere(["grant", "ada@example.com", "Delivery-EMEA", "--until", "2026-06-14", "--file", folder])).toMatchObject({
      code: 1,
      stderr: "kantata-access: --until 2026-06-14 is in the past (today is 2026-06-15 in Asia/Tokyo); give today or a later day.\n",
    });
    expect((await runHere(["revoke", "grace@example.com", "Finance", "--file", folder])).code).toBe(0);
  });

  it("an unknown group is looked for in every file", async () => {
    expect(await runHere(["grant", "alan@example.com", "Delivery-EMAE", "--file", folder])).toMatchObject({
      code: 1,
      stderr: `kantata-access: no group "Delivery-EMAE" in ${folder}; did you mean "Delivery-EMEA"? (groups: Delivery-EMEA, Finance)\n`,
    });
  });
});
