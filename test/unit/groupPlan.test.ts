import fc from "fast-check";
import { planDestroy, planGroupMembers, removalGuardError, type MembershipMode } from "../../provider/plan/groupMembers";

const userId = fc.integer({ min: 1, max: 60 }).map(String);
const userSet = fc.uniqueArray(userId, { maxLength: 40 });
const mode = fc.constantFrom<MembershipMode>("additive", "authoritative");
const liveMap = userSet.map((users) => new Map(users.map((u) => [u, `m${u}`])));

/** Applies a plan to a live membership map, as Kantata would. */
function apply(live: Map<string, string>, plan: ReturnType<typeof planGroupMembers>): Set<string> {
  const after = new Set(live.keys());
  plan.add.forEach((u) => after.add(u));
  plan.remove.forEach((r) => after.delete(r.userId));
  return after;
}

describe("planning a group's members", () => {
  it("authoritative: applying the plan leaves exactly the declared members", () => {
    fc.assert(
      fc.property(userSet, liveMap, userSet, (declared, live, managed) => {
        const after = apply(live, planGroupMembers({ mode: "authoritative", declared, live, managed }));
        expect([...after].sort()).toEqual([...declared].sort());
      }),
    );
  });

  it("additive: applying the plan keeps every declared user and every member it never managed", () => {
    fc.assert(
      fc.property(userSet, liveMap, userSet, (declared, live, managed) => {
        const after = apply(live, planGroupMembers({ mode: "additive", declared, live, managed }));
        declared.forEach((u) => expect(after.has(u)).toBe(true));
        [...live.keys()].filter((u) => !managed.includes(u)).forEach((u) => expect(after.has(u)).toBe(true));
      }),
    );
  });

  it("never adds and removes the same user, and removes only existing memberships by their id", () => {
    fc.assert(
      fc.property(mode, userSet, liveMap, userSet, (m, declared, live, managed) => {
        const plan = planGroupMembers({ mode: m, declared, live, managed });
        const added = new Set(plan.add);
        plan.remove.forEach((r) => {
          expect(added.has(r.userId)).toBe(false);
          expect(live.get(r.userId)).toBe(r.membershipId);
        });
        expect(new Set(plan.remove.map((r) => r.userId)).size).toBe(plan.remove.length);
      }),
    );
  });

  it("is empty when the declared users are exactly the live members", () => {
    fc.assert(
      fc.property(mode, liveMap, userSet, (m, live, managed) => {
        const plan = planGroupMembers({ mode: m, declared: [...live.keys()], live, managed });
        expect(plan).toEqual({ add: [], remove: [] });
      }),
    );
  });

  it("adds only users who are not members yet", () => {
    const live = new Map([["1", "m1"]]);
    expect(planGroupMembers({ mode: "additive", declared: ["1", "2"], live, managed: [] }).add).toEqual(["2"]);
  });

  it("additive mode removes a formerly managed user who is no longer declared, but not a stranger", () => {
    const live = new Map([["1", "m1"], ["2", "m2"], ["3", "m3"]]);
    const plan = planGroupMembers({ mode: "additive", declared: ["1"], live, managed: ["1", "2"] });
    expect(plan.remove).toEqual([{ userId: "2", membershipId: "m2" }]);
  });
});

describe("destroying a group's members", () => {
  const members = new Map([["1", "m1"], ["2", "m2"], ["3", "m3"]]);

  it("keeps members who were there before the resource, unless asked to remove them", () => {
    expect(planDestroy(members, ["2"], false).map((r) => r.userId)).toEqual(["1", "3"]);
    expect(planDestroy(members, ["2"], true).map((r) => r.userId)).toEqual(["1", "2", "3"]);
  });
});

describe("the removal guard", () => {
  it("allows up to maxRemovals and refuses more, naming the count and how to raise the limit", () => {
    expect(removalGuardError("group 5521", 10, 10)).toBeUndefined();
    const message = removalGuardError("group 5521", 11, 10);
    expect(message).toContain("would remove 11 members");
    expect(message).toContain("raise maxRemovals");
  });
});
