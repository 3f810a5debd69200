import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateAccess } from "../../access/validate";
import { runCli, runCliHere } from "../support/cli";

/** `kantata-access validate`: the parser's checks and the rules judged on the people the file lists, FILE:LINE:COLUMN, exit 1. */
const ROOT = join(__dirname, "..", "..");
const TODAY = { KANTATA_ACCESS_TODAY: "2026-06-15" };

const RULED = `rules:
  - separate: [Finance, Delivery] # nobody in both
    reason: SOX
  - allowedDomains: [example.com]
    groups: [Delivery]
  - maxMembers: { group: Finance, max: 2 }
groups:
  Delivery:
    members:
      - ada@example.com
      - email: grace@example.com
        until: 2026-06-14 # ended yesterday: counted nowhere
  Finance:
    members: [alan@example.com, edsger@example.com]
`;

const problems = (text: string, env = TODAY) => validateAccess(text, "access.yaml", env).problems;

describe("validateAccess", () => {
  it("a file whose listed people keep every rule has no problem", () => {
    expect(problems(RULED)).toEqual([]);
  });

  it("a person listed in two separated groups breaks the rule, at the rule's line and column", () => {
    expect(problems(RULED.replace("[alan@example.com,", "[ADA@example.com,"))).toEqual([
      'access.yaml:2:5: rule 1 (separate "Finance", "Delivery" — SOX) is broken: 1 person is in both "Finance" and "Delivery": ada@example.com.',
    ]);
  });

  it("a listed address outside the allowed domains, and more people listed than a group may hold", () => {
    const text = RULED.replace("- ada@example.com", "- ada@example.org").replace(
      "edsger@example.com]",
      "edsger@example.com, barbara@example.com]",
    );
    expect(problems(text)).toEqual([
      'access.yaml:4:5: rule 2 (allowedDomains example.com in "Delivery") is broken: 1 member has an address outside example.com: ada@example.org (in "Delivery").',
      'access.yaml:6:5: rule 3 (maxMembers "Finance" at most 2) is broken: "Finance" has 3 members, more than 2 (3 declared in code).',
    ]);
  });

  it("a person whose last day has not passed counts; on the day after, not", () => {
    const text = RULED.replace("[alan@example.com,", "[grace@example.com,");
    expect(problems(text)).toEqual([]);
    expect(problems(text, { KANTATA_ACCESS_TODAY: "2026-06-14" })).toHaveLength(1);
  });

  it("the parser's problems, every one", () => {
    expect(problems("groups:\n  A:\n    mode: additiv\n    members: [ada@]\n")).toEqual([
      'access.yaml:3:11: group "A": mode must be additive or authoritative; got "additiv"; did you mean "additive"?',
      'access.yaml:4:15: group "A": "ada@" is not an email address (such as alice@acme.com) or a user id',
    ]);
  });
});

const runHere = (args: string[]) => runCliHere(args, TODAY);

describe("kantata-access validate", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kantata-validate-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("as a user runs it: a valid file exits 0 and says what it holds; a broken one prints FILE:LINE:COLUMN and exits 1", async () => {
    const file = join(dir, "access.yaml");
    writeFileSync(file, RULED);
    const cli = (args: string[]) => runCli(args, TODAY);
    expect(await cli(["validate", file])).toEqual({
      code: 0,
      stdout: "",
      stderr: `kantata-access: ${file} is valid: 2 groups, 4 members, 3 rules kept by the people it lists\n`,
    });
    writeFileSync(file, RULED.replace("members: [alan", "membrs: [alan"));
    expect(await cli(["validate", file])).toEqual({
      code: 1,
      stdout: `${file}:14:5: group "Finance": unknown key "membrs"; did you mean "members"? (allowed: mode, members, maxRemovals, removePreexistingOnDestroy, notes, manageGroup, renamedFrom, delete, deleteWithMembers, owners)\n`,
      stderr: `kantata-access: 1 problem in ${file}\n`,
    });
  });

  it("DIR: an access folder, its files checked together; the rules judged against every file's groups", async () => {
    writeFileSync(join(dir, "_rules.yaml"), "rules:\n  - separate: [Finance, Delivery]\n");
    writeFileSync(join(dir, "delivery.yaml"), "groups:\n  Delivery:\n    members: [ada@example.com]\n");
    writeFileSync(join(dir, "finance.yaml"), "groups:\n  Finance:\n    members: [ada@example.com]\n");
    writeFileSync(join(dir, "notes.txt"), "not yaml: [");
    const result = await runHere(["validate", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: `${join(dir, "_rules.yaml")}:2:5: rule 1 (separate "Finance", "Delivery") is broken: 1 person is in both "Finance" and "Delivery": ada@example.com.\n`,
      stderr: `kantata-access: 1 problem in ${dir}\n`,
    });
    writeFileSync(join(dir, "finance.yaml"), "groups:\n  Finance:\n    members: [alan@example.com]\n");
    expect(await runHere(["validate", dir])).toEqual({
      code: 0,
      stdout: "",
      stderr: `kantata-access: ${dir} is valid: 2 groups, 2 members, 1 rule kept by the people it lists\n`,
    });
  });

  it("a file that is not there is a problem, not a crash", async () => {
    const result = await runHere(["validate", join(dir, "nope.yaml")]);
    expect(result).toMatchObject({
      code: 1,
      stdout: `${join(dir, "nope.yaml")}:1:1: no such file or folder; give the access file (default access.yaml) or its folder.\n`,
    });
  });

  it("the example's access file is valid", async () => {
    expect((await runHere(["validate", join(ROOT, "examples", "access-as-code", "access.yaml")])).code).toBe(0);
  });
});
