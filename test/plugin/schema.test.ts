/**
 * The schema (provider/plugin/schema.json) says what the kinds really take and give: read with the
 * TypeScript compiler from each kind's resource.ts, its `…Args` interface (the inputs, `?` for optional)
 * and its class's `declare readonly` fields (the outputs). A property added to a kind and not to the
 * schema, or the other way round, fails here; so does a missing description.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");
const KINDS = ["WorkspaceGroup", "WorkspaceGroupMembers", "UserGroupMembership", "AccessRules"] as const;
const FOLDERS: Record<(typeof KINDS)[number], string> = {
  WorkspaceGroup: "workspaceGroup",
  WorkspaceGroupMembers: "workspaceGroupMembers",
  UserGroupMembership: "userGroupMembership",
  AccessRules: "accessRules",
};

interface Property {
  description?: string;
}
interface ResourceSpec {
  description?: string;
  inputProperties?: Record<string, Property>;
  requiredInputs?: string[];
  properties?: Record<string, Property>;
}
interface Schema {
  name: string;
  resources: Record<string, ResourceSpec>;
  functions: Record<
    string,
    { description?: string; inputs?: { properties?: Record<string, Property> }; outputs?: { properties?: Record<string, Property> } }
  >;
  config?: { variables?: Record<string, Property> };
}

const schema = JSON.parse(readFileSync(path.join(ROOT, "provider", "plugin", "schema.json"), "utf8")) as Schema;

/**
 * Arguments that only an access file's declaration sets (declareAccess, and the Access component, which
 * runs the same code): where the file wrote each rule and person, and which rules resource reports a
 * group's problems. A program in another language has no file to point at.
 */
const DECLARATION_ONLY = new Set(["judgedBy", "source"]);

/** The kind's arguments (name → optional?) and outputs, as its resource.ts declares them. */
function declared(kind: (typeof KINDS)[number]) {
  const file = path.join(ROOT, "provider", "resources", FOLDERS[kind], "resource.ts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const args = new Map<string, boolean>();
  const outputs = new Set<string>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === `${kind}Args`)
      for (const member of node.members)
        if (ts.isPropertySignature(member) && !DECLARATION_ONLY.has(member.name.getText(source)))
          args.set(member.name.getText(source), member.questionToken !== undefined);
    if (ts.isClassDeclaration(node) && node.name?.text === kind)
      for (const member of node.members)
        if (ts.isPropertyDeclaration(member) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword))
          outputs.add(member.name.getText(source));
  });
  return { args, outputs };
}

describe.each(KINDS)("kantata:index:%s", (kind) => {
  const spec = schema.resources[`kantata:index:${kind}`];
  const { args, outputs } = declared(kind);

  test("is in the schema with a description", () => {
    expect(spec?.description?.length).toBeGreaterThan(20);
  });

  test("takes exactly the arguments of the dynamic provider's class (the day a program sets is its `today`)", () => {
    expect(args.size).toBeGreaterThan(0);
    expect(Object.keys(spec?.inputProperties ?? {}).sort()).toEqual([...args.keys()].sort());
    expect([...(spec?.requiredInputs ?? [])].sort()).toEqual(
      [...args]
        .filter(([, optional]) => !optional)
        .map(([name]) => name)
        .sort(),
    );
  });

  test("gives exactly the outputs of the dynamic provider's class, and every argument back", () => {
    const expected = new Set([...outputs, ...[...args.keys()].filter((name) => name !== "today")]);
    expect(Object.keys(spec?.properties ?? {}).sort()).toEqual([...expected].sort());
  });

  test("describes every property", () => {
    const undescribed = Object.entries({ ...spec?.inputProperties, ...spec?.properties }).filter(([, p]) => !p.description);
    expect(undescribed.map(([name]) => name)).toEqual([]);
  });
});

test("the look-ups and the Access component are described, with every input and output", () => {
  expect(schema.name).toBe("kantata");
  for (const name of ["getUser", "getWorkspaceGroup", "getWorkspaceGroupMembers"]) {
    const fn = schema.functions[`kantata:index:${name}`];
    expect(fn?.description).toBeTruthy();
    for (const property of [...Object.values(fn?.inputs?.properties ?? {}), ...Object.values(fn?.outputs?.properties ?? {})])
      expect(property.description).toBeTruthy();
  }
  expect(Object.keys(schema.functions["kantata:index:getUser"]?.outputs?.properties ?? {}).sort()).toEqual(["disabled", "email", "id", "name"]);
  expect(Object.keys(schema.functions["kantata:index:getWorkspaceGroup"]?.outputs?.properties ?? {}).sort()).toEqual(["id", "name", "notes"]);
  expect(Object.keys(schema.functions["kantata:index:getWorkspaceGroupMembers"]?.outputs?.properties ?? {})).toEqual(["members"]);
  expect(schema.resources["kantata:index:Access"]?.inputProperties?.file?.description).toBeTruthy();
});

test("the configuration is the settings' keys, the token a secret", () => {
  const config = readFileSync(path.join(ROOT, "provider", "kantata", "config.ts"), "utf8");
  const keys = [...config.matchAll(/"kantata:(\w+)"/g)].map((match) => match[1]);
  expect(keys.length).toBeGreaterThan(3);
  const variables = schema.config?.variables ?? {};
  expect(Object.keys(variables).sort()).toEqual([...new Set(keys)].sort());
  expect(variables.apiToken).toMatchObject({ secret: true });
});
