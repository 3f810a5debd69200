import { readFileSync } from "node:fs";
import path from "node:path";
import { parsePreviewJson } from "../../access/previewJson";
import { NO_CHANGES, renderReview } from "../../access/render";
import { reviewPreview } from "../../access/review";
import type { PreviewStep } from "../../access/previewJson";

/**
 * The access review, on `pulumi preview --json` that the real engine printed (a fixture captured from
 * a directory project with the CLI, `__provider` texts removed) and on single steps shaped like it.
 */
const fixture = readFileSync(path.join(__dirname, "fixtures", "preview-replace-and-update.json"), "utf8");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const GROUP_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers::delivery-emea";

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
const review = (...steps: PreviewStep[]) => reviewPreview({ steps });

describe("the review of a preview the real engine printed", () => {
  it("names who gains and loses access per group, flags the replacement, and ignores the stack", () => {
    const result = reviewPreview(parsePreviewJson(fixture, "fixture"));
    expect(result.groups.map((g) => [g.group, g.gains, g.losses])).toEqual([
      ["Delivery-EMEA", ["donald.knuth@example.com"], ["alan.turing@example.com"]],
      ["Finance", ["alan.turing@example.com"], ["grace.hopper@example.com"]],
    ]);
    expect(result.groups[1].warnings).toEqual([
      "`grace-in-finance` is replaced (deleted and created again): grace.hopper@example.com → alan.turing@example.com.",
    ]);
    expect(renderReview(result, "text")).toBe(
      "Kantata OX access changes: 2 people gain access, 2 people lose access, in 2 groups.\n\n" +
        "Delivery-EMEA\n  + donald.knuth@example.com\n  - alan.turing@example.com\n\n" +
        "Finance\n  ! `grace-in-finance` is replaced (deleted and created again): grace.hopper@example.com → alan.turing@example.com.\n" +
        "  + alan.turing@example.com\n  - grace.hopper@example.com\n",
    );
  });
});

describe("single steps", () => {
  it("a destroyed group costs access only to the members it added, unless told to remove pre-existing ones", () => {
    const oldState = (remove: boolean) => ({
      inputs: group({ "a@x.com": 1, "b@x.com": 2 }, { removePreexistingOnDestroy: remove }),
      outputs: { ...group({ "a@x.com": 1, "b@x.com": 2 }, { removePreexistingOnDestroy: remove }), preexisting: ["a@x.com"], undeclared: {} },
    });
    const keeping = review({ op: "delete", urn: GROUP_URN, oldState: oldState(false) });
    expect(keeping.groups[0]).toMatchObject({ losses: ["b@x.com"] });
    expect(keeping.groups[0].warnings[0]).toContain("1 who were members before it keep it");
    expect(review({ op: "delete", urn: GROUP_URN, oldState: oldState(true) }).groups[0]).toMatchObject({ losses: ["a@x.com", "b@x.com"] });
  });

  it("flags an authoritative removal of someone added outside code, and removals near maxRemovals", () => {
    const members = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}@x.com`, i + 1]));
    const result = review({
      op: "update",
      urn: GROUP_URN,
      oldState: { inputs: group(members), outputs: { ...group(members), preexisting: [], undeclared: { "intruder@x.com": 99 } } },
      newState: { inputs: group({ "p0@x.com": 1 }) },
    });
    expect(result.groups[0].losses).toHaveLength(8); // 7 declared before, and the intruder
    expect(result.groups[0].warnings).toEqual([
      "Authoritative removal of 1 person not declared in code (added outside Pulumi): intruder@x.com.",
      "Removes 8 members, near maxRemovals (10).",
    ]);
  });

  it("lists a new group's people as taken under management, and an adoptExisting membership as adopted", () => {
    const result = review(
      { op: "create", urn: GROUP_URN, newState: { inputs: group({ "a@x.com": 1 }) } },
      {
        op: "create",
        urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:UserGroupMembership::m",
        newState: { inputs: { __kind: "UserGroupMembership", user: "c@x.com", group: "Finance", adoptExisting: true } },
      },
    );
    expect(result.groups.map((g) => [g.group, g.takenOn, g.adoptions, g.gains])).toEqual([
      ["Delivery-EMEA", ["a@x.com"], [], []],
      ["Finance", [], ["c@x.com"], []],
    ]);
  });

  it("says when members are not known until up, and reports nothing for unrelated resources or no change", () => {
    const unknown = review({
      op: "update",
      urn: GROUP_URN,
      oldState: { inputs: group({}) },
      newState: { inputs: group({}, { members: UNKNOWN }) },
    });
    expect(unknown.groups[0].warnings[0]).toContain("not known until `pulumi up`");
    const unrelated = review({ op: "create", urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", newState: { inputs: { bucket: "x" } } });
    expect(renderReview(unrelated, "markdown")).toBe(`${NO_CHANGES}\n`);
  });
});
