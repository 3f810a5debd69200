import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../provider/dynamic/inputs";
import { userGroupMembershipProvider as provider } from "../../provider/dynamic/userGroupMembership";
import { workspaceGroupMembersProvider as groupProvider } from "../../provider/dynamic/workspaceGroupMembers";

describe("UserGroupMembership check", () => {
  it("normalises numeric strings to numbers and defaults adoptExisting to false", async () => {
    await expect(provider.check({}, { userId: "123", workspaceGroupId: 111 })).resolves.toEqual({
      inputs: { userId: 123, workspaceGroupId: 111, adoptExisting: false },
    });
  });

  it.each([
    [-1, "-1 (number)"],
    ["abc", '"abc" (string)'],
    [0, "0 (number)"],
    [1.5, "1.5 (number)"],
    [undefined, "nothing"],
  ])("rejects userId %p with a message naming the property, the value and the fix", async (value, shown) => {
    const result = await provider.check({}, { userId: value, workspaceGroupId: 111 });
    expect(result.failures).toHaveLength(1);
    expect(result.failures![0].property).toBe("userId");
    expect(result.failures![0].reason).toContain(`got ${shown}`);
    expect(result.failures![0].reason).toContain("positive integer");
  });

  it("lets a value that is unknown during preview through", async () => {
    expect(UNKNOWN).toBe(pulumi.runtime.unknownValue);
    const result = await provider.check({}, { userId: UNKNOWN, workspaceGroupId: 111 });
    expect(result).toEqual({ inputs: { userId: UNKNOWN, workspaceGroupId: 111, adoptExisting: false } });
  });
});

describe("UserGroupMembership diff", () => {
  const olds = { userId: 1, workspaceGroupId: 2, adoptExisting: false, membershipId: "9", adopted: false };

  it("reports no change for identical normalised inputs, whatever __provider holds", async () => {
    const news = { userId: 1, workspaceGroupId: 2, adoptExisting: false, __provider: "different text" };
    await expect(provider.diff("9", { ...olds, __provider: "old text" } as never, news)).resolves.toEqual({ changes: false, replaces: [] });
  });

  it("replaces the membership when the user or group changes", async () => {
    await expect(provider.diff("9", olds, { userId: 3, workspaceGroupId: 2, adoptExisting: false })).resolves.toEqual({
      changes: true,
      replaces: ["userId"],
    });
  });

  it("updates in place when only adoptExisting changes", async () => {
    await expect(provider.diff("9", olds, { userId: 1, workspaceGroupId: 2, adoptExisting: true })).resolves.toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("treats an unknown user id as a possible replacement", async () => {
    const result = await provider.diff("9", olds, { userId: UNKNOWN as never, workspaceGroupId: 2, adoptExisting: false });
    expect(result).toEqual({ changes: true, replaces: ["userId"] });
  });
});

describe("WorkspaceGroupMembers check", () => {
  it("treats userIds as a set: normalised and sorted, so reordering is no change", async () => {
    const a = await groupProvider.check({}, { workspaceGroupId: "5521", userIds: [103, "101", 102] });
    const b = await groupProvider.check({}, { workspaceGroupId: 5521, userIds: [101, 102, 103] });
    expect(a).toEqual(b);
    expect(a.inputs).toEqual({
      workspaceGroupId: 5521,
      userIds: [101, 102, 103],
      mode: "additive",
      maxRemovals: 10,
      removePreexistingOnDestroy: false,
    });
  });

  it("names duplicate and invalid entries", async () => {
    const result = await groupProvider.check({}, { workspaceGroupId: 5521, userIds: [101, "x", 101] });
    expect(result.failures?.map((f) => f.property)).toEqual(["userIds[1]", "userIds[2]"]);
    expect(result.failures?.[1].reason).toContain("lists user 101 twice (entries 0 and 2)");
  });

  it("rejects an unknown mode and a negative maxRemovals", async () => {
    const result = await groupProvider.check({}, { workspaceGroupId: 1, userIds: [], mode: "exclusive", maxRemovals: -1 });
    expect(result.failures?.map((f) => f.property)).toEqual(["mode", "maxRemovals"]);
  });
});

describe("WorkspaceGroupMembers diff", () => {
  const olds = {
    workspaceGroupId: 5521,
    userIds: Array.from({ length: 20 }, (_, i) => i + 1),
    mode: "additive" as const,
    maxRemovals: 10,
    removePreexistingOnDestroy: false,
    membershipIds: Array.from({ length: 20 }, (_, i) => String(90001 + i)),
    preexistingUserIds: [],
    undeclaredUserIds: [],
  };

  it("fails the preview when a change removes more than maxRemovals members", async () => {
    const news = { ...olds, userIds: [1, 2] };
    await expect(groupProvider.diff("5521", olds, news)).rejects.toThrow(/would remove 18 members.*raise maxRemovals/);
  });

  it("allows the same change once maxRemovals is raised", async () => {
    await expect(groupProvider.diff("5521", olds, { ...olds, userIds: [1, 2], maxRemovals: 18 })).resolves.toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("replaces the resource when the group changes", async () => {
    await expect(groupProvider.diff("5521", olds, { ...olds, workspaceGroupId: 5522 })).resolves.toEqual({
      changes: true,
      replaces: ["workspaceGroupId"],
    });
  });
});
