/**
 * The difference suite for access that ends by itself, people who left and access rules (see
 * harness.ts): access.yaml declared with declareAccess, as examples/access-as-code does, through the real
 * CLI. The people `kantata-access review` names as gaining and losing access are exactly those whose
 * access `pulumi up` then changes; the review's Rules, Expiring and "No longer active" sections say what
 * the preview knew; and a change that breaks a rule is refused by the preview and by `up`, nothing written.
 * The day is always fixed with KANTATA_ACCESS_TODAY, never the machine's clock.
 */
import { match } from "../support/matchers";
import { addByHand, expectTruth, membersOf, P, refused, reviewThenApply, Stage, stagePerTest, truthProgram } from "./harness";

jest.setTimeout(300_000);

const open = stagePerTest();

/** As the example workflow previews: unchanged resources are in the JSON too, so every review lists their rules and end dates. */
const SAMES = ["--show-sames"];

describe("access that expires", () => {
  // Edsger has access to Finance (additive) and Delivery-EMEA (authoritative) until the end of 2026.
  const access = `groups:
  Finance:
    mode: additive
    members:
      - ${P.ada}
      - email: ${P.edsger}
        until: 2026-12-31 # last day with access
        reason: migration project
  Delivery-EMEA:
    mode: authoritative
    members:
      - ${P.alan}
      - email: ${P.edsger}
        until: 2026-12-31
`;

  // The calendar's edges (15 days away: no warning; the last day: still has access) are test/unit/calendar's.
  // Here the engine's two steps: the first up within 14 days of the end warns and keeps, the day after removes.
  it("is warned about within 14 days of its end while it stays, and is removed from the day after, in both modes", async () => {
    const s = await open("expiry");
    s.today("2026-12-18"); // access ends on January 1st: 14 days away
    const warned = await reviewThenApply(s, { access }, SAMES); // its last preview plans nothing: warned, not removed
    expectTruth(warned);
    expect(warned.named.gains).toEqual([`Delivery-EMEA: ${P.alan}`, `Delivery-EMEA: ${P.edsger}`, `Finance: ${P.ada}`, `Finance: ${P.edsger}`]);
    expect(warned.review.expiring).toEqual([
      { group: "Delivery-EMEA", person: P.edsger, until: "2026-12-31" },
      { group: "Finance", person: P.edsger, until: "2026-12-31" },
    ]);
    expect(warned.review.expired).toEqual([]);
    expect(warned.preview.stdout).toContain(`access ends within 14 days for ${P.edsger} (last day 2026-12-31)`);

    s.today("2027-01-01"); // the day after: removed everywhere, with the reason
    const after = await reviewThenApply(s, { access }, SAMES);
    expectTruth(after);
    expect(after.named.losses).toEqual([`Delivery-EMEA: ${P.edsger}`, `Finance: ${P.edsger}`]);
    expect(after.review.groups.find((g) => g.group === "Finance")!.warnings).toEqual([
      `Access of "${P.edsger}" expired on 2026-12-31: they lose access.`,
    ]);
    expect(after.review.expiring).toEqual([]);
    expect(after.review.expired).toEqual([
      { group: "Delivery-EMEA", person: P.edsger, until: "2026-12-31" },
      { group: "Finance", person: P.edsger, until: "2026-12-31" },
    ]);
    expect(membersOf(s.sandbox, "Finance")).toEqual([P.ada]);
  });
});

describe("people who left", () => {
  it("never fail the preview; nothing is added for them; authoritative groups remove them, additive groups leave them", async () => {
    const s = await open("left");
    addByHand(s.sandbox, "Finance", [P.donald]);
    addByHand(s.sandbox, "Delivery-EMEA", [P.donald]);
    s.sandbox.store.disableUser(s.sandbox.store.findUserByEmail(P.donald)!.id); // HR offboarded Donald
    s.sandbox.store.disableUser(s.sandbox.store.findUserByEmail(P.ken)!.id); // and Ken, who was never a member
    const access = `groups:
  Finance:
    members: [${P.ada}, ${P.donald}, ${P.ken}]
  Delivery-EMEA:
    mode: authoritative
    members: [${P.alan}, ${P.donald}]
`;
    const outcome = await reviewThenApply(s, { access }, SAMES);
    expectTruth(outcome);
    expect(outcome.named.gains).toEqual([`Delivery-EMEA: ${P.alan}`, `Finance: ${P.ada}`]);
    expect(outcome.named.losses).toEqual([`Delivery-EMEA: ${P.donald}`]);
    expect(outcome.review.inactive).toEqual([
      { group: "Delivery-EMEA", person: P.donald },
      { group: "Finance", person: P.donald },
      { group: "Finance", person: P.ken },
    ]);
    expect(membersOf(s.sandbox, "Finance")).toEqual([P.ada, P.donald]);
    // The preview says it under each resource, and the Markdown review in its own section.
    expect(outcome.preview.stdout).toContain("no longer active in Kantata OX (login disabled) — remove from access.yaml (or the program)");
    const markdown = await s.review(outcome.preview, "markdown");
    expect(markdown).toContain(`### No longer active — remove from access.yaml`);
    expect(markdown).toContain(`- \`${P.ken}\` in \`Finance\``);
  });
});

describe("people who leave after they were given access", () => {
  it("a --refresh review lists them and names their removal from the authoritative group; up removes exactly that; the additive group keeps them", async () => {
    const s = await open("left-later");
    const access = `groups:
  Finance:
    members: [${P.ada}, ${P.donald}]
  Delivery-EMEA:
    mode: authoritative
    members: [${P.alan}, ${P.donald}]
`;
    await s.apply({ access });
    s.sandbox.store.disableUser(s.sandbox.store.findUserByEmail(P.donald)!.id); // HR offboards Donald; the file still names him
    const outcome = await reviewThenApply(s, { access }, ["--refresh", ...SAMES]);
    expectTruth(outcome);
    expect(outcome.named.losses).toEqual([`Delivery-EMEA: ${P.donald}`]);
    expect(outcome.named.gains).toEqual([]);
    expect(outcome.review.inactive).toEqual([
      { group: "Delivery-EMEA", person: P.donald },
      { group: "Finance", person: P.donald },
    ]);
    expect(membersOf(s.sandbox, "Delivery-EMEA")).toEqual([P.alan]);
    expect(membersOf(s.sandbox, "Finance")).toEqual([P.ada, P.donald]);
    expect(outcome.preview.stdout).toContain(`1 member is no longer active in Kantata OX (login disabled since the last up): ${P.donald}`);
    // The Markdown and text reviews of the same preview say what the JSON says.
    for (const format of ["markdown", "text"]) {
      const said = await s.review(outcome.preview, format);
      expect(said).toContain("0 people gain access, 1 person loses access, in 1 group.");
      expect(said).toContain("No longer active — remove from access.yaml");
      expect(said.split(P.donald)).toHaveLength(4); // lost in Delivery-EMEA; no longer active in both groups
    }
  });
});

describe("access rules", () => {
  const groups = (approvers: string[], requesters: string[]) => `rules:
  - separate: [Finance-Approvers, Finance-Requesters]
    reason: SOX segregation of duties
  - allowedDomains: [example.com]
  - maxMembers: { group: Finance-Approvers, max: 3 }
groups:
  Finance-Approvers:
    mode: authoritative
    members: [${approvers.join(", ")}]
  Finance-Requesters:
    members: [${requesters.join(", ")}]
`;
  // One stack in order, as a team's would go: each refused change writes nothing (refused() checks), so the next
  // test starts where the last up left it. The two groups exist in the account; the file takes them on.
  let s: Stage;
  beforeAll(async () => {
    s = await Stage.open(await truthProgram(), "rules");
    for (const group of ["Finance-Approvers", "Finance-Requesters"]) s.sandbox.store.addWorkspaceGroup({ name: group });
  });
  afterAll(() => s?.stop());

  it("a change that keeps every rule passes, and the review lists the rules checked", async () => {
    const outcome = await reviewThenApply(s, { access: groups([P.ada, P.alan], [P.grace]) }, SAMES);
    expectTruth(outcome);
    expect(outcome.review.rules).toEqual([
      {
        status: "holds",
        description: 'separate "Finance-Approvers", "Finance-Requesters"',
        rule: match.any(Object),
        groups: ["Finance-Approvers", "Finance-Requesters"],
        people: 3,
      },
      {
        status: "holds",
        description: "allowedDomains example.com",
        rule: match.any(Object),
        groups: ["Finance-Approvers", "Finance-Requesters"],
        people: 3,
      },
      {
        status: "holds",
        description: 'maxMembers "Finance-Approvers" at most 3',
        rule: match.any(Object),
        groups: ["Finance-Approvers"],
        people: 2,
      },
    ]);
    const markdown = await s.review(outcome.preview, "markdown");
    expect(markdown).toContain(
      "### Rules\n\nAll 3 rules hold after this change:\n\n- nobody is in both `Finance-Approvers` and `Finance-Requesters` — `SOX segregation of duties`\n",
    );
  });

  it("one preview names every broken rule, with its reason, the groups, the people and its line, and every unknown address; up refuses it too and writes nothing", async () => {
    // Grace in both groups (rule 1), four approvers (rule 3); Eve is a user at another domain (rule 2), and two
    // addresses nobody has, one of them at another domain as well.
    s.sandbox.store.addUser({ fullName: "Eve Outsider", emailAddress: "eve@gmail.example" });
    const all = await refused(s, {
      access: groups([P.ada, P.alan, P.barbara, P.grace], [P.grace, "eve@gmail.example", "nobody@example.com", "x@other.test"]),
    });
    const said = [
      `access.yaml:2: rule 1 (separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: ${P.grace}.`,
      'access.yaml:5: rule 3 (maxMembers "Finance-Approvers" at most 3) is broken: "Finance-Approvers" would have 4 members after this change, more than 3 (4 declared in code).',
      'access.yaml:11: rule 2 (allowedDomains example.com) is broken: eve@gmail.example in "Finance-Requesters" is not at example.com',
      'access.yaml:11: group "Finance-Requesters": No user of this Kantata OX account has the address nobody@example.com',
      'access.yaml:11: group "Finance-Requesters": No user of this Kantata OX account has the address x@other.test.',
      'access.yaml:11: rule 2 (allowedDomains example.com) is broken: x@other.test in "Finance-Requesters" is not at example.com (the rule: ',
    ];
    for (const line of said) expect(all).toContain(line);
  });

  it("a rule naming a group the account does not have fails with the closest name", async () => {
    const output = await refused(s, {
      access: groups([P.ada, P.alan], [P.grace]).replace("max: 3", "max: 3 }\n  - maxMembers: { group: Finance-Aprovers, max: 2"),
    });
    expect(output).toContain('This Kantata OX account has no workspace group named "Finance-Aprovers"; did you mean "Finance-Approvers"?');
  });

  it("a separation of duties broken by a member added outside code to an additive group fails the next preview", async () => {
    addByHand(s.sandbox, "Finance-Requesters", [P.alan]); // in the Kantata UI; the file did not change since the last up
    const output = await refused(s, { access: groups([P.ada, P.alan], [P.grace]) });
    expect(output).toContain(`${P.alan} (a member of "Finance-Requesters" outside code)`);
  });
});
