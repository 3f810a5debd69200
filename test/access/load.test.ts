import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AccessFileError, parseAccessFile } from "../../access/accessFile";
import { loadAccessFile, readAccess } from "../../access/load";

/** The access file as a folder: one file per group or team, plus one with rules and settings; and owners. */
let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "kantata-folder-")), "access");
  mkdirSync(dir);
});
afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof AccessFileError) return error.problems;
    throw error;
  }
  throw new Error("it loaded");
};

describe("a folder", () => {
  it("means what one file holding all of it means: groups in file-name order, rules and time zone from their file", () => {
    write("settings.yaml", "timeZone: Europe/Berlin\nrules:\n  - maxMembers: { group: Finance, max: 3 }\n");
    write("finance.yaml", 'groups:\n  Finance:\n    owners: ["@acme/finance-leads", grace]\n    members: [grace@example.com]\n');
    write("delivery.yml", "groups:\n  Delivery-EMEA:\n    members: [ada@example.com]\n  Delivery-AMER:\n    members: []\n");
    write("README.md", "not an access file");
    write(".hidden.yaml", "not: [valid");
    expect(loadAccessFile(dir)).toEqual({
      timeZone: "Europe/Berlin",
      rules: [{ maxMembers: { group: "Finance", max: 3 } }],
      groups: [
        { name: "Delivery-EMEA", mode: "additive", members: ["ada@example.com"] },
        { name: "Delivery-AMER", mode: "additive", members: [] },
        { name: "Finance", mode: "additive", members: ["grace@example.com"], owners: ["@acme/finance-leads", "@grace"] },
      ],
    });
    expect(readAccess(dir).parts.map((p) => [p.fileName, p.file.groups.map((g) => g.name)])).toEqual([
      [join(dir, "delivery.yml"), ["Delivery-EMEA", "Delivery-AMER"]],
      [join(dir, "finance.yaml"), ["Finance"]],
      [join(dir, "settings.yaml"), []],
    ]);
  });

  it("the same group in two files fails with both FILE:LINE:COLUMN (names ignore case)", () => {
    write("a.yaml", "groups:\n  Finance:\n    members: []\n");
    write("b.yaml", "# Finance again\ngroups:\n  FINANCE:\n    members: []\n");
    expect(problemsOf(() => loadAccessFile(dir))).toEqual([
      `${join(dir, "b.yaml")}:3:3: group "FINANCE" is also defined in ${join(dir, "a.yaml")}:2:3; define each group in one file`,
    ]);
  });

  it("rules or the time zone in two files, and a former name another file still defines, fail", () => {
    write("a.yaml", "timeZone: UTC\ngroups:\n  Finance:\n    members: []\n");
    write("b.yaml", "timeZone: UTC\nrules: []\ngroups:\n  Finance & Ops:\n    renamedFrom: finance\n");
    write("c.yaml", "rules: []\n");
    expect(problemsOf(() => loadAccessFile(dir))).toEqual([
      `${join(dir, "b.yaml")}:1:1: timeZone is also set in ${join(dir, "a.yaml")}:1:1; keep timeZone in one file`,
      `${join(dir, "c.yaml")}:1:1: rules is also set in ${join(dir, "b.yaml")}:2:1; keep rules in one file`,
      `${join(dir, "b.yaml")}:5:18: group "Finance & Ops": renamedFrom names a group still defined in ${join(dir, "a.yaml")}:3:3; a group has one name`,
    ]);
  });

  it("every file's own problems at once; an empty folder says what belongs in it", () => {
    write("a.yaml", "groups:\n  A:\n    memebrs: []\n");
    write("b.yaml", "- not a mapping\n");
    expect(problemsOf(() => loadAccessFile(dir))).toEqual([
      `${join(dir, "a.yaml")}:3:5: group "A": unknown key "memebrs"; did you mean "members"? (allowed: mode, members, maxRemovals, removePreexistingOnDestroy, notes, manageGroup, renamedFrom, delete, deleteWithMembers, owners)`,
      `${join(dir, "b.yaml")}:1:1: expected a mapping with a "groups", "rules" or "timeZone" key at the top`,
    ]);
    rmSync(join(dir, "a.yaml"));
    rmSync(join(dir, "b.yaml"));
    expect(problemsOf(() => loadAccessFile(dir))).toEqual([`${dir}: the folder holds no *.yaml file; put one file per group or team in it`]);
  });

  it("a single file still needs groups", () => {
    write("only.yaml", "rules: []\n");
    expect(problemsOf(() => loadAccessFile(join(dir, "only.yaml")))).toEqual([
      `${join(dir, "only.yaml")}:1:1: "groups" must map each workspace group's name to its mode and members`,
    ]);
  });
});

describe("owners", () => {
  const parse = (owners: string) => parseAccessFile(`groups:\n  A:\n    owners: ${owners}\n`, "access.yaml").groups[0].owners;

  it("GitHub users (the @ optional) and teams, as CODEOWNERS names them", () => {
    expect(parse("[ada, '@grace', '@acme/finance-leads', '@acme/team.v2']")).toEqual(["@ada", "@grace", "@acme/finance-leads", "@acme/team.v2"]);
  });

  it.each([
    ["a@b.example", '"a@b.example" is not a GitHub user (@ada) or team (@acme/finance-leads)'],
    ["-ada", '"-ada" is not a GitHub user'],
    ["'@acme/'", '"@acme/" is not a GitHub user'],
    ["[ada, '@ADA']", "owner @ADA is listed twice"],
  ])("refuses %s", (owners, message) => {
    expect(problemsOf(() => parse(owners.startsWith("[") ? owners : `[${owners}]`)).join("\n")).toContain(message);
  });

  it("must be a list", () => {
    expect(problemsOf(() => parse("ada"))).toEqual([
      'access.yaml:3:13: group "A": owners must be a list of GitHub users or teams, such as [@ada, @acme/finance-leads]',
    ]);
  });
});
