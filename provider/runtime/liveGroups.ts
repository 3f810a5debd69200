import { normalizeEmail } from "../identity/references";
import type { KantataClient } from "../kantata/client";
import type { Membership, User } from "../kantata/types";
import type { MemberMap } from "../plan/memberships";

/** One group's members as read: membership by user id, and the users Kantata side-loaded with them. */
export interface LiveGroup {
  memberships: Map<number, Membership>;
  users: Map<number, User>;
}

/** How state names a member the program does not declare: the current email, or the id if Kantata has no user record. */
export function keyFor(userId: number, users: ReadonlyMap<number, User>): string {
  const email = users.get(userId)?.email;
  return email ? normalizeEmail(email) : String(userId);
}

/** Every member of a group as read, by email (or id). */
export function everyMember(group: LiveGroup): MemberMap {
  const members: MemberMap = {};
  for (const userId of group.memberships.keys()) members[keyFor(userId, group.users)] = userId;
  return members;
}

/** A group that has no members: one just created, or one just deleted. */
export const emptyGroup = (): LiveGroup => ({ memberships: new Map(), users: new Map() });

/**
 * The live members of each group, read once per provider process (⌈members/200⌉ GETs, users
 * side-loaded) and kept current with the writes this process makes. `check` reads a group it plans for;
 * `create` and `update` in the same process then apply that plan to the same snapshot without reading
 * again, and a refresh's read serves a `preview --refresh`'s checks. Every (person, group) pair has one
 * owner in a deployment (see plan/ownership.ts), so no other resource's write invalidates what a
 * resource planned; changes made outside Pulumi meanwhile are met by idempotent writes (an existing
 * membership is taken on, a missing one counts as removed).
 */
export class LiveGroups {
  private readonly reads = new Map<number, Promise<LiveGroup>>();

  constructor(private readonly client: KantataClient) {}

  /** The group's members: from this process's snapshot, or read now. A failed read is forgotten. */
  members(groupId: number): Promise<LiveGroup> {
    let read = this.reads.get(groupId);
    if (read === undefined) {
      read = this.client.listGroupMembers(groupId).then(({ memberships, users }) => ({
        memberships: new Map(memberships.map((m) => [m.userId, m])),
        users,
      }));
      this.reads.set(groupId, read);
      read.catch(() => {
        if (this.reads.get(groupId) === read) this.reads.delete(groupId);
      });
    }
    return read;
  }

  /** A read made elsewhere (a refresh) becomes the snapshot. */
  remember(groupId: number, group: LiveGroup): void {
    this.reads.set(groupId, Promise.resolve(group));
  }

  /** Records this process's own writes in the snapshot, if there is one. */
  async recordWrites(groupId: number, writes: { added?: readonly Membership[]; removedUsers?: readonly number[] }): Promise<void> {
    const read = this.reads.get(groupId);
    if (read === undefined) return;
    const group = await read.catch(() => undefined);
    if (group === undefined) return;
    for (const membership of writes.added ?? []) group.memberships.set(membership.userId, membership);
    for (const userId of writes.removedUsers ?? []) group.memberships.delete(userId);
  }

  /** The group is gone: the next question reads it again. */
  forget(groupId: number): void {
    this.reads.delete(groupId);
  }
}
