import { AccessFileError, type AccessFile, formatAccessFile, parseAccessFile } from "../../access/accessFile";

/** access.yaml's group keys: what a file declares about the group itself, and every mistake at FILE:LINE:COLUMN. */
const problems = (text: string): string[] => {
  try {
    parseAccessFile(text, "access.yaml");
  } catch (error) {
    if (error instanceof AccessFileError) return error.problems;
    throw error;
  }
  return [];
};

describe("groups as code in access.yaml", () => {
  it("reads notes, a rename, a group whose members alone are managed, and a tombstone", () => {
    const file = parseAccessFile(
      [
        "groups:",
        "  Finance & Ops:",
        "    renamedFrom: Finance",
        "    notes: |",
        "      Billing and revenue.",
        "      Owner: grace.hopper@example.com",
        "    members: [grace.hopper@example.com]",
        "  Delivery-EMEA:",
        "    manageGroup: false",
        "    members: [ada.lovelace@example.com]",
        "  Contractors-2023:",
        "    delete: true",
        "    deleteWithMembers: true",
        "",
      ].join("\n"),
      "access.yaml",
    );
    expect(file.groups).toEqual([
      {
        name: "Finance & Ops",
        mode: "additive",
        members: ["grace.hopper@example.com"],
        renamedFrom: "Finance",
        notes: "Billing and revenue.\nOwner: grace.hopper@example.com\n",
      },
      { name: "Delivery-EMEA", mode: "additive", members: ["ada.lovelace@example.com"], manageGroup: false },
      { name: "Contractors-2023", mode: "additive", members: [], delete: true, deleteWithMembers: true },
    ]);
  });

  it("reports each mistake with its line and column, and the closest key for a typo", () => {
    expect(
      problems(
        [
          "groups:",
          "  Finance:",
          "    note: Billing",
          "    notes: 42",
          "    members: []",
          "  Legal:",
          "    delete: yes please",
          "    members: [ada.lovelace@example.com]",
          "  Sales:",
          "    deleteWithMembers: true",
          "    members: []",
          "  Support:",
          "    manageGroup: false",
          "    renamedFrom: Helpdesk",
          "    notes: Tier 1",
          "  Ops:",
          "    delete: true",
          "    members: [ada.lovelace@example.com]",
          "  People:",
          "    renamedFrom: people",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      'access.yaml:3:5: group "Finance": unknown key "note"; did you mean "notes"? (allowed: mode, members, maxRemovals, removePreexistingOnDestroy, notes, manageGroup, renamedFrom, delete, deleteWithMembers)',
      'access.yaml:4:12: group "Finance": notes must be a text (quote it if it looks like a number or true/false); got 42',
      'access.yaml:7:13: group "Legal": delete must be true or false',
      'access.yaml:10:24: group "Sales": deleteWithMembers only applies with delete: true',
      'access.yaml:14:18: group "Support": renamedFrom needs the group managed by code; remove manageGroup: false to rename it',
      'access.yaml:15:12: group "Support": notes need the group managed by code; remove manageGroup: false to manage its notes',
      'access.yaml:18:14: group "Ops": a group to delete lists no members; remove them, or remove delete: true',
      'access.yaml:20:18: group "People": renamedFrom must be the group\'s former name, other than "People"',
    ]);
  });

  it("a former name must not be a group the file still lists, nor the former name of two groups", () => {
    expect(
      problems(
        [
          "groups:",
          "  Finance:",
          "    members: []",
          "  Finance & Ops:",
          "    renamedFrom: FINANCE",
          "  Money:",
          "    renamedFrom: Treasury",
          "  Cash:",
          "    renamedFrom: treasury",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      'access.yaml:5:18: group "Finance & Ops": renamedFrom "FINANCE" names a group this file still lists (line 2); a group has one name',
      'access.yaml:9:18: group "Cash": renamedFrom "treasury" is claimed by another group too (line 7)',
    ]);
  });

  it("writes every group key back so that the file reads as it was written", () => {
    const file: AccessFile = {
      groups: [
        {
          name: "Finance & Ops",
          mode: "authoritative",
          members: ["grace.hopper@example.com"],
          renamedFrom: "Finance",
          notes: 'Line 1\n"two"',
          maxRemovals: 3,
        },
        { name: "Delivery-EMEA", mode: "additive", members: [], manageGroup: false },
        { name: "Contractors-2023", mode: "additive", members: [], delete: true, deleteWithMembers: true },
      ],
    };
    const text = formatAccessFile(file);
    expect(text).toBe(
      [
        "groups:",
        "  Contractors-2023:",
        "    delete: true",
        "    deleteWithMembers: true",
        "  Delivery-EMEA:",
        "    mode: additive",
        "    manageGroup: false",
        "    members: []",
        '  "Finance & Ops":',
        "    mode: authoritative",
        "    renamedFrom: Finance",
        '    notes: "Line 1\\n\\"two\\""',
        "    maxRemovals: 3",
        "    members:",
        "      - grace.hopper@example.com",
        "",
      ].join("\n"),
    );
    expect(parseAccessFile(text, "access.yaml").groups.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...file.groups].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });
});
