import { type AccessRule, type Holder, type Holding, type RuleFacts, judgeRule } from "../../provider/plan/rules";
import { type RuleProblem, parseRule } from "../../provider/runtime/ruleInputs";

/**
 * Access rules on their own: reading them from plain data (as access.yaml and programs give them),
 * and judging them against what each group will hold after `up` — the facts the provider gathers.
 */
const person = (userId: number, email: string | undefined, declared = true): Holder => ({
  userId,
  key: email ?? String(userId),
  email,
  declared,
});
const holding = (group: string, ...holders: Holder[]): Holding => ({ group, holders });
const facts = (...holdings: Holding[]): RuleFacts => ({
  named: (name) => holdings.find((h) => h.group.toLowerCase() === name.toLowerCase()),
  managed: holdings,
});
const judge = (rule: AccessRule, f: RuleFacts) => judgeRule(rule, "rule 1", f);

const ada = person(1, "ada@northwind.example");
const alan = person(2, "alan@northwind.example");
const ken = person(3, "ken@northwind.example");

describe("reading a rule", () => {
  it.each<[unknown, AccessRule]>([
    [
      { separate: ["Finance-Approvers", " Finance-Requesters "], reason: "SOX segregation of duties" },
      { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" },
    ],
    [{ allowedDomains: ["Northwind.Example", "@partner.example"] }, { allowedDomains: ["northwind.example", "partner.example"] }],
    [
      { allowedDomains: ["northwind.example"], groups: ["Finance"] },
      { allowedDomains: ["northwind.example"], groups: ["Finance"] },
    ],
    [{ maxMembers: { group: "Executive Team", max: 15 } }, { maxMembers: { group: "Executive Team", max: 15 } }],
  ])("%j", (value, rule) => {
    expect(parseRule(value)).toEqual({ rule, problems: [] });
  });

  it.each<[unknown, RuleProblem[]]>([
    ["separate", [{ path: [], message: "a rule must be one of separate, allowedDomains, maxMembers, with an optional reason" }]],
    [
      { seperate: ["A", "B"] },
      [
        {
          path: ["seperate"],
          message:
            'a rule needs one of separate, allowedDomains, maxMembers; unknown key "seperate"; did you mean "separate"? (allowed: separate, allowedDomains, maxMembers)',
          key: true,
        },
      ],
    ],
    [
      { separate: ["A", "B"], maxMembers: { group: "A", max: 1 } },
      [{ path: [], message: "a rule has one kind; this one has separate and maxMembers: write them as 2 rules" }],
    ],
    [{ separate: ["A"] }, [{ path: ["separate"], message: "separate must be a list of at least 2 workspace group names" }]],
    [{ separate: ["A", "a"] }, [{ path: ["separate", 1], message: 'separate names "a" twice' }]],
    [{ separate: ["A", ""] }, [{ path: ["separate", 1], message: "separate[1] must be a workspace group's name" }]],
    [{ allowedDomains: [] }, [{ path: ["allowedDomains"], message: "allowedDomains must be a list of domains, such as [northwind.example]" }]],
    [
      { allowedDomains: ["northwind"] },
      [{ path: ["allowedDomains", 0], message: 'allowedDomains[0] must be a domain, such as northwind.example; got "northwind"' }],
    ],
    [
      { maxMembers: { group: "Executive Team", max: "fifteen" } },
      [{ path: ["maxMembers", "max"], message: 'maxMembers.max must be a whole number of 0 or more; got "fifteen"' }],
    ],
    [
      { maxMembers: { grup: "Executive Team", max: 3 } },
      [
        { path: ["maxMembers", "grup"], message: 'maxMembers: unknown key "grup"; did you mean "group"? (allowed: group, max)', key: true },
        { path: ["maxMembers", "group"], message: "maxMembers.group must be a workspace group's name" },
      ],
    ],
    [{ separate: ["A", "B"], groups: ["C"] }, [{ path: ["groups"], message: 'unknown key "groups" (allowed: separate, reason)', key: true }]],
    [{ separate: ["A", "B"], reason: 7 }, [{ path: ["reason"], message: "reason must be a text saying why the rule exists" }]],
  ])("%j is refused, saying where and why", (value, problems) => {
    expect(parseRule(value)).toEqual({ problems });
  });
});

describe("separate", () => {
  const rule: AccessRule = { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" };

  it("holds when nobody is in both groups", () => {
    expect(judge(rule, facts(holding("Finance-Approvers", ada), holding("Finance-Requesters", alan)))).toEqual({
      outcome: { groups: ["Finance-Approvers", "Finance-Requesters"], people: 2 },
    });
  });

  it("is broken by someone declared in both, naming the rule, its reason, the groups and the person", () => {
    const { violation } = judge(rule, facts(holding("Finance-Approvers", ada, alan), holding("Finance-Requesters", alan)));
    expect(violation).toBe(
      'rule 1 (separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: alan@northwind.example.',
    );
  });

  it("says when a membership that breaks it was made outside code", () => {
    const { violation } = judge(
      rule,
      facts(holding("Finance-Approvers", ken), holding("Finance-Requesters", person(3, "ken@northwind.example", false))),
    );
    expect(violation).toContain('ken@northwind.example (a member of "Finance-Requesters" outside code)');
  });

  it("with three groups, says which ones each person is in", () => {
    const three: AccessRule = { separate: ["A", "B", "C"] };
    const { violation } = judge(three, facts(holding("A", ada), holding("B", alan), holding("C", ada)));
    expect(violation).toContain('1 person would be in more than one of these groups after this change: ada@northwind.example (in "A" and "C").');
  });
});

describe("allowedDomains", () => {
  const rule: AccessRule = { allowedDomains: ["northwind.example"] };

  it("holds when every member of every managed group has an address there", () => {
    expect(judge(rule, facts(holding("Finance", ada), holding("HR", alan))).violation).toBeUndefined();
  });

  it("is broken by an address elsewhere (a subdomain is elsewhere too), and by someone whose address is unknown", () => {
    const { violation } = judge(
      rule,
      facts(
        holding("Finance", ada, person(4, "eve@gmail.example")),
        holding("HR", person(5, "bob@eu.northwind.example", false), person(6, undefined)),
      ),
    );
    expect(violation).toBe(
      'rule 1 (allowedDomains northwind.example) is broken: 3 members would have an address outside northwind.example after this change: bob@eu.northwind.example (in "HR" outside code), eve@gmail.example (in "Finance"), user 6 (address unknown: declare them by email).',
    );
  });

  it("with groups, looks at those groups only", () => {
    const scoped: AccessRule = { allowedDomains: ["northwind.example"], groups: ["Finance"] };
    expect(judge(scoped, facts(holding("Finance", ada), holding("HR", person(4, "eve@gmail.example")))).violation).toBeUndefined();
  });
});

describe("maxMembers", () => {
  const rule: AccessRule = { maxMembers: { group: "Executive Team", max: 2 } };

  it("holds at the limit", () => {
    expect(judge(rule, facts(holding("Executive Team", ada, alan)))).toEqual({ outcome: { groups: ["Executive Team"], people: 2 } });
  });

  it("is broken above it, counting who is declared and who is there outside code", () => {
    const { violation } = judge(rule, facts(holding("Executive Team", ada, alan, person(3, "ken@northwind.example", false))));
    expect(violation).toBe(
      'rule 1 (maxMembers "Executive Team" at most 2) is broken: "Executive Team" would have 3 members after this change, more than 2 (2 declared in code, 1 member outside code).',
    );
  });
});

describe("judged against the account as it is now (the access report)", () => {
  const eve = person(4, "eve@gmail.example", false);

  it("says what the groups hold, not what they would hold after a change, and names the people who break the rule", () => {
    const separate: AccessRule = { separate: ["A", "B"] };
    expect(judgeRule(separate, "rule 1", facts(holding("A", ada, alan), holding("B", alan, ada)), "now")).toEqual({
      outcome: { groups: ["A", "B"], people: 2 },
      violation: 'rule 1 (separate "A", "B") is broken: 2 people are in both "A" and "B": ada@northwind.example, alan@northwind.example.',
      people: ["ada@northwind.example", "alan@northwind.example"],
    });
    const domains: AccessRule = { allowedDomains: ["northwind.example"] };
    expect(judgeRule(domains, "rule 2", facts(holding("A", ada, eve)), "now")).toMatchObject({
      violation:
        'rule 2 (allowedDomains northwind.example) is broken: 1 member has an address outside northwind.example: eve@gmail.example (in "A" outside code).',
      people: ["eve@gmail.example"],
    });
    const max: AccessRule = { maxMembers: { group: "A", max: 1 } };
    expect(judgeRule(max, "rule 3", facts(holding("A", ada, alan)), "now")).toMatchObject({
      violation: 'rule 3 (maxMembers "A" at most 1) is broken: "A" has 2 members, more than 1 (2 declared in code).',
      people: [],
    });
  });
});
