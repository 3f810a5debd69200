import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { type AccessFile, AccessFileError, type AccessGroup, formatAccessFile, parseAccessFile } from "../../access/accessFile";
import { timeZoneNames } from "../../lib/calendar";
import { foldName, normalizeEmail } from "../../provider/identity/references";
import type { AccessRule } from "../../provider/plan/rules";

/**
 * access.yaml under generated input: random edits of valid files either parse or fail with an
 * AccessFileError whose every problem is FILE:LINE:COLUMN (never another exception), and any valid
 * declaration written by formatAccessFile reads back as the same declaration. Seeds are fixed, so a
 * failure prints a seed and a path that replay it exactly.
 */

const FILE = "access.yaml";
const EXAMPLE = readFileSync(path.join(__dirname, "..", "..", "examples", "access-as-code", "access.yaml"), "utf8");
/** Every other key the parser knows: tombstones, renames, unmanaged groups, ids, flow lists, a time zone. */
const EVERY_KEY = `timeZone: Europe/Berlin
rules:
  - separate: [Finance-Approvers, Finance-Requesters] # nobody in both
    reason: SOX segregation of duties
  - allowedDomains: [northwind.example, "@example.com"]
    groups: [Finance-Approvers]
  - maxMembers: { group: Executive Team, max: 15 }
groups:
  Finance-Approvers:
    mode: authoritative
    maxRemovals: 3
    removePreexistingOnDestroy: true
    members:
      - ada.lovelace@example.com
      - 1003
      - "1004"
      - email: Contractor@Agency.example
        until: 2026-12-31 # last day with access
        reason: migration project
  Finance & Ops:
    renamedFrom: Finance
    notes: "42"
    members: [grace.hopper@example.com, alan.turing@example.com]
  Contractors-2023:
    delete: true
    deleteWithMembers: true
  Executive Team:
    manageGroup: false
    members: []
`;
const SEEDS = [EXAMPLE, EVERY_KEY];

/** What parsing a text did: the declaration, or the problems of an AccessFileError. Anything else is thrown on. */
function outcome(text: string): { file: AccessFile } | { problems: string[] } {
  try {
    return { file: parseAccessFile(text, FILE) };
  } catch (error) {
    if (error instanceof AccessFileError) return { problems: error.problems };
    throw error;
  }
}

const PROBLEM = /^access\.yaml:(\d+):(\d+): \S/;

/** Each problem is one line naming the file, a line of the text (or the one after its end) and a column. */
function expectPlaced(problems: string[], text: string): void {
  expect(problems.length).toBeGreaterThan(0);
  const lines = text.split("\n").length;
  for (const problem of problems) {
    const match = PROBLEM.exec(problem);
    if (match === null) throw new Error(`not FILE:LINE:COLUMN: ${JSON.stringify(problem)}`);
    const [line, column] = [Number(match[1]), Number(match[2])];
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lines + 1);
    expect(column).toBeGreaterThanOrEqual(1);
    // One line each: a stack trace, a code frame or a line break from the file would pass for more problems.
    expect(problem).not.toMatch(/[\n\r\u0085]/);
  }
}

// --- Random edits -----------------------------------------------------------------------------------

/** Pieces that mean something to YAML or to the parser, where a random string rarely lands. */
const TOKENS = [
  ":",
  ": ",
  "- ",
  "-",
  "[",
  "]",
  "{",
  "}",
  ",",
  "#",
  "&a ",
  "*a",
  "!!int ",
  "!!str ",
  "!x ",
  "|",
  ">",
  "'",
  '"',
  "? ",
  "---",
  "...",
  "%YAML 1.2",
  "<<: *a",
  "~",
  "null",
  "true",
  "no",
  "1e9999",
  "-0",
  "0x1F",
  ".inf",
  "2026-02-30",
  "\t",
  "\r",
  "\r\n",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u0085",
  "\u2028",
  "\u202e",
  "\ufeff",
  "\ud800",
  "😀",
  "groups:",
  "members:",
  "mode:",
  "rules:",
  "timeZone:",
  "until:",
  "email:",
  "delete: true",
  "renamedFrom: x",
  "maxMembers:",
  "separate:",
  "allowedDomains:",
  "@",
  "x@y.z",
  // Escapes YAML turns into line breaks inside a name.
  '"a\\nb"',
  '"x\\u0085y"',
  '"\\rz"',
];
/** Values of the wrong type (or shape) for any key, written in place of a value. */
const WRONG_VALUES = [
  "[]",
  "{}",
  "[a, b]",
  "{ a: 1 }",
  "{ group: 1, max: -1 }",
  "123",
  "-1",
  "1.5",
  "0",
  "true",
  "false",
  "null",
  "~",
  '""',
  "''",
  "2026-13-45",
  "Not/AZone",
  "authoritativ",
  "[1, 2, 1]",
  "[x@y.z, X@Y.Z]",
  "*a",
  "&a",
  "!!binary aGk=",
  "|\n  block",
  "9007199254740993",
];

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)) },
);

/**
 * Positions are fractions, mapped onto the text as it is when the edit applies; spread evenly, since
 * fast-check's doubles crowd 0 and 1 and would only ever edit the first or the last line.
 */
const at = fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((n) => n / 10_000);
type Edit =
  | { kind: "delete" | "duplicate"; line: number }
  | { kind: "swap"; line: number; other: number }
  | { kind: "indent"; line: number; spaces: number; tab: boolean }
  | { kind: "insert"; line: number; column: number; token: string }
  | { kind: "retype"; line: number; value: string }
  | { kind: "truncate"; at: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete" as const, "duplicate" as const), line: at }),
  fc.record({ kind: fc.constant("swap" as const), line: at, other: at }),
  fc.record({ kind: fc.constant("indent" as const), line: at, spaces: fc.integer({ min: 0, max: 9 }), tab: fc.boolean() }),
  fc.record({ kind: fc.constant("insert" as const), line: at, column: at, token }),
  fc.record({ kind: fc.constant("retype" as const), line: at, value: fc.oneof(fc.constantFrom(...WRONG_VALUES), token) }),
  fc.record({ kind: fc.constant("truncate" as const), at }),
);

function apply(text: string, change: Edit): string {
  if (change.kind === "truncate") return text.slice(0, Math.floor(change.at * text.length));
  const lines = text.split("\n");
  const i = Math.floor(change.line * lines.length);
  const line = lines[i];
  switch (change.kind) {
    case "delete":
      lines.splice(i, 1);
      break;
    case "duplicate":
      lines.splice(i, 0, line);
      break;
    case "swap": {
      const j = Math.floor(change.other * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      break;
    }
    case "indent":
      lines[i] = `${change.tab ? "\t" : ""}${" ".repeat(change.spaces)}${line.trimStart()}`;
      break;
    case "insert": {
      const column = Math.floor(change.column * (line.length + 1));
      lines[i] = `${line.slice(0, column)}${change.token}${line.slice(column)}`;
      break;
    }
    case "retype": {
      // The value after a key (`key: value`) or a list item (`- value`); a line with neither gets one.
      const valueAt = /^(\s*(?:- )?[^:#]*:\s|\s*- )/.exec(line);
      lines[i] = valueAt ? `${valueAt[0]}${change.value}` : `${line}: ${change.value}`;
      break;
    }
  }
  return lines.join("\n");
}

describe("random edits of valid access files", () => {
  it.each(SEEDS.map((seed, i) => [i, seed]))("seed %i parses as it is", (_i, seed) => {
    expect(outcome(seed)).toHaveProperty("file");
  });

  it("either parse, or fail with an AccessFileError whose every problem is FILE:LINE:COLUMN", () => {
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) => {
        const text = edits.reduce(apply, seed);
        const result = outcome(text);
        if ("problems" in result) {
          expectPlaced(result.problems, text);
          refused++;
        } else {
          expect(Array.isArray(result.file.groups)).toBe(true);
          parsed++;
        }
      }),
      { seed: 24_01, numRuns: 300 },
    );
    // Both outcomes happen: the edits are neither all harmless nor all fatal.
    expect(parsed).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it("random text (not YAML, or YAML of another shape) fails the same way", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.json()), (text) => {
        const result = outcome(text);
        if ("problems" in result) expectPlaced(result.problems, text);
      }),
      { seed: 24_02, numRuns: 300 },
    );
  });
});

// --- Round trip ---------------------------------------------------------------------------------------

/** Characters a name, a note or a reason may hold: plain ones, and ones YAML or Markdown give meaning to. */
const nameChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcxyzABCXYZ019 .-_@+") },
  { weight: 2, arbitrary: fc.constantFrom(...":#&*!|>'\"%@`{}[],?\\/<~=\t\n") },
  { weight: 1, arbitrary: fc.constantFrom("é", "ß", "漢", "😀", "\u0000", "\u001b", "\u2028", "\u202e", "\ud800") },
);
/** A text as the parser hands it back: trimmed where the parser trims, never empty. */
const trimmedText = fc.string({ unit: nameChar, minLength: 1, maxLength: 14 }).filter((s) => s.trim() === s && s !== "");
/** Texts YAML would read as something else if written plain: numbers, booleans, null. */
const lookalike = fc.constantFrom("1e5", "+1", "-01", "0x1F", "0o17", ".inf", "-.Inf", ".NaN", "1_000", "True", "NULL", "~", "-1.50", "12");
const groupName = fc.oneof({ weight: 5, arbitrary: trimmedText }, { weight: 1, arbitrary: lookalike });

const emailChar = fc.constantFrom(..."abcxyzABCXYZ019.-_+!#$%&'*/=?^{|}~é");
const email = fc
  .tuple(
    fc.string({ unit: emailChar, minLength: 1, maxLength: 8 }),
    fc.string({ unit: emailChar, minLength: 1, maxLength: 8 }),
    fc.string({ unit: emailChar, minLength: 1, maxLength: 4 }),
  )
  .map(([local, host, tld]) => `${local}@${host}.${tld}`);
const userId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const day = fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const memberKey = (member: string | number) => (typeof member === "number" ? `#${member}` : normalizeEmail(member));

/** A group the parser accepts: members once each, end dates only for addresses, the lifecycle keys in allowed combinations. */
const group = (name: string): fc.Arbitrary<AccessGroup> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.option(fc.boolean(), { nil: undefined }).map((deleteWithMembers) => tombstone(name, deleteWithMembers)) },
    {
      weight: 6,
      arbitrary: fc
        .record(
          {
            mode: fc.constantFrom("additive" as const, "authoritative" as const),
            members: fc.uniqueArray(fc.oneof(email, userId), { selector: memberKey, maxLength: 6 }),
            ended: fc.array(fc.record({ until: day, reason: fc.option(trimmedText, { nil: undefined }) }), { maxLength: 6 }),
            maxRemovals: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
            removePreexistingOnDestroy: fc.boolean(),
            notes: fc.oneof(fc.string({ unit: nameChar, maxLength: 14 }), lookalike),
            manageGroup: fc.boolean(),
            renamedFrom: groupName,
          },
          { requiredKeys: ["mode", "members", "ended"] },
        )
        .map(({ ended, members, manageGroup, notes, renamedFrom, ...rest }): AccessGroup => {
          const endDates = Object.fromEntries(
            members
              .filter((m): m is string => typeof m === "string")
              .flatMap((m, i) => (ended[i] ? [[normalizeEmail(m), ended[i].reason ? ended[i] : { until: ended[i].until }]] : [])),
          );
          const managed = manageGroup !== false;
          return {
            name,
            members,
            ...rest,
            ...(Object.keys(endDates).length > 0 && { endDates }),
            ...(manageGroup !== undefined && { manageGroup }),
            ...(managed && notes !== undefined && { notes }),
            ...(managed && renamedFrom !== undefined && { renamedFrom }),
          };
        }),
    },
  );
const tombstone = (name: string, deleteWithMembers: boolean | undefined): AccessGroup => ({
  name,
  mode: "additive",
  members: [],
  delete: true,
  ...(deleteWithMembers !== undefined && { deleteWithMembers }),
});

const names = (atLeast: number) => fc.uniqueArray(groupName, { selector: foldName, minLength: atLeast, maxLength: 4 });
const reason = fc.option(trimmedText, { nil: undefined });
const rule: fc.Arbitrary<AccessRule> = fc.oneof(
  fc.record({ separate: names(2), reason }, { requiredKeys: ["separate"] }),
  fc.record(
    {
      allowedDomains: fc.array(
        fc.domain().map((d) => d.toLowerCase()),
        { minLength: 1, maxLength: 3 },
      ),
      groups: names(1),
      reason,
    },
    { requiredKeys: ["allowedDomains"] },
  ),
  fc.record({ maxMembers: fc.record({ group: groupName, max: fc.nat() }), reason }, { requiredKeys: ["maxMembers"] }),
);

/** A declaration the parser accepts: names unique ignoring case, a former name neither listed nor claimed twice. */
const accessFile: fc.Arbitrary<AccessFile> = fc
  .record(
    {
      groups: names(0).chain((list): fc.Arbitrary<AccessGroup[]> => (list.length === 0 ? fc.constant([]) : fc.tuple(...list.map(group)))),
      rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
      timeZone: fc.constantFrom(...timeZoneNames()),
    },
    { requiredKeys: ["groups"] },
  )
  .map((file) => {
    const listed = new Set(file.groups.map((g) => foldName(g.name)));
    const claimed = new Set<string>();
    const groups = file.groups.map(({ renamedFrom, ...g }) => {
      const former = renamedFrom === undefined ? undefined : foldName(renamedFrom);
      if (former === undefined || listed.has(former) || claimed.has(former)) return g;
      claimed.add(former);
      return { ...g, renamedFrom };
    });
    return { ...file, groups };
  });

/** The declaration as formatAccessFile writes it: groups by name, addresses lower-cased and sorted, then ids. */
function canonical(file: AccessFile): AccessFile {
  const groups = [...file.groups]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((g) => ({
      ...g,
      members: [
        ...g.members
          .filter((m): m is string => typeof m === "string")
          .map(normalizeEmail)
          .sort(),
        ...g.members.filter((m): m is number => typeof m === "number").sort((a, b) => a - b),
      ],
    }));
  return { ...file, groups };
}

describe("formatting a declaration and parsing it again", () => {
  it("gives the same declaration, and the same text when formatted again", () => {
    fc.assert(
      fc.property(accessFile, (file) => {
        const text = formatAccessFile(file);
        const result = outcome(text);
        if ("problems" in result) throw new Error(`the formatted file does not parse:\n${result.problems.join("\n")}\n---\n${text}`);
        const { source: _source, ...declared } = result.file;
        expect(declared).toEqual(canonical(file));
        expect(formatAccessFile(result.file)).toBe(text);
      }),
      { seed: 24_03, numRuns: 200 },
    );
  });
});
