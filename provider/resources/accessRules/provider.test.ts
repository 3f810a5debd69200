import { type ProviderProcess, providerFor } from "../../../test/support/dynamic";
import type { Sandbox } from "../../../sandbox";
import { LIST, routeCount, startTestSandbox } from "../../../test/support/sandbox";

/**
 * The AccessRules provider against the sandbox, called in-process as the engine would: the groups'
 * checks first (they record what each group will hold), then the rules' check, which judges every rule
 * against that. Demo users: 1001 ada.lovelace, 1002 alan.turing, 1003 grace.hopper, … @example.com.
 */
let sandbox: Sandbox;
/** The provider process of the current Pulumi operation. */
let dynamic: ProviderProcess;
let approvers: number;
let requesters: number;
const emailOf = (userId: number) => sandbox.store.getUser(userId)!.emailAddress.toLowerCase();
const urn = (kind: string, name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:${kind}::${name}`;

/** Every Pulumi operation starts a new provider process: nothing declared or read by an earlier one is remembered. */
const newProcess = () => {
  dynamic = providerFor(sandbox);
};

/** A group's check, as the engine makes it before the rules' (it depends on the groups). */
async function group(name: string, members: number[], mode: "additive" | "authoritative" = "additive", olds: Record<string, unknown> = {}) {
  const result = await dynamic.check(olds, {
    __kind: "WorkspaceGroupMembers",
    __urn: urn("WorkspaceGroupMembers", name.toLowerCase()),
    group: name,
    members: members.map(emailOf),
    mode,
  });
  expect(result.failures).toBeUndefined();
  return result.inputs!;
}

const rules = (...list: unknown[]) => dynamic.check({}, { __kind: "AccessRules", __urn: urn("AccessRules", "rules"), rules: list });
const SOX = { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" };

beforeAll(async () => {
  sandbox = await startTestSandbox();
  approvers = sandbox.store.addWorkspaceGroup({ name: "Finance-Approvers" }).id;
  requesters = sandbox.store.addWorkspaceGroup({ name: "Finance-Requesters" }).id;
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  for (const m of sandbox.store.listMemberships()) sandbox.store.removeMembership(m.id);
  newProcess(); // nothing declared, nothing read
  sandbox.counters.reset();
});

describe("separate", () => {
  it("holds when the declarations keep the groups apart; the evaluation is recorded for the review", async () => {
    await group("Finance-Approvers", [1001], "authoritative");
    await group("Finance-Requesters", [1002], "authoritative");
    const result = await rules(SOX);
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({ rules: [SOX], __evaluation: [{ groups: ["Finance-Approvers", "Finance-Requesters"], people: 2 }] });
  });

  it("fails when the change declares someone in both, naming the rule, its reason, the groups and the person", async () => {
    await group("Finance-Approvers", [1001, 1002], "authoritative");
    await group("Finance-Requesters", [1002], "authoritative");
    await expect(rules(SOX)).resolves.toEqual({
      failures: [
        {
          property: "rules[0]",
          reason:
            'rule 1 (separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: alan.turing@example.com.',
        },
      ],
    });
  });

  it("fails when a member added outside code to an additive group meets a declaration in the other group", async () => {
    sandbox.store.addMembership({ userId: 1003, workspaceGroupId: requesters }); // by hand, in the Kantata UI
    await group("Finance-Requesters", [1002]);
    await group("Finance-Approvers", [1001, 1003], "authoritative");
    const { failures } = await rules(SOX);
    expect(failures?.[0].reason).toContain('grace.hopper@example.com (a member of "Finance-Requesters" outside code)');
    // Each group was read once, by its own check (both came under management): the rules read nothing more.
    expect(routeCount(sandbox, LIST)).toBe(2);
  });

  it("a member the same change removes is not counted", async () => {
    sandbox.store.addMembership({ userId: 1003, workspaceGroupId: requesters });
    const before = await group("Finance-Requesters", [1002, 1003]); // managed, then dropped below
    newProcess();
    await group("Finance-Requesters", [1002], "additive", before);
    await group("Finance-Approvers", [1003], "authoritative");
    expect((await rules(SOX)).failures).toBeUndefined();
  });

  it("a group no resource manages is judged on its members as they are (one read)", async () => {
    sandbox.store.addMembership({ userId: 1004, workspaceGroupId: requesters });
    await group("Finance-Approvers", [1004], "authoritative");
    sandbox.counters.reset();
    const { failures } = await rules(SOX);
    expect(failures?.[0].reason).toContain('1 person would be in both "Finance-Approvers" and "Finance-Requesters"');
    expect([routeCount(sandbox, LIST), routeCount(sandbox, "GET /workspace_groups")]).toEqual([1, 1]);
  });
});

describe("what the rules read", () => {
  it("an unchanged additive group is read once for the rules; authoritative groups and reads already made cost nothing", async () => {
    const first = await group("Finance-Requesters", [1002]);
    const second = await group("Finance-Approvers", [1001], "authoritative");
    newProcess(); // the next preview, in a new process: the declarations are unchanged, so the checks read nothing
    await group("Finance-Requesters", [1002], "additive", first);
    await group("Finance-Approvers", [1001], "authoritative", second);
    sandbox.counters.reset();
    expect((await rules(SOX)).failures).toBeUndefined();
    expect(sandbox.counters.snapshot().total).toBe(1);
    expect(routeCount(sandbox, LIST)).toBe(1);
    sandbox.counters.reset();
    expect((await rules(SOX)).failures).toBeUndefined(); // checked again in the same process (as `up` does after its preview)
    expect(sandbox.counters.snapshot().total).toBe(0);
  });
});

describe("allowedDomains and maxMembers", () => {
  it("allowedDomains looks at every managed group by default, members outside code included, people who left excluded", async () => {
    sandbox.store.disableUser(1005);
    sandbox.store.addMembership({ userId: 1005, workspaceGroupId: requesters });
    try {
      await group("Finance-Requesters", [1002, 1005]);
      await group("Finance-Approvers", [1001], "authoritative");
      const holds = await rules({ allowedDomains: ["example.com"] });
      expect(holds.inputs?.__evaluation).toEqual([{ groups: ["Finance-Approvers", "Finance-Requesters"], people: 2 }]);
      const broken = await rules({ allowedDomains: ["northwind.example"], reason: "company addresses only" });
      expect(broken.failures?.[0].reason).toBe(
        "rule 1 (allowedDomains northwind.example — company addresses only) is broken: 2 members would have an address outside northwind.example after this change: " +
          'ada.lovelace@example.com (in "Finance-Approvers"), alan.turing@example.com (in "Finance-Requesters").',
      );
    } finally {
      sandbox.store.enableUser(1005);
    }
  });

  it("allowedDomains reads the addresses of people declared by id (one GET for all of them)", async () => {
    await dynamic.check(
      {},
      {
        __kind: "WorkspaceGroupMembers",
        __urn: urn("WorkspaceGroupMembers", "approvers"),
        group: "Finance-Approvers",
        members: [1001, 1002],
        mode: "authoritative",
      },
    );
    sandbox.counters.reset();
    expect((await rules({ allowedDomains: ["example.com"] })).failures).toBeUndefined();
    expect(routeCount(sandbox, "GET /users")).toBe(1);
    expect((await rules({ allowedDomains: ["northwind.example"] })).failures?.[0].reason).toContain(
      'ada.lovelace@example.com (in "Finance-Approvers")',
    );
  });

  it("maxMembers counts the declared members and those outside code who stay", async () => {
    sandbox.store.addMemberships([1003, 1004].map((userId) => ({ userId, workspaceGroupId: approvers })));
    await group("Finance-Approvers", [1001, 1002]);
    expect((await rules({ maxMembers: { group: "finance-approvers", max: 4 } })).inputs?.__evaluation).toEqual([
      { groups: ["Finance-Approvers"], people: 4 },
    ]);
    const { failures } = await rules({ maxMembers: { group: "Finance-Approvers", max: 3 } });
    expect(failures?.[0].reason).toContain(
      '"Finance-Approvers" would have 4 members after this change, more than 3 (2 declared in code, 2 members outside code).',
    );
  });

  it("every broken rule is reported at once, each under its own index", async () => {
    await group("Finance-Approvers", [1001, 1002], "authoritative");
    await group("Finance-Requesters", [1002], "authoritative");
    const { failures } = await rules(SOX, { allowedDomains: ["example.com"] }, { maxMembers: { group: "Finance-Approvers", max: 1 } });
    expect(failures?.map((f) => f.property)).toEqual(["rules[0]", "rules[2]"]);
  });
});

describe("one preview names every problem (members' resources judged by the rules, as declareAccess declares them)", () => {
  const [ADA, ALAN] = ["ada.lovelace@example.com", "alan.turing@example.com"]; // users 1001 and 1002
  /** A group's check that hands its problems to the rules ("rules"), as `judgedBy` asks. */
  const judged = (name: string, members: string[]) =>
    dynamic.check(
      {},
      {
        __kind: "WorkspaceGroupMembers",
        __urn: urn("WorkspaceGroupMembers", name.toLowerCase()),
        group: name,
        members,
        mode: "authoritative",
        __judgedBy: "rules",
      },
    );
  /** access.yaml as declareAccess describes it: rules at lines 2, 4 and 5; the groups' members below. */
  const source = {
    file: "access.yaml",
    rules: [2, 4, 5],
    groups: {
      "finance-approvers": { name: "Finance-Approvers", line: 7, members: { [ADA]: 9, [ALAN]: 10, "nobody@exmaple.com": 11 } },
      "finance-requesters": { name: "Finance-Requesters", line: 12, members: { [ALAN]: 14, "x@other.test": 15 } },
    },
  };

  it("unknown addresses no longer hide the rules: every broken rule, every unknown address and every address outside the domains, each at FILE:LINE", async () => {
    const approvers = await judged("Finance-Approvers", [ADA, ALAN, "nobody@exmaple.com"]);
    const requesters = await judged("Finance-Requesters", [ALAN, "x@other.test"]);
    // The groups' checks pass, carrying their problems: the engine goes on to the rules.
    expect([approvers.failures, requesters.failures]).toEqual([undefined, undefined]);
    expect(approvers.inputs?.__handedOver).toEqual(["No user of this Kantata OX account has the address nobody@exmaple.com."]);
    const { failures } = await dynamic.check(
      {},
      {
        __kind: "AccessRules",
        __urn: urn("AccessRules", "rules"),
        rules: [SOX, { allowedDomains: ["example.com"] }, { maxMembers: { group: "Finance-Approvers", max: 1 } }],
        __source: source,
      },
    );
    expect(failures?.map((f) => f.reason)).toEqual([
      `access.yaml:2: rule 1 (separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: ${ALAN}.`,
      'access.yaml:5: rule 3 (maxMembers "Finance-Approvers" at most 1) is broken: "Finance-Approvers" would have 2 members after this change, more than 1 (2 declared in code).',
      'access.yaml:11: group "Finance-Approvers": No user of this Kantata OX account has the address nobody@exmaple.com.',
      'access.yaml:11: rule 2 (allowedDomains example.com) is broken: nobody@exmaple.com in "Finance-Approvers" is not at example.com (the rule: access.yaml:4).',
      'access.yaml:15: group "Finance-Requesters": No user of this Kantata OX account has the address x@other.test.',
      'access.yaml:15: rule 2 (allowedDomains example.com) is broken: x@other.test in "Finance-Requesters" is not at example.com (the rule: access.yaml:4).',
    ]);
  });

  it("allowedDomains is judged from the addresses as written, before any look-up", async () => {
    sandbox.counters.reset();
    const { failures } = await dynamic.check(
      {},
      {
        __kind: "AccessRules",
        __urn: urn("AccessRules", "rules"),
        rules: [{ allowedDomains: ["example.com"], groups: ["Finance-Requesters"] }],
        __source: source,
      },
    );
    expect(failures?.map((f) => f.reason)).toEqual([
      'access.yaml:15: rule 1 (allowedDomains example.com in "Finance-Requesters") is broken: x@other.test in "Finance-Requesters" is not at example.com (the rule: access.yaml:2).',
    ]);
    expect(routeCount(sandbox, "GET /users")).toBe(0);
  });

  it("a members' resource whose problems were handed over refuses to be created or updated", async () => {
    const { inputs } = await judged("Finance-Approvers", [ADA, "nobody@exmaple.com"]);
    await expect(dynamic.create(inputs!)).rejects.toThrow(
      "This resource's declaration has a problem (the preview names them): No user of this Kantata OX account has the address nobody@exmaple.com.",
    );
    expect(sandbox.store.listMemberships()).toEqual([]);
  });
});

describe("mistakes in the rules", () => {
  it("an unknown group name fails with the closest one", async () => {
    await expect(rules({ maxMembers: { group: "Finance-Aprovers", max: 3 } })).resolves.toEqual({
      failures: [
        {
          property: "rules[0]",
          reason: 'This Kantata OX account has no workspace group named "Finance-Aprovers"; did you mean "Finance-Approvers"?',
        },
      ],
    });
  });

  it("an unknown group name does not stop the other rules from being judged", async () => {
    await group("Finance-Approvers", [1001, 1002], "authoritative");
    await group("Finance-Requesters", [1002], "authoritative");
    const { failures } = await rules({ maxMembers: { group: "Finance-Aprovers", max: 3 } }, SOX);
    expect(failures?.map((f) => f.property)).toEqual(["rules[0]", "rules[1]"]);
    expect(failures?.[1].reason).toContain("rule 2 (separate");
  });

  it("a malformed rule names the property, the value and the fix", async () => {
    await expect(rules({ maxMembers: { group: "Finance-Approvers", max: -1 } }, { separate: "Finance" })).resolves.toEqual({
      failures: [
        { property: "rules[0].maxMembers.max", reason: "rules[0]: maxMembers.max must be a whole number of 0 or more; got -1." },
        { property: "rules[1].separate", reason: "rules[1]: separate must be a list of at least 2 workspace group names." },
      ],
    });
  });

  it("rules naming a group not known until `up` pass the preview unjudged", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    await expect(rules({ separate: ["Finance-Approvers", unknown] })).resolves.toEqual({
      inputs: { __kind: "AccessRules", rules: unknown, __urn: urn("AccessRules", "rules") },
    });
  });
});

describe("the resource's lifecycle", () => {
  it("create and update record the rules and their evaluation; only a change of the rules is a diff", async () => {
    await group("Finance-Approvers", [1001], "authoritative");
    const { inputs } = await rules({ maxMembers: { group: "Finance-Approvers", max: 3 } });
    const { id, outs } = await dynamic.create(inputs!);
    expect(id).toBe("rules");
    expect(outs).toMatchObject({
      rules: [{ maxMembers: { group: "Finance-Approvers", max: 3 } }],
      evaluation: [{ groups: ["Finance-Approvers"], people: 1 }],
    });
    await expect(dynamic.diff(id, outs, inputs!)).resolves.toEqual({ changes: false, replaces: [] });
    const { inputs: wider } = await rules({ maxMembers: { group: "Finance-Approvers", max: 5 } });
    await expect(dynamic.diff(id, outs, wider!)).resolves.toEqual({ changes: true, replaces: [] });
    const read = await dynamic.read(id, outs);
    expect(read.inputs).toEqual({ __kind: "AccessRules", rules: outs.rules, __urn: urn("AccessRules", "rules") });
    expect(sandbox.store.listMemberships()).toEqual([]);
  });
});
