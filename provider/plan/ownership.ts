/**
 * One membership, one owner. Every resource of a deployment says, at `check`, which memberships it
 * declares (an authoritative WorkspaceGroupMembers: its whole group), which it is about to remove, and
 * whether it deletes the group itself (a WorkspaceGroup marked deleted). Two resources declaring the
 * same person in the same group, a person removed by one resource and declared by another in the same
 * change, anything declared beside an authoritative group, or anything declared in a group another
 * resource deletes, is a mistake that would make either resource take away access the other still
 * declares: the preview fails, naming both. Resources being destroyed hand their members over to whoever
 * declares them now (`claimedElsewhere`). Access rules read the same record to know what each group will
 * hold. Pure bookkeeping: the provider process keeps one instance.
 */

export interface Declaration {
  /** The resource's URN. */
  owner: string;
  /** The group's id; for a group created in this change (no id during preview), "new:" and its name ignoring case. */
  groupId: number | string;
  /** The group's name, for messages. */
  group: string;
  /** Declared people: key → user id. */
  members: Record<string, number>;
  /** An authoritative resource claims the whole group. */
  wholeGroup: boolean;
  /** People this resource's plan removes in this change. */
  removes?: Record<string, number>;
  /** The resource deletes the group in this change, and with it every membership. */
  deletesGroup?: boolean;
  /** People the resource names whose login is disabled (they left): not declared members, and not counted by access rules. */
  inactive?: Record<string, number>;
}

/** "WorkspaceGroupMembers legal" from a URN, as a person would name the resource. */
export function resourceLabel(urn: string): string {
  const [, type = "", name = urn] = /::([^:]+(?::[^:]+)*)::([^:]*)$/.exec(urn) ?? [];
  return `${type.slice(type.lastIndexOf(":") + 1)} "${name}"`;
}

export class Ownership {
  private readonly declarations = new Map<string, Declaration>();

  /**
   * Records what a resource declares (replacing what it said before: the same resource may be checked
   * twice) and returns one message per conflict with another resource. Nothing is recorded when there is
   * a conflict, so the first declaration stays the reference.
   */
  declare(declaration: Declaration): string[] {
    const conflicts: string[] = [];
    const mine = new Map(Object.entries(declaration.members).map(([key, userId]) => [userId, key]));
    for (const other of this.declarations.values()) {
      if (other.owner === declaration.owner || other.groupId !== declaration.groupId) continue;
      const us = resourceLabel(declaration.owner);
      const them = resourceLabel(other.owner);
      if (other.deletesGroup || declaration.deletesGroup) {
        const [deleter, declarer] = other.deletesGroup ? [them, us] : [us, them];
        conflicts.push(
          `${deleter} deletes workspace group "${declaration.group}", and ${declarer} declares members of it: deleting the group would take away ` +
            `the access ${declarer} declares. Remove ${declarer} (or point it at another group), or keep the group.`,
        );
        continue;
      }
      if (other.wholeGroup || declaration.wholeGroup) {
        const [whole, partial] = other.wholeGroup ? [them, us] : [us, them];
        conflicts.push(
          `${whole} manages workspace group "${declaration.group}" authoritatively (exactly its own members), and ${partial} declares members of it too: ` +
            `each would remove what the other adds. Declare everyone of "${declaration.group}" in ${whole}, or make it additive.`,
        );
        continue;
      }
      for (const [key, userId] of Object.entries(other.members)) {
        if (mine.has(userId)) conflicts.push(twice(mine.get(userId) ?? key, declaration.group, us, them));
      }
      for (const [key, userId] of Object.entries(other.removes ?? {})) {
        if (mine.has(userId)) conflicts.push(movedWithin(key, declaration.group, them, us));
      }
      for (const [key, userId] of Object.entries(declaration.removes ?? {})) {
        if (Object.values(other.members).includes(userId)) conflicts.push(movedWithin(key, declaration.group, us, them));
      }
    }
    if (conflicts.length === 0) this.declarations.set(declaration.owner, declaration);
    return conflicts;
  }

  /** What every resource checked in this process declares. */
  everyDeclaration(): Declaration[] {
    return [...this.declarations.values()];
  }

  /** What the resources checked in this process declare about this group. */
  declarationsFor(groupId: number | string): Declaration[] {
    return [...this.declarations.values()].filter((declaration) => declaration.groupId === groupId);
  }

  /** Every group some resource checked in this process declares members of, by id (or "new:" key), with its name. */
  declaredGroups(): Map<number | string, string> {
    return new Map([...this.declarations.values()].map((declaration) => [declaration.groupId, declaration.group]));
  }

  /** Users of this group declared by resources other than `owner`: a resource being destroyed leaves them alone. */
  claimedElsewhere(groupId: number | string, owner: string | undefined): Set<number> {
    const claimed = new Set<number>();
    for (const other of this.declarations.values()) {
      if (other.owner === owner || other.groupId !== groupId) continue;
      for (const userId of Object.values(other.members)) claimed.add(userId);
    }
    return claimed;
  }
}

const twice = (person: string, group: string, us: string, them: string) =>
  `${person} in workspace group "${group}" is declared by both ${us} and ${them}; removing either would take away access the other declares. Declare each membership in one resource.`;

const movedWithin = (person: string, group: string, remover: string, declarer: string) =>
  `${person} in workspace group "${group}" is removed by ${remover} and declared by ${declarer} in the same change, which would remove the membership and add it again. ` +
  `Move them in two changes (first out of ${remover}, then into ${declarer}), or leave them in ${remover}. Removing ${remover} from the program altogether hands its members over without a gap.`;
