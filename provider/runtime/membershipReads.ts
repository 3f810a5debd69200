import type { KantataClient } from "../kantata/client";
import type { MembershipBatcher } from "../kantata/membershipBatcher";
import type { Membership, MembershipPair } from "../kantata/types";
import type { LiveGroup, LiveGroups } from "./liveGroups";

/**
 * Reads a group has had, per page of it still to read, before reading the rest is the cheaper choice:
 * about what one coalesced find answers at the engine's default parallelism (4 × CPU cores).
 */
const READS_PER_PAGE = 4;

interface GroupReads {
  reads: number;
  first: Promise<{ page: LiveGroup; pageCount: number }>;
  /** The whole group: the first page and the rest, once read. */
  whole?: Promise<LiveGroup>;
}

/**
 * A refresh's reads of single memberships, at the bound whatever the engine's parallelism. The engine
 * reads a few resources at a time, so a coalesced find answers only that many per GET; a page of the
 * group answers 200. The first read of a group reads the group's first page: its 200 oldest memberships
 * (state lists resources in the order they were created, so a refresh asks for those first) and how
 * many pages the group has. A group of one page is then read whole (and kept as this process's snapshot).
 * A read the first page does not answer reads the rest of the group (the other pages, once) when the
 * group has had READS_PER_PAGE reads for every page still to read; until then, and so for a few singles
 * in a big group, it is found on its own (coalesced). So N singles of their own group cost ⌈N/200⌉ GETs,
 * and one single in a 10,000-member group two, not fifty.
 */
export class MembershipReads {
  private readonly groups = new Map<number, GroupReads>();

  constructor(
    private readonly client: KantataClient,
    private readonly live: LiveGroups,
    private readonly batcher: MembershipBatcher,
  ) {}

  /** The membership of this pair as Kantata has it now, or undefined if there is none. */
  async find(pair: MembershipPair): Promise<Membership | undefined> {
    const group = this.readsOf(pair.workspaceGroupId);
    group.reads++;
    const { page, pageCount } = await group.first;
    const found = page.memberships.get(pair.userId);
    if (found !== undefined || pageCount <= 1) return found;
    if (group.whole === undefined && group.reads < READS_PER_PAGE * (pageCount - 1)) return this.batcher.find(pair);
    group.whole ??= this.readRest(pair.workspaceGroupId, page);
    return (await group.whole).memberships.get(pair.userId);
  }

  /** The pages after the first, added to it: the group as this process's snapshot. A failed read is tried again. */
  private readRest(groupId: number, first: LiveGroup): Promise<LiveGroup> {
    const whole = this.client.listGroupMembers(groupId, 2).then(({ memberships, users }) => {
      const group = { memberships: new Map(first.memberships), users: new Map([...first.users, ...users]) };
      for (const membership of memberships) group.memberships.set(membership.userId, membership);
      this.live.remember(groupId, group);
      return group;
    });
    whole.catch(() => {
      const reads = this.groups.get(groupId);
      if (reads?.whole === whole) delete reads.whole;
    });
    return whole;
  }

  /** This process wrote to the group (a create or a delete): its pages as read are no longer the group. */
  forget(groupId: number): void {
    this.groups.delete(groupId);
  }

  private readsOf(groupId: number): GroupReads {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      const first = this.client.firstGroupMembersPage(groupId).then(({ memberships, users, pageCount }) => {
        const page = { memberships: new Map(memberships.map((m) => [m.userId, m])), users };
        if (pageCount <= 1) this.live.remember(groupId, page);
        return { page, pageCount };
      });
      // A failed read is forgotten, so the next read of the group tries again.
      first.catch(() => {
        if (this.groups.get(groupId)?.first === first) this.groups.delete(groupId);
      });
      this.groups.set(groupId, (group = { reads: 0, first }));
    }
    return group;
  }
}
