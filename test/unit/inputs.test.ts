import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../provider/runtime/inputs";
import type { Sandbox } from "../../sandbox";
import { type ProviderProcess, providerFor } from "../support/dynamic";
import { match } from "../support/matchers";
import { startTestSandbox } from "../support/sandbox";

/**
 * The rules of `check` and `diff`, through the router the engine calls. `check` resolves people and
 * groups against Kantata, so these run against a sandbox (seeded: users 1001… ada.lovelace@example.com…,
 * groups 5521 Delivery-EMEA, 5522 Delivery-AMER, 5523 Finance).
 */
let sandbox: Sandbox;
let dynamic: ProviderProcess;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  dynamic = providerFor(sandbox);
});
afterAll(() => sandbox.stop());

const UGM = "UserGroupMembership";
const WGM = "WorkspaceGroupMembers";
const checkUser = (args: Record<string, unknown>) => dynamic.check({}, { __kind: UGM, ...args });
const checkGroup = (args: Record<string, unknown>) => dynamic.check({}, { __kind: WGM, ...args });
/** Checked inputs without the plan that check adds for a resource new to the stack (tested on its own below). */
const declaration = async (checking: ReturnType<typeof dynamic.check>) => {
  const { inputs, failures } = await checking;
  if (inputs === undefined) return { failures };
  const { __plan: _plan, ...rest } = inputs;
  return { inputs: rest };
};

describe("UserGroupMembership check", () => {
  it("resolves the user by id or email and the group by id or name, normalised, with adoptExisting false by default", async () => {
    const expected = { __kind: UGM, user: "1001", userId: 1001, group: "Delivery-EMEA", groupId: 5521, adoptExisting: false };
    await expect(declaration(checkUser({ user: "1001", group: "5521" }))).resolves.toEqual({ inputs: expected });
    await expect(declaration(checkUser({ user: 1001, group: "delivery-emea" }))).resolves.toEqual({ inputs: expected });
    await expect(declaration(checkUser({ user: "Ada.Lovelace@Example.com", group: 5521, adoptExisting: true }))).resolves.toEqual({
      inputs: { ...expected, user: "ada.lovelace@example.com", adoptExisting: true },
    });
  });

  it.each([
    [-1, "-1 (number)"],
    ["abc", '"abc" (string)'],
    [0, "0 (number)"],
    [1.5, "1.5 (number)"],
    [undefined, "nothing"],
  ])("rejects user %p with a message naming the property, the value and the fix", async (value, shown) => {
    const result = await checkUser({ user: value, group: 5521 });
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toHaveLength(1);
    expect(result.failures![0].property).toBe("user");
    expect(result.failures![0].reason).toContain(`got ${shown}`);
    expect(result.failures![0].reason).toContain("must be a user's email address");
    expect(result.failures![0].reason).toContain("or a user id");
  });

  it.each([
    [-1, "-1 (number)"],
    ["", '"" (string)'],
    [undefined, "nothing"],
  ])("rejects group %p with a message naming the property, the value and the fix", async (value, shown) => {
    const result = await checkUser({ user: 1001, group: value });
    expect(result.failures).toEqual([{ property: "group", reason: match.stringContaining(`got ${shown}`) }]);
    expect(result.failures![0].reason).toContain("group must be a workspace group's name");
  });

  it("rejects an adoptExisting that is not a boolean", async () => {
    const result = await checkUser({ user: 1001, group: 5521, adoptExisting: "yes" });
    expect(result.failures).toEqual([{ property: "adoptExisting", reason: 'adoptExisting must be true or false; got "yes" (string).' }]);
  });

  it("reports every bad property at once", async () => {
    const result = await checkUser({ user: "abc", group: -1, adoptExisting: 1 });
    expect(result.failures?.map((f) => f.property).sort()).toEqual(["adoptExisting", "group", "user"]);
  });

  it("lets a value that is unknown during preview through", async () => {
    expect(UNKNOWN).toBe(pulumi.runtime.unknownValue);
    await expect(checkUser({ user: UNKNOWN, group: 5521 })).resolves.toEqual({
      inputs: { __kind: UGM, user: UNKNOWN, userId: UNKNOWN, group: "Delivery-EMEA", groupId: 5521, adoptExisting: false },
    });
    await expect(checkUser({ user: 1001, group: UNKNOWN })).resolves.toEqual({
      inputs: { __kind: UGM, user: "1001", userId: 1001, group: UNKNOWN, groupId: UNKNOWN, adoptExisting: false },
    });
  });
});

describe("UserGroupMembership diff", () => {
  const olds = {
    __kind: UGM,
    user: "ada.lovelace@example.com",
    userId: 1001,
    group: "Delivery-EMEA",
    groupId: 5521,
    adoptExisting: false,
    membershipId: 90009,
    adopted: false,
  };
  const news = { __kind: UGM, user: "ada.lovelace@example.com", userId: 1001, group: "Delivery-EMEA", groupId: 5521, adoptExisting: false };

  it("reports no change for identical checked inputs, whatever __provider holds", async () => {
    await expect(dynamic.diff("90009", { ...olds, __provider: "old text" }, { ...news, __provider: "different text" })).resolves.toEqual({
      changes: false,
      replaces: [],
    });
  });

  it("replaces the membership when the person or the group changes", async () => {
    await expect(dynamic.diff("90009", olds, { ...news, user: "alan.turing@example.com", userId: 1002 })).resolves.toEqual({
      changes: true,
      replaces: ["user"],
    });
    await expect(dynamic.diff("90009", olds, { ...news, group: "Finance", groupId: 5523 })).resolves.toEqual({
      changes: true,
      replaces: ["group"],
    });
  });

  it("updates in place when only adoptExisting changes, or the same person is named another way", async () => {
    await expect(dynamic.diff("90009", olds, { ...news, adoptExisting: true })).resolves.toEqual({ changes: true, replaces: [] });
    await expect(dynamic.diff("90009", olds, { ...news, user: "1001" })).resolves.toEqual({ changes: true, replaces: [] });
  });

  it("treats an unknown user or group as a possible replacement", async () => {
    await expect(dynamic.diff("90009", olds, { ...news, user: UNKNOWN, userId: UNKNOWN })).resolves.toEqual({
      changes: true,
      replaces: ["user"],
    });
    await expect(dynamic.diff("90009", olds, { ...news, group: UNKNOWN, groupId: UNKNOWN })).resolves.toEqual({
      changes: true,
      replaces: ["group"],
    });
  });
});

describe("WorkspaceGroupMembers check", () => {
  it("treats members as a set keyed per person: order and spelling of the group do not matter", async () => {
    const a = await checkGroup({ group: "5521", members: [1003, "Alan.Turing@example.com", "ada.lovelace@example.com"] });
    const b = await checkGroup({ group: "DELIVERY-emea", members: ["alan.turing@EXAMPLE.com", "ada.lovelace@example.com", "1003"] });
    expect(a).toEqual(b);
    expect((await declaration(Promise.resolve(a))).inputs).toEqual({
      __kind: WGM,
      group: "Delivery-EMEA",
      groupId: 5521,
      members: { "1003": 1003, "alan.turing@example.com": 1002, "ada.lovelace@example.com": 1001 },
      mode: "additive",
      maxRemovals: 10,
      removePreexistingOnDestroy: false,
    });
  });

  it("plans a group new to the stack against a read of it: who gains access, who is a member already", async () => {
    const membership = sandbox.store.addMembership({ userId: 1001, workspaceGroupId: 5522 });
    try {
      const { inputs } = await checkGroup({ group: 5522, members: [1003, "ada.lovelace@example.com"] });
      expect(inputs?.__plan).toEqual({
        gains: { "1003": 1003 },
        losses: {},
        unchanged: { "ada.lovelace@example.com": 1001 },
        adopted: ["ada.lovelace@example.com"],
      });
    } finally {
      sandbox.store.removeMembership(membership.id);
    }
  });

  it("names duplicate and invalid entries", async () => {
    const result = await checkGroup({ group: 5521, members: [1001, "x", 1001] });
    expect(result.inputs).toBeUndefined();
    expect(result.failures?.map((f) => f.property)).toEqual(["members[1]", "members[2]"]);
    expect(result.failures?.[0].reason).toContain('got "x" (string)');
    expect(result.failures?.[1].reason).toContain("members[2] (1001) and members[0] (1001) name the same person");
  });

  it("rejects members that are not a list, naming the shape it wants", async () => {
    const result = await checkGroup({ group: 5521, members: "ada.lovelace@example.com" });
    expect(result.failures).toEqual([
      { property: "members", reason: match.stringContaining("members must be a list of email addresses or user ids") },
    ]);
  });

  it("rejects an unknown mode and a negative maxRemovals", async () => {
    const result = await checkGroup({ group: 5521, members: [], mode: "exclusive", maxRemovals: -1 });
    expect(result.failures?.map((f) => f.property)).toEqual(["mode", "maxRemovals"]);
    expect(result.failures?.[0].reason).toBe('mode must be "additive" or "authoritative"; got "exclusive" (string).');
  });

  it("lets unknown members and an unknown group through during preview", async () => {
    await expect(checkGroup({ group: UNKNOWN, members: UNKNOWN, mode: "authoritative" })).resolves.toEqual({
      inputs: {
        __kind: WGM,
        group: UNKNOWN,
        groupId: UNKNOWN,
        members: UNKNOWN,
        mode: "authoritative",
        maxRemovals: 10,
        removePreexistingOnDestroy: false,
      },
    });
    const oneUnknown = await checkGroup({ group: 5521, members: [1001, UNKNOWN] });
    expect(oneUnknown.inputs?.members).toBe(UNKNOWN);
  });
});

describe("WorkspaceGroupMembers diff", () => {
  const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`sandbox.user.${1001 + i}@example.com`, 1001 + i]));
  const firstTwo = Object.fromEntries(Object.entries(twenty).slice(0, 2));
  const news = {
    __kind: WGM,
    group: "Delivery-EMEA",
    groupId: 5521,
    members: twenty,
    mode: "additive",
    maxRemovals: 10,
    removePreexistingOnDestroy: false,
  };
  const olds = { ...news, preexisting: [], undeclared: {} };

  it("reports no change when the same people are declared in another order", async () => {
    const reordered = Object.fromEntries(Object.entries(twenty).reverse());
    await expect(dynamic.diff("5521", olds, { ...news, members: reordered })).resolves.toEqual({ changes: false, replaces: [] });
  });

  it("fails the preview when a change removes more than maxRemovals members", async () => {
    await expect(dynamic.diff("5521", olds, { ...news, members: firstTwo })).rejects.toThrow(
      /18 members from workspace group "Delivery-EMEA", more than maxRemovals \(10\).*raise maxRemovals on the resource to at least 18.*It would remove:\n {2}- sandbox\.user\.1003@example\.com\n(.*\n){16} {2}- sandbox\.user\.1020@example\.com$/,
    );
  });

  it("allows the same change once maxRemovals is raised", async () => {
    await expect(dynamic.diff("5521", olds, { ...news, members: firstTwo, maxRemovals: 18 })).resolves.toEqual({ changes: true, replaces: [] });
  });

  it("counts undeclared members of an authoritative group as removals, and as a change", async () => {
    const authoritative = { ...olds, mode: "authoritative", maxRemovals: 1, undeclared: { "someone.else@example.com": 2001, "2002": 2002 } };
    await expect(dynamic.diff("5521", authoritative, { ...news, mode: "authoritative", maxRemovals: 1 })).rejects.toThrow(
      /would remove 2 members/,
    );
    await expect(dynamic.diff("5521", authoritative, { ...news, mode: "authoritative", maxRemovals: 2 })).resolves.toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("replaces the resource when the group changes, and does not apply the removal guard to a replacement", async () => {
    await expect(dynamic.diff("5521", olds, { ...news, group: "Finance", groupId: 5523, members: {} })).resolves.toEqual({
      changes: true,
      replaces: ["group"],
    });
  });
});
