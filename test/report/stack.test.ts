import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { buildReport } from "../../access/report/model";
import {
  PLUGIN_TYPE_PREFIX as PLUGIN_TYPE,
  StackStateError,
  TYPE_PREFIX as TYPE,
  decodeStackExport,
  readStackState,
} from "../../access/report/stack";

/** Printed by the real engine (scripts/reportStackFixture.ts): one authoritative WorkspaceGroupMembers and two UserGroupMemberships. */
const FIXTURE = join(__dirname, "fixtures", "stack-export.json");
const exported = (): unknown => JSON.parse(readFileSync(FIXTURE, "utf8"));
const URN = "urn:pulumi:e2e::kantata-e2e::pulumi-nodejs:dynamic/kantata:";

describe("reading what the stack manages", () => {
  test("a real stack export decodes into managed groups and memberships, with preexisting and adopted members marked", () => {
    const state = decodeStackExport(exported(), "e2e");
    expect(state.groups).toEqual([
      {
        groupId: 5521,
        name: "Delivery-EMEA",
        mode: "authoritative",
        resource: { kind: "WorkspaceGroupMembers", name: "delivery-emea", urn: `${URN}WorkspaceGroupMembers::delivery-emea` },
      },
    ]);
    expect(state.memberships.map((m) => [m.groupId, m.userId, m.person, m.adopted, m.resource.name])).toEqual([
      [5521, 1001, "ada.lovelace@example.com", false, "delivery-emea"],
      [5521, 1002, "alan.turing@example.com", true, "delivery-emea"],
      [5523, 1003, "grace.hopper@example.com", true, "grace-in-finance"],
      [5523, 1004, "edsger.dijkstra@example.com", false, "edsger-in-finance"],
    ]);
  });

  test("a stack of the provider plugin (kantata:index:<Kind>) reads exactly as the same stack through the dynamic provider", () => {
    const throughPlugin = JSON.parse(readFileSync(FIXTURE, "utf8").replaceAll(TYPE, PLUGIN_TYPE)) as unknown;
    expect(JSON.stringify(throughPlugin)).not.toContain(TYPE);
    const plugin = decodeStackExport(throughPlugin, "e2e");
    const dynamic = decodeStackExport(exported(), "e2e");
    expect(plugin.memberships).toHaveLength(4);
    expect(JSON.parse(JSON.stringify(plugin).replaceAll(PLUGIN_TYPE, TYPE))).toEqual(dynamic);
  });

  test("resources of other providers are ignored, and an empty stack manages nothing", () => {
    expect(
      decodeStackExport({ deployment: { resources: [{ urn: "urn:x", type: "aws:s3/bucket:Bucket", outputs: { members: 1 } }] } }, "s"),
    ).toEqual({
      stack: "s",
      groups: [],
      memberships: [],
    });
    expect(decodeStackExport({ version: 3, deployment: {} }, "s").memberships).toEqual([]);
  });

  test("a WorkspaceGroup (groups as code) is read with the provider's decoder: a group it manages is managed by code, members or not", () => {
    const group = (name: string, outputs: Record<string, unknown>) => ({
      urn: `${URN}WorkspaceGroup::${name}`,
      type: `${TYPE}WorkspaceGroup`,
      outputs,
    });
    const fields = { adoptExisting: false, deleteWithMembers: false, adopted: false };
    const state = decodeStackExport(
      {
        deployment: {
          resources: [
            group("platform", { ...fields, name: "Platform", groupId: 5600, deleted: false, notes: "", createdAt: "2026-01-01T00:00:00Z" }),
            group("old", { ...fields, name: "Contractors-2023", deleted: true }), // a tombstone whose group never existed
          ],
        },
      },
      "e2e",
    );
    expect(state.groups).toEqual([
      { groupId: 5600, name: "Platform", resource: { kind: "WorkspaceGroup", name: "platform", urn: `${URN}WorkspaceGroup::platform` } },
    ]);
    const model = buildReport({
      snapshot: { account: "https://x", groups: [{ id: 5600, name: "Platform" }], memberships: [], users: new Map() },
      state,
      generatedAt: new Date(0),
      tool: { name: "t", version: "0" },
    });
    expect(model.groups[0]).toMatchObject({ managed: true, mode: null, resources: [{ kind: "WorkspaceGroup", name: "platform" }] });
    expect(() => decodeStackExport({ deployment: { resources: [group("bad", { name: 7 })] } }, "e2e")).toThrow(
      `${URN}WorkspaceGroup::bad: outputs are not a WorkspaceGroup's`,
    );
  });

  test("outputs of ours that don't decode fail the report, naming the resource, instead of being half understood", () => {
    const bad = exported() as { deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> } };
    const wgm = bad.deployment.resources.find((r) => r.type.endsWith(":WorkspaceGroupMembers"))!;
    wgm.outputs!.members = { "ada.lovelace@example.com": "1001" };
    const ugm = bad.deployment.resources.find((r) => r.type.endsWith(":UserGroupMembership"))!;
    delete ugm.outputs!.groupId;
    expect(() => decodeStackExport(bad, "e2e")).toThrow(StackStateError);
    expect(() => decodeStackExport(bad, "e2e")).toThrow(
      `stack "e2e" has resources the report cannot read:\n${URN}WorkspaceGroupMembers::delivery-emea: outputs are not { group, groupId, members: {person: userId}, mode, preexisting }\n${URN}UserGroupMembership::grace-in-finance: outputs are not { user, userId, group, groupId, membershipId, adopted }`,
    );
    expect(() => decodeStackExport("not json", "e2e")).toThrow('pulumi stack export of "e2e" printed no deployment');
  });
});

describe("pulumi stack export, as the report runs it", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A `pulumi` on PATH that records its arguments and environment, then prints `stdout` and exits with `code`. */
  function fakePulumi(stdout: string, code = 0, stderr = ""): NodeJS.ProcessEnv {
    writeFileSync(join(dir, "out.json"), stdout);
    writeFileSync(join(dir, "err.txt"), stderr);
    writeFileSync(
      join(dir, "pulumi"),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\nenv > "${dir}/env"\ncat "${dir}/out.json"\ncat "${dir}/err.txt" >&2\nexit ${code}\n`,
    );
    chmodSync(join(dir, "pulumi"), 0o755);
    return {
      PATH: `${dir}${delimiter}${process.env.PATH ?? ""}`,
      PULUMI_ACCESS_TOKEN: "pulumi-cloud-token",
      KANTATA_API_TOKEN: "tok-SECRET",
      KANTATA_BASE_URL: "https://x",
    };
  }

  test("the command line holds only the stack's name, and the CLI never sees the Kantata token", async () => {
    const env = fakePulumi(readFileSync(FIXTURE, "utf8"));
    const state = await readStackState("acme/access/prod", env);
    expect(state.memberships).toHaveLength(4);
    expect(readFileSync(join(dir, "argv"), "utf8")).toBe("stack\nexport\n--stack\nacme/access/prod\n");
    const seen = readFileSync(join(dir, "env"), "utf8");
    expect(seen).toContain("PULUMI_ACCESS_TOKEN=pulumi-cloud-token"); // positive control: the environment is passed on
    expect(seen).not.toContain("tok-SECRET");
    expect(seen).not.toMatch(/^KANTATA_/m);
  });

  test("a failing export fails the report with the CLI's own words", async () => {
    const env = fakePulumi("", 255, "error: no stack named 'prod' found");
    await expect(readStackState("prod", env)).rejects.toThrow("pulumi stack export --stack prod failed:\nerror: no stack named 'prod' found");
  });

  test("without the Pulumi CLI, --stack says it needs it", async () => {
    await expect(readStackState("prod", { PATH: dir })).rejects.toThrow('--stack needs the Pulumi CLI, and "pulumi" is not on PATH');
  });

  test("output that is not JSON is an error, not an empty stack", async () => {
    await expect(readStackState("prod", fakePulumi("warning: something\n"))).rejects.toThrow("printed something other than JSON");
  });
});
