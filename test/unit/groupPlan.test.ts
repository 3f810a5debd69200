import fc from "fast-check";
import { planDestroy, planGroupMembers, removalGuardError, type MembershipMode } from "../../provider/plan/groupMembers";

const userId = fc.integer({ min: 1, max: 60 });
const userSet = fc.uniqueArray(userId, { maxLength: 40 });
const mode = fc.constantFrom<MembershipMode>("additive", "authoritative");

/** Applies a plan to the live members, as Kantata would. */
function apply(live: number[], plan: ReturnType<typeof planGroupMembers>): Set<number> {
  const after = new Set(live);
  plan.add.forEach((u) => after.add(u));
  plan.remove.forEach((u) => after.delete(u));
  return after;
}

const ascending = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

describe("planning a group's members", () => {
  it("authoritative: applying the plan leaves exactly the declared members", () => {
    fc.assert(
      fc.property(userSet, userSet, userSet, (declared, live, managed) => {
        const after = apply(live, planGroupMembers({ mode: "authoritative", declared, live, managed }));
        expect(ascending(after)).toEqual(ascending(declared));
      }),
    );
  });

  it("additive: applying the plan keeps every declared user and every member it never managed", () => {
    fc.assert(
      fc.property(userSet, userSet, userSet, (declared, live, managed) => {
        const after = apply(live, planGroupMembers({ mode: "additive", declared, live, managed }));
        declared.forEach((u) => expect(after.has(u)).toBe(true));
        live.filter((u) => !managed.includes(u)).forEach((u) => expect(after.has(u)).toBe(true));
      }),
    );
  });

  it("never adds and removes the same user, adds only non-members, removes only members, each once and in ascending order", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, userSet, (m, declared, live, managed) => {
        const plan = planGroupMembers({ mode: m, declared, live, managed });
        const added = new Set(plan.add);
        plan.remove.forEach((u) => {
          expect(added.has(u)).toBe(false);
          expect(live).toContain(u);
        });
        plan.add.forEach((u) => expect(live).not.toContain(u));
        expect(plan.add).toEqual(ascending(new Set(plan.add)));
        expect(plan.remove).toEqual(ascending(new Set(plan.remove)));
      }),
    );
  });

  it("is empty when the declared users are exactly the live members", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, (m, live, managed) => {
        const plan = planGroupMembers({ mode: m, declared: [...live], live, managed });
        expect(plan).toEqual({ add: [], remove: [] });
      }),
    );
  });

  it("adds only users who are not members yet", () => {
    expect(planGroupMembers({ mode: "additive", declared: [1, 2], live: [1], managed: [] }).add).toEqual([2]);
  });

  it("additive mode removes a formerly managed user who is no longer declared, but not a stranger", () => {
    const plan = planGroupMembers({ mode: "additive", declared: [1], live: [1, 2, 3], managed: [1, 2] });
    expect(plan).toEqual({ add: [], remove: [2] });
  });

  it("authoritative mode removes strangers too", () => {
    const plan = planGroupMembers({ mode: "authoritative", declared: [1], live: [1, 2, 3], managed: [1, 2] });
    expect(plan).toEqual({ add: [], remove: [2, 3] });
  });
});

describe("destroying a group's members", () => {
  it("keeps members who were there before the resource, unless asked to remove them", () => {
    expect(planDestroy([3, 1, 2], [2], false)).toEqual([1, 3]);
    expect(planDestroy([3, 1, 2], [2], true)).toEqual([1, 2, 3]);
  });

  it("removes only managed users, never a pre-existing one unless asked, whatever the inputs", () => {
    fc.assert(
      fc.property(userSet, userSet, fc.boolean(), (managed, preexisting, removePreexisting) => {
        const removed = planDestroy(managed, preexisting, removePreexisting);
        removed.forEach((u) => expect(managed).toContain(u));
        if (!removePreexisting) removed.forEach((u) => expect(preexisting).not.toContain(u));
        const expected = managed.filter((u) => removePreexisting || !preexisting.includes(u));
        expect(removed).toEqual(ascending(expected));
      }),
    );
  });
});

describe("the removal guard", () => {
  it("allows up to maxRemovals and refuses more, naming the group, the count and how to raise the limit", () => {
    expect(removalGuardError("Delivery-EMEA", 10, 10)).toBeUndefined();
    const message = removalGuardError("Delivery-EMEA", 11, 10);
    expect(message).toContain('workspace group "Delivery-EMEA"');
    expect(message).toContain("would remove 11 members");
    expect(message).toContain("raise maxRemovals on the resource to at least 11");
  });
});
