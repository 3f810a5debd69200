import { Ownership } from "../../provider/plan/ownership";

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
