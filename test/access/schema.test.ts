import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { type AccessFile, GROUP_KEYS, MEMBER_KEYS, TOP_KEYS, formatAccessFile, parseAccessFile } from "../../access/accessFile";
import { RULE_KINDS } from "../../provider/plan/rules";
import { MAX_MEMBERS_KEYS, RULE_KEYS } from "../../provider/runtime/ruleInputs";

/**
 * schema/access.schema.json, the JSON Schema editors read (`# yaml-language-server: $schema=…`): every
 * access file of the repository is valid against it, it says no more and no less than the parser accepts
 * (key lists taken from the parser's own code), and it is shipped in the package.
 */
const ROOT = join(__dirname, "..", "..");
const SCHEMA_PATH = "schema/access.schema.json";
const EXAMPLE = "examples/access-as-code/access.yaml";
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  required?: string[];
  type?: string | string[];
}
interface Schema extends SchemaNode {
  definitions: Record<string, SchemaNode>;
}
const schema = JSON.parse(read(SCHEMA_PATH)) as Schema;
const validate = new Ajv({ allErrors: true }).compile(schema);
const problemsOf = (data: unknown): string[] => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${JSON.stringify(e)}`));

/** A file with every key the parser accepts, at every level. */
const EVERY_KEY = `timeZone: Europe/Berlin
rules:
  - separate: [Finance, Delivery]
    reason: SOX
  - allowedDomains: [example.com, "@example.org"]
    groups: [Delivery]
    reason: staff only
  - maxMembers: { group: Finance, max: 5 }
    reason: small
groups:
  Delivery:
    mode: authoritative
    notes: Delivery in Europe
    maxRemovals: 2
    removePreexistingOnDestroy: false
    renamedFrom: Delivery-Old
    manageGroup: true
    owners: [ada, "@acme/delivery-leads"]
    members:
      - ada@example.com
      - 1003
      - "1004"
      - email: alan@example.com
        until: 2026-12-31
        reason: migration
  Finance:
    members:
  Old:
    delete: true
    deleteWithMembers: true
`;

describe("every access file of the repository validates", () => {
  it.each([
    [EXAMPLE, read(EXAMPLE)],
    ["a file with every key", EVERY_KEY],
  ])("%s", (_name, text) => {
    parseAccessFile(text, "file"); // the parser accepts it too
    expect(problemsOf(parse(text))).toEqual([]);
  });

  it("what export writes", () => {
    const file: AccessFile = {
      timeZone: "UTC",
      rules: [{ separate: ["A", "B"], reason: "r" }, { allowedDomains: ["example.com"], groups: ["A"] }, { maxMembers: { group: "A", max: 3 } }],
      groups: [
        { name: "A", mode: "additive", members: ["x@example.com", 1003], endDates: { "x@example.com": { until: "2030-01-01", reason: "why" } } },
        { name: "B", mode: "authoritative", members: [], notes: "n", manageGroup: true, maxRemovals: 1, owners: ["@acme/b-leads", "@ada"] },
        { name: "C", mode: "additive", members: [], delete: true, deleteWithMembers: false },
      ],
    };
    const text = formatAccessFile(file, { header: ["exported"] });
    expect(problemsOf(parse(text))).toEqual([]);
    expect(parseAccessFile(text, "exported").groups[1].owners).toEqual(["@acme/b-leads", "@ada"]); // "@" quoted: YAML reserves it
  });
});

describe("the schema refuses what the parser refuses", () => {
  it.each([
    ["an unknown top key", "groups: {}\ntimezone: UTC\n"],
    ["an unknown group key", "groups:\n  A:\n    memebrs: []\n"],
    ["an unknown member key", "groups:\n  A:\n    members: [{ email: a@example.com, untill: 2030-01-01 }]\n"],
    ["a mode", "groups:\n  A:\n    mode: additiv\n"],
    ["an address", "groups:\n  A:\n    members: [ada@]\n"],
    ["an end date", "groups:\n  A:\n    members: [{ email: a@example.com, until: 30.06.2030 }]\n"],
    ["a rule of two kinds", "groups: {}\nrules:\n  - { separate: [A, B], maxMembers: { group: A, max: 1 } }\n"],
    ["a rule's unknown key", "groups: {}\nrules:\n  - { separate: [A, B], groups: [A] }\n"],
    ["no groups", "rules: []\n"],
    ["an owner", "groups:\n  A:\n    owners: [a@b.example]\n"],
  ])("%s", (_what, text) => {
    expect(() => parseAccessFile(text, "file")).toThrow();
    expect(problemsOf(parse(text))).not.toEqual([]);
  });
});

describe("the schema's keys are the parser's, no more and no less", () => {
  const keys = (node: SchemaNode | undefined) => Object.keys(node?.properties ?? {}).sort();
  const closed = (node: SchemaNode | undefined) => node?.additionalProperties === false;
  const sorted = (list: readonly string[]) => [...list].sort();

  it("the top level, a group and a member written as a mapping", () => {
    expect(keys(schema)).toEqual(sorted(TOP_KEYS));
    expect(keys(schema.definitions.group)).toEqual(sorted(GROUP_KEYS));
    const memberMapping = schema.definitions.member.anyOf?.find((branch) => branch.type === "object");
    expect(keys(memberMapping)).toEqual(sorted(MEMBER_KEYS));
    expect([schema, schema.definitions.group, memberMapping].every(closed)).toBe(true);
  });

  it("each kind of rule, and maxMembers' value", () => {
    const branches = schema.definitions.rule.oneOf ?? [];
    expect(branches.map((branch) => branch.required)).toEqual(RULE_KINDS.map((kind) => [kind]));
    branches.forEach((branch, i) => {
      expect(keys(branch)).toEqual(sorted(RULE_KEYS[RULE_KINDS[i]]));
      expect(closed(branch)).toBe(true);
    });
    const maxMembers = branches[RULE_KINDS.indexOf("maxMembers")].properties?.maxMembers;
    expect(keys(maxMembers)).toEqual(sorted(MAX_MEMBERS_KEYS));
    expect(closed(maxMembers)).toBe(true);
  });
});

describe("editors find it", () => {
  it("the package ships it, and the example names it where an install puts it", () => {
    const files = (JSON.parse(read("package.json")) as { files: string[] }).files;
    expect(files).toContain(SCHEMA_PATH);
    expect(read(EXAMPLE).split("\n")[0]).toBe(`# yaml-language-server: $schema=./node_modules/pulumi-kantata/${SCHEMA_PATH}`);
  });
});
