import { renderReview, reviewJson } from "../../access/render";
import { reviewPreview } from "../../access/review";
import type { PreviewStep } from "../../access/previewJson";

/**
 * The review's rules, end dates and people who left, from single steps shaped like `pulumi preview
 * --json` (test/truth runs the real engine's output): shown in every review, unchanged resources included.
 */
const GROUP_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers::finance";
const RULES_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:AccessRules::access-rules";

const finance = (members: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  __kind: "WorkspaceGroupMembers",
  group: "Finance",
  groupId: 5523,
  members,
  mode: "additive",
  maxRemovals: 10,
  removePreexistingOnDestroy: false,
  ...extra,
});
const recorded = (members: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  ...finance(members, extra),
  preexisting: [],
  undeclared: {},
});

const SOX = { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" };
const DOMAINS = { allowedDomains: ["example.com"] };
const EXEC = { maxMembers: { group: "Executive Team", max: 15 } };
const rulesStep = (op: string, now: unknown[] | undefined, before?: unknown[]): PreviewStep => ({
  op,
  urn: RULES_URN,
  ...(before && {
    oldState: { inputs: { __kind: "AccessRules", rules: before }, outputs: { __kind: "AccessRules", rules: before, evaluation: [] } },
  }),
  ...(now && {
    newState: {
      inputs: {
        __kind: "AccessRules",
        rules: now,
        __evaluation: now.map((rule) => (rule === EXEC ? { groups: ["Executive Team"], people: 12 } : { groups: ["Finance"], people: 3 })),
      },
    },
  }),
});
const review = (...steps: PreviewStep[]) => reviewPreview({ steps });

describe("the rules", () => {
  it("lists every rule checked, with its reason and what it looked at, even when nothing else changes", () => {
    const result = review(rulesStep("same", [SOX, DOMAINS, EXEC], [SOX, DOMAINS, EXEC]));
    expect(result.groups).toEqual([]);
    expect(renderReview(result, "markdown")).toBe(
      [
        "## Kantata OX access changes",
        "",
        "**No one gains or loses access.**",
        "",
        "### Rules",
        "",
        "All 3 rules hold after this change:",
        "",
        "- nobody is in both `Finance-Approvers` and `Finance-Requesters` — `SOX segregation of duties`",
        "- members' addresses are at `example.com` in every managed group",
        "- `Executive Team` has at most 15 members (12 after this change)",
        "",
      ].join("\n"),
    );
    expect(reviewJson(result).rules).toEqual([
      { status: "holds", rule: SOX, description: 'separate "Finance-Approvers", "Finance-Requesters"', groups: ["Finance"], people: 3 },
      { status: "holds", rule: DOMAINS, description: "allowedDomains example.com", groups: ["Finance"], people: 3 },
      { status: "holds", rule: EXEC, description: 'maxMembers "Executive Team" at most 15', groups: ["Executive Team"], people: 12 },
    ]);
  });

  it("flags rules a change drops, and all of them when the rules leave the program", () => {
    const dropped = renderReview(review(rulesStep("update", [DOMAINS], [SOX, DOMAINS])), "text");
    expect(dropped).toContain(
      'Rules:\n  The one rule holds after this change:\n    members\' addresses are at "example.com" in every managed group\n',
    );
    expect(dropped).toContain(
      '  ! No longer checked after this change (1):\n    nobody is in both "Finance-Approvers" and "Finance-Requesters" — "SOX segregation of duties"\n',
    );
    const gone = reviewJson(review(rulesStep("delete", undefined, [SOX, EXEC])));
    expect(gone.rules.map((r) => r.status)).toEqual(["removed", "removed"]);
    expect(renderReview(review(rulesStep("delete", undefined, [SOX])), "markdown")).toContain("No rule is checked after this change.");
  });

  it("a preview with --refresh lists each rule once: from its change or same step, else from its refresh", () => {
    const refresh: PreviewStep = {
      ...rulesStep("refresh", undefined, [SOX, EXEC]),
      newState: { inputs: { __kind: "AccessRules", rules: [SOX, EXEC] } },
    };
    expect(reviewJson(review(refresh, rulesStep("same", [SOX, EXEC], [SOX, EXEC]))).rules).toHaveLength(2);
    expect(reviewJson(review(refresh)).rules.map((r) => [r.status, r.description])).toEqual([
      ["holds", 'separate "Finance-Approvers", "Finance-Requesters"'],
      ["holds", 'maxMembers "Executive Team" at most 15'],
    ]);
  });

  it("a reason or group named like Markdown stays text", () => {
    const hostile = { separate: ["[a](https://evil.example)", "@everyone"], reason: "<img src=x onerror=alert(1)>" };
    const markdown = renderReview(review(rulesStep("create", [hostile])), "markdown");
    expect(markdown).toContain("- nobody is in both `[a](https://evil.example)` and `@everyone` — `<img src=x onerror=alert(1)>`");
  });
});

describe("end dates", () => {
  const dated = (today: string, extra: Record<string, unknown> = {}) =>
    finance(
      { "ada@example.com": 1, "contractor@agency.example": 2 },
      { expires: { "contractor@agency.example": "2026-12-31" }, __today: today, ...extra },
    );

  it.each([
    ["2026-12-17", false],
    ["2026-12-18", true],
    ["2026-12-31", true],
  ])("on %s, access ending on 2026-12-31 is listed as expiring: %s", (today, listed) => {
    const result = review({ op: "same", urn: GROUP_URN, newState: { inputs: dated(today) } });
    expect(result.expiring ?? []).toEqual(listed ? [{ group: "Finance", person: "contractor@agency.example", until: "2026-12-31" }] : []);
  });

  it("a removal because access expired says so in the group, and the Expiring section lists it", () => {
    const plan = { gains: {}, losses: { "contractor@agency.example": 2 }, unchanged: {}, adopted: [] };
    const result = review({
      op: "update",
      urn: GROUP_URN,
      oldState: { inputs: dated("2026-12-31"), outputs: recorded({ "ada@example.com": 1, "contractor@agency.example": 2 }) },
      newState: {
        inputs: finance(
          { "ada@example.com": 1 },
          { expired: { "contractor@agency.example": "2026-12-31" }, __today: "2027-01-01", __plan: plan },
        ),
      },
    });
    expect(result.groups[0]).toMatchObject({ losses: ["contractor@agency.example"] });
    const text = renderReview(result, "text");
    expect(text).toContain(
      '  ! Access of "contractor@agency.example" expired on 2026-12-31: they lose access.\n  - contractor@agency.example\n',
    );
    expect(text).toContain(
      'Expiring:\n  Access that has ended (out of the group; remove from access.yaml) (1):\n    "contractor@agency.example" in "Finance": access expired on 2026-12-31\n',
    );
    expect(reviewJson(result).expired).toEqual([{ group: "Finance", person: "contractor@agency.example", until: "2026-12-31" }]);
  });

  it("the warning window in Markdown", () => {
    const markdown = renderReview(review({ op: "same", urn: GROUP_URN, newState: { inputs: dated("2026-12-20") } }), "markdown");
    expect(markdown).toContain(
      "### Expiring\n\n> ⚠️ Access ends within 14 days for 1 person:\n\n- `contractor@agency.example` in `Finance`: last day 2026-12-31\n",
    );
  });
});

describe("people who left", () => {
  it("are listed under 'No longer active — remove from access.yaml' in every review", () => {
    const inputs = finance({ "ada@example.com": 1 }, { inactive: { "dana@example.com": 4 } });
    const result = review({ op: "same", urn: GROUP_URN, newState: { inputs } });
    expect(result.inactive).toEqual([{ group: "Finance", person: "dana@example.com" }]);
    expect(renderReview(result, "markdown")).toContain(
      "### No longer active — remove from access.yaml\n\nTheir Kantata OX login is disabled; nothing is added for them (1):\n\n- `dana@example.com` in `Finance`\n",
    );
    expect(reviewJson(result).inactive).toEqual([{ group: "Finance", person: "dana@example.com" }]);
  });

  it("a group being destroyed lists nobody", () => {
    const outputs = recorded({ "ada@example.com": 1 }, { inactive: { "dana@example.com": 4 } });
    expect(review({ op: "delete", urn: GROUP_URN, oldState: { inputs: outputs, outputs } }).inactive).toBeUndefined();
  });
});
