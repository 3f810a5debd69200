import fc from "fast-check";
import { type Declaration, Ownership, conflictsBetween } from "../../provider/plan/ownership";

/** One membership, one owner: a group that one resource deletes is no place for another's members. */
const URN = (kind: string, name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:${kind}::${name}`;
const deleter = { owner: URN("WorkspaceGroup", "old"), groupId: 7, group: "Old", members: {}, wholeGroup: false, deletesGroup: true };
const members = { owner: URN("WorkspaceGroupMembers", "old"), groupId: 7, group: "Old", members: { "ada@x.com": 1 }, wholeGroup: false };
const CONFLICT =
  'WorkspaceGroup "old" deletes workspace group "Old", and WorkspaceGroupMembers "old" declares members of it: deleting the group would take away ' +
  'the access WorkspaceGroupMembers "old" declares. Remove WorkspaceGroupMembers "old" (or point it at another group), or keep the group.';

describe("a resource that deletes its group", () => {
  it("conflicts with any other declaration in that group, whichever is checked first, naming both", () => {
    const first = new Ownership();
    expect(first.declare(deleter)).toEqual([]);
    expect(first.declare(members)).toEqual([CONFLICT]);
    const second = new Ownership();
    expect(second.declare(members)).toEqual([]);
    expect(second.declare(deleter)).toEqual([CONFLICT]);
  });

  it("leaves other groups alone", () => {
    const ownership = new Ownership();
    expect(ownership.declare(deleter)).toEqual([]);
    expect(ownership.declare({ ...members, groupId: 8 })).toEqual([]);
  });
});

/** The record as it was before it was indexed: every declaration meets every other of its group, in the order declared. */
class EveryPair {
  private readonly declarations = new Map<string, Declaration>();
  declare(declaration: Declaration): string[] {
    const conflicts = [...this.declarations.values()]
      .filter((other) => other.owner !== declaration.owner && other.groupId === declaration.groupId)
      .flatMap((other) => conflictsBetween(declaration, other));
    if (conflicts.length === 0) this.declarations.set(declaration.owner, declaration);
    return conflicts;
  }
}

describe("the indexed record", () => {
  const people = (ids: number[]) => Object.fromEntries(ids.map((id) => [`p${id}@x.com`, id]));
  const declaration = fc.record({
    owner: fc.constantFrom(...["a", "b", "c", "d", "e"].map((name) => URN("UserGroupMembership", name))),
    groupId: fc.constantFrom(1, 2),
    members: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }).map(people),
    removes: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }).map(people),
    wholeGroup: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) /* one in ten: an authoritative group */,
    deletesGroup: fc.boolean(),
  });

  it("names exactly the conflicts, in the same order, as comparing every pair would (re-declarations and moves between groups included)", () => {
    fc.assert(
      fc.property(
        fc.array(
          declaration.map((d) => ({ ...d, group: `G${d.groupId}`, deletesGroup: d.deletesGroup && d.members.length === 0 })),
          { maxLength: 25 },
        ),
        (steps) => {
          const indexed = new Ownership();
          const everyPair = new EveryPair();
          for (const step of steps) expect(indexed.declare(step)).toEqual(everyPair.declare(step));
        },
      ),
      { numRuns: 500 },
    );
  });
});
