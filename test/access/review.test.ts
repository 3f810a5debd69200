import { readFileSync } from "node:fs";
import path from "node:path";
import { NO_CHANGES, codeSpan, renderReview, reviewJson, visible } from "../../access/render";
import { reviewPreview } from "../../access/review";
import { type PreviewStep, parsePreviewJson } from "../../access/previewJson";

/**
 * The access review on single steps shaped like `pulumi preview --json` (the difference suite in
 * test/truth runs it on the real engine's output): it reports what the provider's planner decides for
 * each step, and renders names from the account as text.
 */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const GROUP_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers::delivery-emea";
const MEMBERSHIP_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:UserGroupMembership::m";
const NO_PLAN = { gains: {}, losses: {}, unchanged: {}, adopted: [] };

const group = (members: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  __kind: "WorkspaceGroupMembers",
  group: "Delivery-EMEA",
  groupId: 5521,
  members,
  mode: "authoritative",
  maxRemovals: 10,
  removePreexistingOnDestroy: false,
  ...extra,
});
const recorded = (members: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  ...group(members),
  preexisting: [],
  undeclared: {},
  ...extra,
});
const membership = (user: string, userId: number, extra: Record<string, unknown> = {}) => ({
  __kind: "UserGroupMembership",
  user,
  userId,
  group: "Finance",
  groupId: 5523,
  adoptExisting: false,
  ...extra,
});
const review = (...steps: PreviewStep[]) => reviewPreview({ steps });
const NO_GROUP_CHANGES = { created: 0, adopted: 0, renamed: 0, updated: 0, deleted: 0, released: 0 };
const WG_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroup::finance";
/** A WorkspaceGroup's checked inputs. */
const declaredGroup = (name: string, extra: Record<string, unknown> = {}) => ({
  __kind: "WorkspaceGroup",
  name,
  adoptExisting: true,
  deleteWithMembers: false,
  deleted: false,
  ...extra,
});
/** A WorkspaceGroup's recorded outputs. */
const workspaceGroup = (name: string, groupId: number, extra: Record<string, unknown> = {}) => ({
  ...declaredGroup(name),
  groupId,
  adopted: false,
  notes: "",
  ...extra,
});
const text = (...steps: PreviewStep[]) => renderReview(review(...steps), "text");

describe("the review of a preview the real engine printed", () => {
  // Captured from a directory project with the CLI (`__provider` texts removed): Finance taken over
  // authoritatively (ken and tony there by hand, grace declared), alan swapped for donald in
  // Delivery-EMEA, and margaret's single membership replaced by leslie's.
  const fixture = readFileSync(path.join(__dirname, "fixtures", "preview-takeover-update-replace.json"), "utf8");

  it("names who gains, who loses and who stays in each group, from the plans check recorded and from state", () => {
    const result = reviewPreview(parsePreviewJson(fixture, "fixture"));
    expect(result.groups.map((g) => [g.group, g.gains, g.losses, g.unchanged])).toEqual([
      ["Delivery-AMER", ["leslie.lamport@example.com"], ["margaret.hamilton@example.com"], []],
      ["Delivery-EMEA", ["donald.knuth@example.com"], ["alan.turing@example.com"], []],
      ["Finance", ["barbara.liskov@example.com"], ["ken.thompson@example.com", "tony.hoare@example.com"], ["grace.hopper@example.com"]],
    ]);
  });
});

describe("a group coming under management", () => {
  it("reports the plan check made against the group as read: gains, people who stay as they are, and everyone who loses access", () => {
    const plan = {
      gains: { "new@x.com": 7 },
      losses: { "out@x.com": 8, "gone@x.com": 9 },
      unchanged: { "stay@x.com": 6 },
      adopted: ["stay@x.com"],
    };
    const result = review({ op: "create", urn: GROUP_URN, newState: { inputs: group({ "new@x.com": 7, "stay@x.com": 6 }, { __plan: plan }) } });
    expect(reviewJson(result).groups).toEqual([
      {
        group: "Delivery-EMEA",
        groupId: 5521,
        counts: { gains: 1, losses: 2, unchanged: 1 },
        gains: ["new@x.com"],
        losses: ["gone@x.com", "out@x.com"],
        unchanged: ["stay@x.com"],
        warnings: ["Authoritative: 2 people not declared in code lose access (members added outside Pulumi)."],
      },
    ]);
    expect(text({ op: "create", urn: GROUP_URN, newState: { inputs: group({}, { __plan: plan }) } })).toBe(
      "Kantata OX access changes: 1 person gains access, 2 people lose access, 1 member is taken under management as they are, in 1 group.\n\n" +
        "Delivery-EMEA\n  ! Authoritative: 2 people not declared in code lose access (members added outside Pulumi).\n" +
        "  + new@x.com\n  - gone@x.com\n  - out@x.com\n  = stay@x.com\n",
    );
  });

  it("says when members are computed from another resource and not known until up", () => {
    const result = review({ op: "create", urn: GROUP_URN, newState: { inputs: group(UNKNOWN as never) } });
    expect(text({ op: "create", urn: GROUP_URN, newState: { inputs: group(UNKNOWN as never) } })).toContain(
      '! "delivery-emea": members are (not known until `pulumi up`: computed from another resource).',
    );
    expect(result.groups[0].gains).toEqual([]);
  });
});

describe("changing a managed group", () => {
  it("without a plan from check (nothing was read), asks the planner about what state knows", () => {
    const result = review({
      op: "update",
      urn: GROUP_URN,
      oldState: {
        inputs: group({ "a@x.com": 1, "b@x.com": 2 }),
        outputs: recorded({ "a@x.com": 1, "b@x.com": 2 }, { undeclared: { "intruder@x.com": 99 } }),
      },
      newState: { inputs: group({ "a@x.com": 1, "c@x.com": 3 }) },
    });
    expect(result.groups[0]).toMatchObject({ gains: ["c@x.com"], losses: ["b@x.com", "intruder@x.com"], unchanged: [] });
    expect(renderReview(result, "text")).toContain("Authoritative: 1 person not declared in code loses access");
  });

  it("with a plan from check, reports that plan: it was made against a fresh read", () => {
    const plan = { ...NO_PLAN, unchanged: { "c@x.com": 3 }, adopted: ["c@x.com"] };
    const result = review({
      op: "update",
      urn: GROUP_URN,
      oldState: { inputs: group({ "a@x.com": 1 }), outputs: recorded({ "a@x.com": 1 }) },
      newState: { inputs: group({ "a@x.com": 1, "c@x.com": 3 }, { __plan: plan }) },
    });
    expect(result.groups[0]).toMatchObject({ gains: [], losses: [], unchanged: ["c@x.com"] });
  });

  it("flags removals near maxRemovals", () => {
    const eight = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}@x.com`, i + 1]));
    const result = review({
      op: "update",
      urn: GROUP_URN,
      oldState: { inputs: group(eight), outputs: recorded(eight) },
      newState: { inputs: group({}) },
    });
    expect(renderReview(result, "text")).toContain("! Removes 8 members, near maxRemovals (10).");
  });

  it("reports nothing for a step that changes nobody's access, or for other resources", () => {
    expect(
      review(
        {
          op: "same",
          urn: GROUP_URN,
          oldState: { inputs: group({ "a@x.com": 1 }), outputs: recorded({ "a@x.com": 1 }) },
          newState: { inputs: group({ "a@x.com": 1 }) },
        },
        { op: "create", urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", newState: { inputs: { bucket: "x" } } },
      ),
    ).toEqual({ groups: [] });
    expect(renderReview({ groups: [] }, "markdown")).toBe(`${NO_CHANGES}\n`);
  });
});

describe("a group leaving the program", () => {
  const outputs = (remove: boolean) =>
    recorded({ "a@x.com": 1, "b@x.com": 2 }, { removePreexistingOnDestroy: remove, preexisting: ["a@x.com"] });

  it("costs access only to the members it added, unless told to remove pre-existing ones too", () => {
    expect(review({ op: "delete", urn: GROUP_URN, oldState: { outputs: outputs(false) } }).groups[0].losses).toEqual(["b@x.com"]);
    expect(review({ op: "delete", urn: GROUP_URN, oldState: { outputs: outputs(true) } }).groups[0].losses).toEqual(["a@x.com", "b@x.com"]);
  });

  it("hands a member over to another resource that now declares them", () => {
    const result = review(
      { op: "delete", urn: GROUP_URN, oldState: { outputs: outputs(true) } },
      {
        op: "create",
        urn: MEMBERSHIP_URN,
        newState: {
          inputs: { ...membership("b@x.com", 2), group: "Delivery-EMEA", groupId: 5521, __plan: { ...NO_PLAN, unchanged: { "b@x.com": 2 } } },
        },
      },
    );
    expect(result.groups[0]).toMatchObject({ losses: ["a@x.com"], unchanged: ["b@x.com"] });
  });
});

describe("single memberships", () => {
  it("a new one gains access, or is taken on unchanged when the person is a member already", () => {
    const result = review(
      { op: "create", urn: MEMBERSHIP_URN, newState: { inputs: membership("a@x.com", 1, { __plan: { ...NO_PLAN, gains: { "a@x.com": 1 } } }) } },
      {
        op: "create",
        urn: `${MEMBERSHIP_URN}2`,
        newState: { inputs: membership("b@x.com", 2, { __plan: { ...NO_PLAN, unchanged: { "b@x.com": 2 }, adopted: ["b@x.com"] } }) },
      },
    );
    expect(result.groups[0]).toMatchObject({ group: "Finance", gains: ["a@x.com"], unchanged: ["b@x.com"], losses: [] });
  });

  it("a removed one loses access; a replaced one is a loss and a gain, flagged", () => {
    const old = { id: "90004", outputs: { ...membership("a@x.com", 1), membershipId: 90004, adopted: false } };
    expect(review({ op: "delete", urn: MEMBERSHIP_URN, oldState: old }).groups[0].losses).toEqual(["a@x.com"]);
    const replaced = review({
      op: "replace",
      urn: MEMBERSHIP_URN,
      oldState: old,
      newState: { inputs: membership("b@x.com", 2, { __plan: { ...NO_PLAN, gains: { "b@x.com": 2 } } }) },
    });
    expect(replaced.groups[0]).toMatchObject({ gains: ["b@x.com"], losses: ["a@x.com"] });
    expect(renderReview(replaced, "text")).toContain(
      '! "m" is replaced (deleted and created again): "a@x.com" in "Finance" → "b@x.com" in "Finance".',
    );
  });

  it("someone declared by id is named as a user id", () => {
    const result = review({
      op: "create",
      urn: MEMBERSHIP_URN,
      newState: { inputs: membership("1003", 1003, { __plan: { ...NO_PLAN, gains: { "1003": 1003 } } }) },
    });
    expect(result.groups[0].gains).toEqual(["user 1003"]);
  });
});

describe("names from the account or the file are text", () => {
  const hostile = "[click me](https://evil.example) <img src=x onerror=alert(1)> @everyone";
  const steps: PreviewStep[] = [
    {
      op: "create",
      urn: GROUP_URN,
      newState: { inputs: group({}, { group: hostile, __plan: { ...NO_PLAN, gains: { "`rm -rf`@x.com": 1 } } }) },
    },
  ];

  it("Markdown shows every name as a code span: no link, no image, no mention", () => {
    const markdown = renderReview(review(...steps), "markdown");
    expect(markdown).toContain(`### \`${hostile}\``);
    expect(markdown).toContain("- `` `rm -rf`@x.com ``"); // fenced longer than the backticks inside
    expect(markdown.replace(`\`${hostile}\``, "")).not.toMatch(/<img|\]\(https|@everyone/);
  });

  it("control and direction characters are spelt out, in Markdown and in text", () => {
    expect(visible("a\u001b[31mb\u202ec\n")).toBe("a\\u001b[31mb\\u202ec\\u000a");
    expect(codeSpan("x\ny")).toBe("`x\\u000ay`");
    const result = review({
      op: "create",
      urn: GROUP_URN,
      newState: { inputs: group({}, { group: "Fin\u001b[2Jance", __plan: { ...NO_PLAN, gains: { "a@x.com": 1 } } }) },
    });
    expect(renderReview(result, "text")).toContain("\nFin\\u001b[2Jance\n");
  });
});

describe("--format json", () => {
  it("has a versioned schema: summary, and per group the people and their counts, and warnings as text", () => {
    const plan = { gains: { "new@x.com": 7 }, losses: { "out@x.com": 8 }, unchanged: {}, adopted: [] };
    const json = reviewJson(review({ op: "create", urn: GROUP_URN, newState: { inputs: group({}, { __plan: plan }) } }));
    expect(json).toEqual({
      schemaVersion: 1,
      summary: { gains: 1, losses: 1, unchanged: 0, groups: 1, groupChanges: NO_GROUP_CHANGES },
      groups: [
        {
          group: "Delivery-EMEA",
          groupId: 5521,
          counts: { gains: 1, losses: 1, unchanged: 0 },
          gains: ["new@x.com"],
          losses: ["out@x.com"],
          unchanged: [],
          warnings: ["Authoritative: 1 person not declared in code loses access (members added outside Pulumi)."],
        },
      ],
      rules: [],
      expiring: [],
      expired: [],
      inactive: [],
    });
    expect(JSON.parse(renderReview({ groups: [] }, "json"))).toEqual({
      schemaVersion: 1,
      summary: { gains: 0, losses: 0, unchanged: 0, groups: 0, groupChanges: NO_GROUP_CHANGES },
      groups: [],
      rules: [],
      expiring: [],
      expired: [],
      inactive: [],
    });
  });

  it("says what happens to a group itself in groupChange, and counts each kind of change in summary.groupChanges", () => {
    const json = reviewJson(
      review({
        op: "update",
        urn: WG_URN,
        oldState: { outputs: workspaceGroup("Finance", 5523) },
        newState: { inputs: declaredGroup("Finance & Ops", { notes: "n" }) },
      }),
    );
    expect(json.summary.groupChanges).toEqual({ ...NO_GROUP_CHANGES, renamed: 1 });
    expect(json.groups).toEqual([
      {
        group: "Finance & Ops",
        groupId: 5523,
        groupChange: { event: "renamed", renamedFrom: "Finance", fields: ["notes"] },
        counts: { gains: 0, losses: 0, unchanged: 0 },
        gains: [],
        losses: [],
        unchanged: [],
        warnings: [],
      },
    ]);
  });
});

describe("groups as code", () => {
  const MEMBERS_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers::finance";
  const gains = (...emails: string[]) => ({ ...NO_PLAN, gains: Object.fromEntries(emails.map((email, i) => [email, i + 1])) });

  it("a group created in the change is named with everyone who gains access to it, though its id is not known yet", () => {
    const result = review(
      { op: "create", urn: WG_URN, newState: { inputs: declaredGroup("Finance Ops", { __plan: { action: "create" } }) } },
      {
        op: "create",
        urn: MEMBERS_URN,
        newState: { inputs: group({}, { group: "Finance Ops", groupId: UNKNOWN, mode: "additive", __plan: gains("a@x.com", "b@x.com") }) },
      },
    );
    expect(renderReview(result, "text")).toBe(
      "Kantata OX access changes: 1 group is created. 2 people gain access, 0 people lose access, in 1 group.\n\n" +
        "Finance Ops\n  * New group: created by this change.\n  + a@x.com\n  + b@x.com\n",
    );
  });

  it("an existing group taken on says so, and which of its fields up sets; its members join its entry by id", () => {
    const existing = { id: 5523, name: "Finance", company: false, notes: "old" };
    const result = review(
      {
        op: "create",
        urn: WG_URN,
        newState: { inputs: declaredGroup("Finance", { notes: "new", __plan: { action: "adopt", group: existing } }) },
      },
      {
        op: "create",
        urn: MEMBERS_URN,
        newState: { inputs: group({}, { group: "Finance", groupId: 5523, __plan: { ...NO_PLAN, unchanged: { "a@x.com": 1 } } }) },
      },
    );
    expect(result.groups).toEqual([
      {
        group: "Finance",
        groupId: 5523,
        change: { event: "adopted", fields: ["notes"] },
        gains: [],
        losses: [],
        unchanged: ["a@x.com"],
        warnings: [],
      },
    ]);
    expect(renderReview(result, "markdown")).toContain(
      "### `Finance`\n\n**Existing group: taken under management as it is. Up sets its notes.**\n",
    );
  });

  it("a rename is reported under the new name, with the old one as text", () => {
    const result = review({
      op: "update",
      urn: WG_URN,
      oldState: { outputs: workspaceGroup("Finance", 5523) },
      newState: { inputs: declaredGroup("Finance & Ops") },
    });
    expect(renderReview(result, "markdown")).toBe(
      "## Kantata OX access changes\n\n**1 group is renamed. 0 people gain access, 0 people lose access, in 1 group.**\n\n" +
        "### `Finance & Ops`\n\n**Renamed from `Finance`.**\n",
    );
  });

  it("a tombstone names everyone in the group as losing access; the members' resource, released, adds nobody", () => {
    const result = review(
      {
        op: "update",
        urn: WG_URN,
        oldState: { outputs: workspaceGroup("Finance", 5523) },
        newState: {
          inputs: declaredGroup("Finance", {
            deleted: true,
            deleteWithMembers: true,
            __plan: { action: "delete", groupId: 5523, losses: { "a@x.com": 1, "hand@x.com": 9 } },
          }),
        },
      },
      {
        op: "delete",
        urn: MEMBERS_URN,
        oldState: { outputs: recorded({ "a@x.com": 1 }, { group: "Finance", groupId: 5523 }), retainOnDelete: true },
      },
    );
    expect(result.groups).toEqual([
      {
        group: "Finance",
        groupId: 5523,
        change: { event: "deleted", fields: [] },
        gains: [],
        losses: ["a@x.com", "hand@x.com"],
        unchanged: [],
        warnings: [],
      },
    ]);
  });

  it("a group that leaves an access file is released: nobody's access changes", () => {
    const result = review(
      { op: "delete", urn: WG_URN, oldState: { outputs: workspaceGroup("Finance", 5523), retainOnDelete: true } },
      {
        op: "delete",
        urn: MEMBERS_URN,
        oldState: { outputs: recorded({ "a@x.com": 1 }, { group: "Finance", groupId: 5523 }), retainOnDelete: true },
      },
    );
    expect(renderReview(result, "text")).toBe(
      "Kantata OX access changes: 1 group is released from code. 0 people gain access, 0 people lose access, in 1 group.\n\n" +
        "Finance\n  * Released from code: the group and its members stay as they are.\n",
    );
  });

  describe("a WorkspaceGroup removed from a program (deleted after its members' resources)", () => {
    const members = recorded({ "added@x.com": 1, "before@x.com": 2 }, { preexisting: ["before@x.com"], undeclared: { "hand@x.com": 3 } });
    const steps = (deleteWithMembers: boolean): PreviewStep[] => [
      { op: "delete", urn: WG_URN, oldState: { outputs: workspaceGroup("Delivery-EMEA", 5521, { deleteWithMembers }) } },
      { op: "delete", urn: MEMBERS_URN, oldState: { outputs: members } },
    ];

    it("with deleteWithMembers, those its members' resource leaves behind lose access too, as state last knew them", () => {
      const [result] = review(...steps(true)).groups;
      expect(result).toMatchObject({ change: { event: "deleted" }, losses: ["added@x.com", "before@x.com", "hand@x.com"] });
      expect(renderReview({ groups: [result] }, "text")).toContain("preview with --refresh");
    });

    it("without it, the review says the deletion will fail, and who stays", () => {
      const [result] = review(...steps(false)).groups;
      expect(result.losses).toEqual(["added@x.com"]);
      expect(renderReview({ groups: [result] }, "text")).toContain(
        "! The deletion will fail: 2 members that no resource of this stack declares stay in it (deleteWithMembers is not set).",
      );
    });
  });
});

// Found by test/access/reviewProperties.test.ts: each threw a TypeError instead of a review or a clear error.
describe("previews the review cannot fully read", () => {
  it("a step that is not one (null, or without op and urn) is refused, saying which", () => {
    expect(() => parsePreviewJson('{"steps":[{"op":"same","urn":"u"},null]}', "preview.json")).toThrow(
      'preview.json does not look like `pulumi preview --json` output (steps[1] has no "op" and "urn" texts).',
    );
    expect(() => parsePreviewJson('{"steps":[{"op":"create"}]}', "preview.json")).toThrow(/steps\[0\] has no "op" and "urn" texts/);
  });

  it("a step whose state, inputs or outputs are not objects is refused, saying which", () => {
    const step = (state: unknown) => JSON.stringify({ steps: [{ op: "update", urn: "u", ...(state as object) }] });
    expect(() => parsePreviewJson(step({ oldState: { outputs: null } }), "preview.json")).toThrow(
      "preview.json does not look like `pulumi preview --json` output (steps[0].oldState.outputs is not an object).",
    );
    expect(() => parsePreviewJson(step({ newState: { inputs: [1] } }), "p")).toThrow(/\(steps\[0\]\.newState\.inputs is not an object\)/);
    expect(() => parsePreviewJson(step({ newState: "x" }), "p")).toThrow(/\(steps\[0\]\.newState is not an object\)/);
    expect(parsePreviewJson(step({ oldState: { outputs: {} }, newState: { inputs: {} } }), "p").steps).toHaveLength(1);
  });

  it("members' inputs without members: the step is reviewed as declaring nobody", () => {
    const { members: _none, ...inputs } = group({}, { __plan: { ...NO_PLAN, gains: { "new@x.com": 7 } } });
    expect(text({ op: "create-replacement", urn: GROUP_URN, newState: { inputs } })).toBe(
      "Kantata OX access changes: 1 person gains access, 0 people lose access, in 1 group.\n\nDelivery-EMEA\n  + new@x.com\n",
    );
  });
});
