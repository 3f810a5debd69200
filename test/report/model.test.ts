import { type DeclaredView, type ReportModel, type StateView, buildReport } from "../../access/report/model";
import { ADA, ADMIN, ALAN, AMER, AT, BARBARA, EDSGER, EMEA, FINANCE, GRACE, SYSTEM, inputs, membership, resource, snapshot } from "./fixtures";

const members = (model: ReportModel, group: string) => model.groups.find((g) => g.name === group)!.members;
const row = (model: ReportModel, group: string, email: string) => members(model, group).find((m) => m.email === email)!;

const declared = (groups: DeclaredView["groups"]): DeclaredView => ({ file: "access.yaml", commit: "a".repeat(40), groups });

describe("the account as it is", () => {
  const account = snapshot([
    membership(ALAN, EMEA),
    membership(ADA, EMEA, { creatorId: ADMIN, createdAt: "2025-01-14T09:12:03-08:00" }),
    membership(GRACE, FINANCE),
  ]);

  test("every group of the account is in the report, managed or not, sorted by name, with its members sorted by email", () => {
    const model = buildReport(inputs({ snapshot: account }));
    expect(model.groups.map((g) => [g.name, g.members.map((m) => m.email)])).toEqual([
      ["Delivery-AMER", []],
      ["Delivery-EMEA", ["ada.lovelace@example.com", "alan.turing@example.com"]],
      ["Finance", ["grace.hopper@example.com"]],
    ]);
    expect(model.summary).toMatchObject({ groups: 3, people: 3, memberships: 3, groupsManaged: 0, groupsNotManaged: 3 });
  });

  test("since is the membership's created_at and added by names its creator_id's user; a creator that can't be read keeps the id", () => {
    const model = buildReport(inputs({ snapshot: account }));
    expect(row(model, "Delivery-EMEA", "ada.lovelace@example.com")).toMatchObject({
      since: "2025-01-14T09:12:03-08:00",
      addedBy: { userId: ADMIN, email: "sandbox.admin@example.com", name: "Sandbox Administrator" },
    });
    expect(row(model, "Delivery-EMEA", "alan.turing@example.com").addedBy).toEqual({ userId: SYSTEM, email: null, name: null });
  });

  test("without a stack or an access file, how a membership stands is unknown, and drift says it was not checked", () => {
    const model = buildReport(inputs({ snapshot: account }));
    expect(model.header.managementBasis).toBe("none");
    expect(model.summary.management).toEqual({ code: 0, adopted: 0, outside: 0, unknown: 3 });
    expect(model.checks.drift).toEqual({ checked: false, note: "not checked: no access file (--access) or stack (--stack) given" });
    expect(model.groups.every((g) => g.members.every((m) => m.declared === null))).toBe(true);
  });

  test("rules, expiry and disabled users are counted 0 and say they were not checked, rather than inventing data", () => {
    const model = buildReport(inputs({ snapshot: account }));
    expect(model.summary).toMatchObject({ ruleViolations: 0, expiring: 0, expired: 0, disabledUsers: 0 });
    expect(model.checks.rules).toEqual({ checked: false, note: "not checked: no rules declared" });
    expect(model.checks.expiry).toEqual({ checked: false, note: "not checked: no access file given" });
    expect(model.checks.disabledUsers.note).toMatch(/disabled users not checked/);
    expect(model.ruleViolations).toEqual([]);
    expect(model.disabledUsers).toEqual([]);
  });

  test("the header names the account, the time, the tool and what was read, and holds nothing else", () => {
    const model = buildReport(inputs({ snapshot: { ...account, requests: { made: 3, bound: 3, detail: "x" } } }));
    expect(model.header).toEqual({
      account: "https://api.mavenlink.com/api/v1",
      generatedAt: AT.toISOString(),
      tool: { name: "pulumi-kantata", version: "0.0.0-test" },
      accessFile: null,
      stack: null,
      managementBasis: "none",
      requests: { made: 3, bound: 3, detail: "x" },
    });
    expect(model.schemaVersion).toBe(1);
  });
});

describe("against the access file", () => {
  const account = snapshot([
    membership(ADA, EMEA),
    membership(ALAN, EMEA),
    membership(BARBARA, EMEA),
    membership(GRACE, FINANCE),
    membership(ALAN, FINANCE),
  ]);
  const file = declared([
    {
      name: "delivery-emea",
      mode: "authoritative",
      members: [{ person: "Ada.Lovelace@example.com" }, { person: ALAN }, { person: "edsger.dijkstra@example.com" }],
    },
    { name: "Finance", mode: "additive", members: [{ person: "grace.hopper@example.com" }] },
    { name: "Legal", mode: "additive", members: [{ person: "ada.lovelace@example.com" }] },
  ]);
  const model = buildReport(inputs({ snapshot: account, declared: file }));

  test("declared members are managed by code, everyone else is outside code; groups match by name ignoring case, people by email or id", () => {
    expect(model.header.managementBasis).toBe("access-file");
    expect(members(model, "Delivery-EMEA").map((m) => [m.email, m.management, m.declared])).toEqual([
      ["ada.lovelace@example.com", "code", true],
      ["alan.turing@example.com", "code", true],
      ["barbara.liskov@example.com", "outside", false],
    ]);
    expect(members(model, "Finance").map((m) => [m.email, m.management])).toEqual([
      ["alan.turing@example.com", "outside"],
      ["grace.hopper@example.com", "code"],
    ]);
    expect(model.groups.map((g) => [g.name, g.managed, g.mode])).toEqual([
      ["Delivery-AMER", false, null],
      ["Delivery-EMEA", true, "authoritative"],
      ["Finance", true, "additive"],
    ]);
  });

  test("drift: declared but not in the account, in an authoritative group but not declared, and a declared group the account lacks; additive groups keep outsiders without drift", () => {
    expect(model.drift.map((d) => [d.kind, d.group, d.person])).toEqual([
      ["missing-member", "Delivery-EMEA", "edsger.dijkstra@example.com"],
      ["undeclared-member", "Delivery-EMEA", "barbara.liskov@example.com"],
      ["missing-group", "Legal", null],
    ]);
    expect(model.drift[1].detail).toMatch(/authoritative, so the next pulumi up removes this membership/);
    expect(model.groups.find((g) => g.name === "Delivery-EMEA")!.counts).toEqual({
      members: 3,
      code: 2,
      adopted: 0,
      outside: 1,
      unknown: 0,
      drift: 2,
    });
    expect(model.summary.drift).toBe(3);
    expect(model.checks.drift).toEqual({ checked: true, note: "against the access file access.yaml" });
  });

  test("the header carries the file and its commit", () => {
    expect(model.header.accessFile).toEqual({ path: "access.yaml", commit: "a".repeat(40), modified: false });
  });
});

describe("against the stack's state", () => {
  const emea = resource("WorkspaceGroupMembers", "delivery-emea");
  const single = resource("UserGroupMembership", "grace-in-finance");
  const state: StateView = {
    stack: "prod",
    groups: [{ groupId: EMEA, name: "Delivery-EMEA", mode: "authoritative", resource: emea }],
    memberships: [
      { groupId: EMEA, userId: ADA, person: "ada.lovelace@example.com", adopted: false, resource: emea },
      { groupId: EMEA, userId: ALAN, person: "alan.turing@example.com", adopted: true, resource: emea },
      { groupId: EMEA, userId: EDSGER, person: "edsger.dijkstra@example.com", adopted: false, resource: emea },
      { groupId: FINANCE, userId: GRACE, person: "grace.hopper@example.com", adopted: true, resource: single },
    ],
  };
  const account = snapshot([
    membership(ADA, EMEA),
    membership(ALAN, EMEA),
    membership(BARBARA, EMEA),
    membership(GRACE, FINANCE),
    membership(ADA, AMER),
  ]);

  test("a membership a resource manages is code, one it took over is adopted, the rest is outside code; each names its resource", () => {
    const model = buildReport(inputs({ snapshot: account, state }));
    expect(model.header).toMatchObject({ managementBasis: "stack", stack: "prod" });
    expect(members(model, "Delivery-EMEA").map((m) => [m.email, m.management, m.resource])).toEqual([
      ["ada.lovelace@example.com", "code", "delivery-emea"],
      ["alan.turing@example.com", "adopted", "delivery-emea"],
      ["barbara.liskov@example.com", "outside", null],
    ]);
    expect(row(model, "Finance", "grace.hopper@example.com")).toMatchObject({ management: "adopted", resource: "grace-in-finance" });
    expect(row(model, "Delivery-AMER", "ada.lovelace@example.com")).toMatchObject({ management: "outside", resource: null });
    expect(model.summary.management).toEqual({ code: 1, adopted: 2, outside: 2, unknown: 0 });
    expect(model.groups.map((g) => [g.name, g.managed, g.resources.map((r) => r.name)])).toEqual([
      ["Delivery-AMER", false, []],
      ["Delivery-EMEA", true, ["delivery-emea"]],
      ["Finance", true, ["grace-in-finance"]],
    ]);
  });

  test("without an access file, drift is what the stack manages against the account", () => {
    const model = buildReport(inputs({ snapshot: account, state }));
    expect(model.drift.map((d) => [d.kind, d.group, d.person, d.detail])).toEqual([
      ["missing-member", "Delivery-EMEA", "edsger.dijkstra@example.com", expect.stringMatching(/managed by the stack but not a member/)],
      [
        "undeclared-member",
        "Delivery-EMEA",
        "barbara.liskov@example.com",
        expect.stringMatching(/not managed by the stack; the group is authoritative/),
      ],
    ]);
  });

  test("with both, management comes from the state and drift from the file", () => {
    const file = declared([
      { name: "Delivery-EMEA", mode: "authoritative", members: [{ person: "ada.lovelace@example.com" }, { person: "alan.turing@example.com" }] },
    ]);
    const model = buildReport(inputs({ snapshot: account, state, declared: file }));
    expect(row(model, "Delivery-EMEA", "alan.turing@example.com")).toMatchObject({ management: "adopted", declared: true });
    expect(model.drift.map((d) => [d.kind, d.person])).toEqual([["undeclared-member", "barbara.liskov@example.com"]]);
  });
});

describe("people who can no longer be read", () => {
  test("a member whose user can't be read is kept by id, counted, and listed with the groups they are still in", () => {
    const account = snapshot([membership(GRACE, EMEA), membership(GRACE, FINANCE), membership(ADA, FINANCE)], {
      users: new Map([[ADA, { id: ADA, email: "ada.lovelace@example.com", fullName: "Ada Lovelace" }]]),
    });
    const model = buildReport(inputs({ snapshot: account }));
    expect(members(model, "Finance").map((m) => [m.email, m.userId, m.status])).toEqual([
      ["ada.lovelace@example.com", ADA, "readable"],
      [null, GRACE, "unreadable"],
    ]);
    expect(model.disabledUsers).toEqual([{ userId: GRACE, email: null, reason: "unreadable", groups: ["Delivery-EMEA", "Finance"] }]);
    expect(model.summary.disabledUsers).toBe(1);
  });

  test("users the snapshot knows to be disabled are reported as disabled, and the check says it looked", () => {
    const model = buildReport(inputs({ snapshot: snapshot([membership(BARBARA, EMEA)], { disabledUserIds: new Set([BARBARA]) }) }));
    expect(model.disabledUsers).toEqual([
      { userId: BARBARA, email: "barbara.liskov@example.com", reason: "disabled", groups: ["Delivery-EMEA"] },
    ]);
    expect(model.checks.disabledUsers).toEqual({ checked: true, note: "users that can no longer be read, and disabled users" });
  });
});

describe("end dates, rules and notes", () => {
  const finance = (members: DeclaredView["groups"][number]["members"], mode: "additive" | "authoritative" = "additive") =>
    declared([{ name: "Finance", mode, members }]);

  test("an end date is the last day with access: expired from the next day on, expiring when that is within 14 days (lib/calendar.ts)", () => {
    const file = finance([
      { person: "ada.lovelace@example.com", until: "2026-01-01", reason: "audit" },
      { person: "grace.hopper@example.com", until: "2026-01-02" },
      { person: "alan.turing@example.com", until: "2026-01-15" },
      { person: "barbara.liskov@example.com", until: "2026-01-16" },
    ]);
    const account = snapshot([membership(ADA, FINANCE), membership(GRACE, FINANCE), membership(ALAN, FINANCE), membership(BARBARA, FINANCE)]);
    const model = buildReport(inputs({ snapshot: account, declared: file }));
    expect(members(model, "Finance").map((m) => [m.email, m.expires, m.expired, m.expiring, m.expiryReason])).toEqual([
      ["ada.lovelace@example.com", "2026-01-01", true, false, "audit"],
      ["alan.turing@example.com", "2026-01-15", false, true, null],
      ["barbara.liskov@example.com", "2026-01-16", false, false, null],
      ["grace.hopper@example.com", "2026-01-02", false, true, null],
    ]);
    expect(model.summary).toMatchObject({ expired: 1, expiring: 2 });
    expect(model.checks.expiry).toEqual({
      checked: true,
      note: "end dates from the access file, judged on 2026-01-02 (UTC); expiring means access ends within 14 days",
    });
  });

  test("the day is the report's time in the file's time zone, unless the command passes the day (KANTATA_ACCESS_TODAY)", () => {
    const file = { ...finance([{ person: "ada.lovelace@example.com", until: "2026-01-01" }]), timeZone: "America/Los_Angeles" };
    const account = snapshot([membership(ADA, FINANCE)]);
    // 2026-01-02T03:04Z is still 2026-01-01 in Los Angeles: Ada's last day.
    expect(members(buildReport(inputs({ snapshot: account, declared: file })), "Finance")[0].expired).toBe(false);
    expect(members(buildReport(inputs({ snapshot: account, declared: { ...file, timeZone: undefined } })), "Finance")[0].expired).toBe(true);
    expect(members(buildReport(inputs({ snapshot: account, declared: file, today: "2026-01-02" })), "Finance")[0].expired).toBe(true);
  });

  test("someone whose access has ended is not missing from the group: the provider leaves them out, so no drift", () => {
    const file = finance([{ person: "ada.lovelace@example.com", until: "2025-12-31" }, { person: "alan.turing@example.com" }], "authoritative");
    const model = buildReport(inputs({ snapshot: snapshot([]), declared: file }));
    expect(model.drift.map((d) => [d.kind, d.person])).toEqual([["missing-member", "alan.turing@example.com"]]);
  });

  test("someone whose access has ended but who is still in the group is drift: the next pulumi up removes them", () => {
    const file = finance([{ person: "ada.lovelace@example.com", until: "2025-12-31" }, { person: "alan.turing@example.com" }]);
    const model = buildReport(inputs({ snapshot: snapshot([membership(ADA, FINANCE), membership(ALAN, FINANCE)]), declared: file }));
    expect(model.drift.map((d) => [d.kind, d.group, d.person, d.detail])).toEqual([
      [
        "expired-member",
        "Finance",
        "ada.lovelace@example.com",
        "access ended on 2025-12-31 (the access file's end date) but still a member in the account; the next pulumi up removes this membership",
      ],
    ]);
    expect(model.groups.find((g) => g.name === "Finance")?.counts.drift).toBe(1);
  });

  test("a group's notes are carried into the report; a group without notes has no notes field", () => {
    const account = snapshot([], {
      groups: [
        { id: FINANCE, name: "Finance", notes: "SOX scope" },
        { id: EMEA, name: "Delivery-EMEA" },
      ],
    });
    const model = buildReport(inputs({ snapshot: account }));
    expect(model.groups.map((g) => [g.name, g.notes])).toEqual([
      ["Delivery-EMEA", undefined],
      ["Finance", "SOX scope"],
    ]);
    expect(model.groups[0]).not.toHaveProperty("notes");
  });

  test("rule results from the rules feature are reported sorted, and the check counts the rules", () => {
    const model = buildReport(
      inputs({
        snapshot: snapshot([]),
        rules: {
          checked: 2,
          violations: [
            { rule: "separate", people: ["b@x.com", "a@x.com"], message: "in both Finance and Delivery-EMEA" },
            { rule: "allowedDomains", group: "Finance", people: ["eve@evil.example"], message: "evil.example is not allowed" },
          ],
        },
      }),
    );
    expect(model.ruleViolations.map((v) => [v.rule, v.people])).toEqual([
      ["allowedDomains", ["eve@evil.example"]],
      ["separate", ["a@x.com", "b@x.com"]],
    ]);
    expect(model.summary.ruleViolations).toBe(2);
    expect(model.checks.rules).toEqual({ checked: true, note: "2 rules checked" });
  });
});

test("the model is the same whatever order Kantata returns groups, memberships and users in", () => {
  const list = [membership(ALAN, EMEA), membership(ADA, EMEA), membership(GRACE, FINANCE), membership(EDSGER, AMER), membership(ADA, FINANCE)];
  const file = declared([
    { name: "Finance", mode: "authoritative", members: [{ person: "barbara.liskov@example.com" }, { person: "ada.lovelace@example.com" }] },
  ]);
  const forward = buildReport(inputs({ snapshot: snapshot(list), declared: file }));
  const base = snapshot([]);
  const reversed = buildReport(
    inputs({
      snapshot: snapshot([...list].reverse(), { groups: [...base.groups].reverse(), users: new Map([...base.users].reverse()) }),
      declared: { ...file, groups: [...file.groups].reverse() },
    }),
  );
  expect(JSON.stringify(reversed)).toBe(JSON.stringify(forward));
});
