import fc from "fast-check";
import {
  type MemberMap,
  type MembershipMode,
  type MembershipPlan,
  isEmptyPlan,
  planDestroy,
  planGroupMembers,
  everyone,
  removalGuardError,
} from "../../provider/plan/memberships";

const userId = fc.integer({ min: 1, max: 60 });
const userSet = fc.uniqueArray(userId, { maxLength: 40 });
const mode = fc.constantFrom<MembershipMode>("additive", "authoritative");
/** People keyed as state keys them: user N is "uN@x.com". */
const people = (ids: Iterable<number>): MemberMap => Object.fromEntries([...ids].map((id) => [`u${id}@x.com`, id]));

/** What Kantata holds after applying a plan to the live members, as `up` does. */
function apply(live: number[], plan: MembershipPlan): Set<number> {
  const after = new Set(live);
  Object.values(plan.gains).forEach((u) => after.add(u));
  Object.values(plan.losses).forEach((u) => after.delete(u));
  return after;
}

const plan = (m: MembershipMode, declared: number[], live: number[], managed: number[]) =>
  planGroupMembers({ mode: m, declared: people(declared), live: people(live), managed });

describe("planning a group's members", () => {
  it("the people a plan names as gaining and losing access are exactly the difference it makes to the group", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, userSet, (m, declared, live, managed) => {
        const p = plan(m, declared, live, managed);
        const after = apply(live, p);
        const before = new Set(live);
        expect(new Set(Object.values(p.gains))).toEqual(new Set([...after].filter((u) => !before.has(u))));
        expect(new Set(Object.values(p.losses))).toEqual(new Set(live.filter((u) => !after.has(u))));
      }),
    );
  });

  it("authoritative: applying the plan leaves exactly the declared members", () => {
    fc.assert(
      fc.property(userSet, userSet, userSet, (declared, live, managed) => {
        expect(apply(live, plan("authoritative", declared, live, managed))).toEqual(new Set(declared));
      }),
    );
  });

  it("additive: applying the plan keeps every declared user and every member it never managed", () => {
    fc.assert(
      fc.property(userSet, userSet, userSet, (declared, live, managed) => {
        const after = apply(live, plan("additive", declared, live, managed));
        declared.forEach((u) => expect(after.has(u)).toBe(true));
        live.filter((u) => !managed.includes(u)).forEach((u) => expect(after.has(u)).toBe(true));
      }),
    );
  });

  it("people already in the group are taken on unchanged, never counted as gaining; each person is in at most one list", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, userSet, (m, declared, live, managed) => {
        const p = plan(m, declared, live, managed);
        Object.values(p.unchanged).forEach((u) => {
          expect(live).toContain(u);
          expect(declared).toContain(u);
          expect(managed).not.toContain(u);
        });
        const named = [...Object.values(p.gains), ...Object.values(p.losses), ...Object.values(p.unchanged)];
        expect(new Set(named).size).toBe(named.length);
        expect(p.adopted).toEqual(Object.keys(p.unchanged));
      }),
    );
  });

  it("is empty when the declared users are exactly the members it manages", () => {
    fc.assert(
      fc.property(mode, userSet, (m, members) => {
        expect(isEmptyPlan(plan(m, members, members, members))).toBe(true);
      }),
    );
  });

  it("a group coming under management: declared members stay, the rest of the declaration gains, authoritative removes the others", () => {
    const p = plan("authoritative", [1, 2, 3], [2, 3, 4, 5], []);
    expect(p).toEqual({
      gains: { "u1@x.com": 1 },
      losses: { "u4@x.com": 4, "u5@x.com": 5 },
      unchanged: { "u2@x.com": 2, "u3@x.com": 3 },
      adopted: ["u2@x.com", "u3@x.com"],
    });
    expect(plan("additive", [1, 2, 3], [2, 3, 4, 5], [])).toEqual({ ...p, losses: {} });
  });

  it("members this token created earlier are taken on as its own, not adopted", () => {
    const p = planGroupMembers({ mode: "additive", declared: people([1, 2]), live: people([1, 2]), managed: [], createdByToken: new Set([2]) });
    expect(p.adopted).toEqual(["u1@x.com"]);
  });

  it("names people in sorted order, so the same plan prints the same everywhere", () => {
    const p = planGroupMembers({
      mode: "authoritative",
      declared: { "b@x.com": 2, "a@x.com": 1 },
      live: { "d@x.com": 4, "c@x.com": 3 },
      managed: [],
    });
    expect(Object.keys(p.gains)).toEqual(["a@x.com", "b@x.com"]);
    expect(Object.keys(p.losses)).toEqual(["c@x.com", "d@x.com"]);
  });
});

describe("people who are no longer active (disabled logins)", () => {
  const withInactive = (m: MembershipMode, declared: number[], live: number[], managed: number[], inactive: number[]) =>
    planGroupMembers({ mode: m, declared: people(declared), live: people(live), managed, inactive });

  it("are never added; authoritative mode removes their memberships, additive mode leaves them as they are", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, userSet, userSet, (m, declared, live, managed, inactive) => {
        const p = withInactive(m, declared, live, managed, inactive);
        const after = apply(live, p);
        for (const u of inactive) {
          expect(Object.values(p.gains)).not.toContain(u);
          expect(Object.values(p.unchanged)).not.toContain(u);
          if (live.includes(u)) expect(after.has(u)).toBe(m === "additive");
        }
      }),
    );
  });

  it("change nothing else: the plan for everyone else is the plan without them", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, userSet, userSet, (m, declared, live, managed, inactive) => {
        const others = (map: MemberMap) => Object.values(map).filter((u) => !inactive.includes(u));
        const p = withInactive(m, declared, live, managed, inactive);
        const without = plan(
          m,
          declared.filter((u) => !inactive.includes(u)),
          live,
          managed,
        );
        for (const list of ["gains", "losses", "unchanged"] as const) expect(others(p[list])).toEqual(others(without[list]));
      }),
    );
  });

  it("still: what a plan names is exactly the difference it makes", () => {
    fc.assert(
      fc.property(mode, userSet, userSet, userSet, userSet, (m, declared, live, managed, inactive) => {
        const p = withInactive(m, declared, live, managed, inactive);
        const after = apply(live, p);
        expect(new Set(Object.values(p.gains))).toEqual(new Set([...after].filter((u) => !live.includes(u))));
        expect(new Set(Object.values(p.losses))).toEqual(new Set(live.filter((u) => !after.has(u))));
      }),
    );
  });

  it("a disabled member of a group taken over: removed in authoritative mode, kept in additive mode, added in neither", () => {
    expect(withInactive("authoritative", [1, 2, 3], [2, 3], [], [3, 4])).toEqual({
      gains: { "u1@x.com": 1 },
      losses: { "u3@x.com": 3 },
      unchanged: { "u2@x.com": 2 },
      adopted: ["u2@x.com"],
    });
    expect(withInactive("additive", [1, 2, 3], [2, 3], [3], [3, 4]).losses).toEqual({});
  });
});

describe("destroying", () => {
  it("removes every managed member except pre-existing ones, unless told to remove those too", () => {
    const managed = people([1, 2, 3]);
    expect(Object.values(planDestroy({ managed, preexisting: ["u2@x.com"], removePreexisting: false }).losses)).toEqual([1, 3]);
    expect(Object.values(planDestroy({ managed, preexisting: ["u2@x.com"], removePreexisting: true }).losses)).toEqual([1, 2, 3]);
  });

  it("hands over members another resource now declares, instead of removing them", () => {
    const p = planDestroy({ managed: people([1, 2, 3]), preexisting: [], removePreexisting: false, claimedElsewhere: new Set([3]) });
    expect(Object.values(p.losses)).toEqual([1, 2]);
  });

  it("never removes anyone it did not manage", () => {
    fc.assert(
      fc.property(userSet, userSet, fc.boolean(), (managed, claimed, removePreexisting) => {
        const p = planDestroy({ managed: people(managed), preexisting: [], removePreexisting, claimedElsewhere: new Set(claimed) });
        Object.values(p.losses).forEach((u) => {
          expect(managed).toContain(u);
          expect(claimed).not.toContain(u);
        });
      }),
    );
  });
});

describe("the maxRemovals guard", () => {
  const removing = (n: number): MembershipPlan => ({
    gains: {},
    losses: people(Array.from({ length: n }, (_, i) => i + 1)),
    unchanged: {},
    adopted: [],
  });

  it("allows up to maxRemovals and refuses one more, naming the count, everyone it would remove (one per line past five) and the fix", () => {
    expect(removalGuardError("Finance", removing(10), 10)).toBeUndefined();
    const error = removalGuardError("Finance", removing(11), 10);
    expect(error).toContain('remove 11 members from workspace group "Finance", more than maxRemovals (10).');
    expect(error).toContain("raise maxRemovals on the resource to at least 11");
    expect(error).toMatch(/It would remove:\n {2}- u1@x\.com\n(.*\n){9} {2}- u11@x\.com$/);
    expect(removalGuardError("Finance", removing(3), 2)).toContain(
      'remove 3 members from workspace group "Finance" (u1@x.com, u2@x.com, u3@x.com), more',
    );
  });
});

describe("naming everyone who loses access", () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}@x.com`);
  it("names up to five in a line and more one per line, never 'and N more'", () => {
    expect(everyone(keys(5))).toBe("p1@x.com, p2@x.com, p3@x.com, p4@x.com, p5@x.com");
    expect(everyone(keys(7))).toBe(
      keys(7)
        .map((key) => `\n  - ${key}`)
        .join(""),
    );
    expect(everyone(keys(250)).split("\n")).toHaveLength(251);
  });
});
