import { AccessFileError, type AccessFile, formatAccessFile, parseAccessFile } from "../../access/accessFile";

/** What a file declares, without where it wrote each part (`source`, for messages). */
const declaration = ({ source: _source, ...declared }: AccessFile): AccessFile => declared;

/** access.yaml's rules, end dates, time zone and group keys: read with FILE:LINE:COLUMN for every problem, and written back. */
const problemsOf = (text: string): string[] => {
  try {
    parseAccessFile(text, "access.yaml");
  } catch (error) {
    if (error instanceof AccessFileError) return error.problems;
    throw error;
  }
  throw new Error("the file parsed");
};

const GUARDED = `timeZone: Europe/Berlin
rules:
  - separate: [Finance-Approvers, Finance-Requesters] # nobody in both
    reason: SOX segregation of duties
  - allowedDomains: [northwind.example] # members' addresses
  - maxMembers: { group: Executive Team, max: 15 }
groups:
  Finance-Approvers:
    members:
      - ada.lovelace@example.com
      - email: Contractor@Agency.example
        until: 2026-12-31 # last day with access
        reason: migration project
`;

describe("rules, end dates and the time zone", () => {
  it("are read in the documented form", () => {
    expect(parseAccessFile(GUARDED, "access.yaml")).toEqual({
      timeZone: "Europe/Berlin",
      rules: [
        { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" },
        { allowedDomains: ["northwind.example"] },
        { maxMembers: { group: "Executive Team", max: 15 } },
      ],
      groups: [
        {
          name: "Finance-Approvers",
          mode: "additive",
          members: ["ada.lovelace@example.com", "Contractor@Agency.example"],
          endDates: { "contractor@agency.example": { until: "2026-12-31", reason: "migration project" } },
        },
      ],
      // Where each rule, group and member is, for the preview's FILE:LINE (members keyed as state keys them).
      source: {
        file: "access.yaml",
        rules: [3, 5, 6],
        groups: { "Finance-Approvers": { line: 8, members: { "ada.lovelace@example.com": 10, "contractor@agency.example": 11 } } },
      },
    });
  });

  it("a file without them reads as before: no rules, no end dates, no time zone", () => {
    expect(parseAccessFile("groups:\n  Finance:\n    members: [ada.lovelace@example.com, 1003]\n", "a.yaml")).toEqual({
      groups: [{ name: "Finance", mode: "additive", members: ["ada.lovelace@example.com", 1003] }],
      source: { file: "a.yaml", rules: [], groups: { Finance: { line: 2, members: { "ada.lovelace@example.com": 3, "1003": 3 } } } },
    });
  });

  it("are written back so that they read the same", () => {
    const file = parseAccessFile(GUARDED, "access.yaml");
    const text = formatAccessFile(file);
    expect(text).toContain("  - maxMembers: { group: Executive Team, max: 15 }\n");
    expect(text).toContain("      - email: contractor@agency.example\n        until: 2026-12-31\n        reason: migration project\n");
    const again = parseAccessFile(text, "x");
    expect(again.rules).toEqual(file.rules);
    expect(again.timeZone).toBe("Europe/Berlin");
    expect(again.groups[0].endDates).toEqual(file.groups[0].endDates);
  });

  // Found by test/access/accessFileProperties.test.ts: `groups:` with nothing under it reads as null.
  it("a file without groups is written as an empty mapping, which reads back", () => {
    expect(formatAccessFile({ groups: [] })).toBe("groups: {}\n");
    expect(declaration(parseAccessFile(formatAccessFile({ groups: [] }), "x"))).toEqual({ groups: [] });
  });

  // Found by test/access/accessFileProperties.test.ts: written plain, YAML read these as numbers, a list or an error.
  it.each(["1e5", "+1", "-01", "0x1F", "0o17", ".inf", "-.Inf", "-1.50", "-", "@channel"])(
    "a name or a note such as %s is quoted, so it reads back as the same text",
    (text) => {
      const file: AccessFile = { groups: [{ name: text, mode: "additive", members: [], notes: text }] };
      expect(declaration(parseAccessFile(formatAccessFile(file), "x"))).toEqual(file);
    },
  );
});

describe("malformed rules, end dates and time zones fail with FILE:LINE:COLUMN", () => {
  // Found by test/access/accessFileProperties.test.ts: a line break in a name split one problem into lines.
  it("one line per problem, whatever a name holds: line breaks and controls are spelled out", () => {
    expect(problemsOf('"a\\nb": 1\n"\\u0085x": 2\ngroups:\n  "x\\ry":\n    members: [a]\n')).toEqual([
      'access.yaml:1:1: unknown key "a\\u000ab" (allowed: groups, rules, timeZone)',
      'access.yaml:2:1: unknown key "\\u0085x" (allowed: groups, rules, timeZone)',
      'access.yaml:5:15: group "x\\u000dy": "a" is not an email address (such as alice@acme.com) or a user id',
    ]);
  });

  it("every malformed rule at the node it concerns", () => {
    expect(
      problemsOf(`rules:
  - separate: [Finance]
  - maxMembers: { group: Executive Team, max: -1 }
  - allowedDomain: [northwind.example]
  - allowedDomains: [northwind]
    reason: company addresses
groups: {}
`),
    ).toEqual([
      "access.yaml:2:15: rule 1: separate must be a list of at least 2 workspace group names",
      "access.yaml:3:47: rule 2: maxMembers.max must be a whole number of 0 or more; got -1",
      'access.yaml:4:5: rule 3: a rule needs one of separate, allowedDomains, maxMembers; unknown key "allowedDomain"; did you mean "allowedDomains"? (allowed: separate, allowedDomains, maxMembers)',
      'access.yaml:5:22: rule 4: allowedDomains[0] must be a domain, such as northwind.example; got "northwind"',
    ]);
  });

  it("rules that are not a list", () => {
    expect(problemsOf("rules:\n  separate: [A, B]\ngroups: {}\n")).toEqual([
      "access.yaml:2:3: rules must be a list of rules, such as - separate: [Finance-Approvers, Finance-Requesters]",
    ]);
  });

  it("end dates that are not days, member mappings without an address, unknown member keys", () => {
    expect(
      problemsOf(`groups:
  Finance:
    members:
      - email: a@x.example
        until: 2026-13-01
      - email: b@x.example
        until: 31.12.2026
      - until: 2026-12-31
      - email: c@x.example
        untill: 2026-12-31
`),
    ).toEqual([
      'access.yaml:5:16: group "Finance": until must be the last day with access as YYYY-MM-DD, such as 2026-12-31; got "2026-13-01"',
      'access.yaml:7:16: group "Finance": until must be the last day with access as YYYY-MM-DD, such as 2026-12-31; got "31.12.2026"',
      'access.yaml:8:9: group "Finance": a member written as a mapping needs "email" (and optionally "until" and "reason")',
      'access.yaml:10:9: group "Finance": unknown key "untill"; did you mean "until"? (allowed: email, until, reason)',
    ]);
  });

  it("the same person as a text and as a mapping is listed twice", () => {
    expect(
      problemsOf("groups:\n  Finance:\n    members:\n      - a@x.example\n      - email: A@x.example\n        until: 2026-12-31\n"),
    ).toEqual(['access.yaml:5:16: group "Finance": A@x.example is listed twice (first at line 4; addresses ignore case)']);
  });

  it("an unknown time zone, with the closest one", () => {
    expect(problemsOf("timeZone: Europe/Berlim\ngroups: {}\n")).toEqual([
      'access.yaml:1:11: timeZone must be an IANA time zone, such as Europe/Berlin or UTC; got "Europe/Berlim"; did you mean "Europe/Berlin"?',
    ]);
  });
});

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
      problemsOf(
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
      'access.yaml:3:5: group "Finance": unknown key "note"; did you mean "notes"? (allowed: mode, members, maxRemovals, removePreexistingOnDestroy, notes, manageGroup, renamedFrom, delete, deleteWithMembers, owners)',
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
      problemsOf(
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
