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

/** A group's declarations, indexed so that a declaration meets only the ones it can conflict with. */
interface GroupRecord {
  /** Owners declaring in this group. */
  owners: Set<string>;
  /** Owners claiming the whole group or deleting it: every other declaration in the group conflicts with them. */
  claimsAll: Set<string>;
  /** User id → owners declaring that person. */
  declaring: Map<number, Set<string>>;
  /** User id → owners removing that person in this change. */
  removing: Map<number, Set<string>>;
}

const claimsAll = (d: Declaration) => d.wholeGroup || d.deletesGroup === true;

export class Ownership {
  private readonly declarations = new Map<string, Declaration>();
  private readonly groups = new Map<number | string, GroupRecord>();
  /** When each owner first declared: conflicts are named in that order (a re-declaration keeps its place). */
  private readonly firstDeclared = new Map<string, number>();

  /**
   * Records what a resource declares (replacing what it said before: the same resource may be checked
   * twice) and returns one message per conflict with another resource. Nothing is recorded when there is
   * a conflict, so the first declaration stays the reference. A declaration meets only the others of its
   * group that claim the whole group, delete it, or name one of its people, so N single memberships of one
   * group cost N steps, not N²/2 (10,000 of them took 39 s of CPU).
   */
  declare(declaration: Declaration): string[] {
    const conflicts: string[] = [];
    for (const other of this.rivals(declaration)) conflicts.push(...conflictsBetween(declaration, other));
    if (conflicts.length === 0) this.record(declaration);
    return conflicts;
  }

  /** The other declarations of the group that may conflict with this one, in the order they were declared. */
  private rivals(declaration: Declaration): Declaration[] {
    const group = this.groups.get(declaration.groupId);
    if (group === undefined) return [];
    const owners = new Set(claimsAll(declaration) ? group.owners : group.claimsAll);
    const people = Object.values(declaration.members);
    for (const userId of people)
      for (const owner of [...(group.declaring.get(userId) ?? []), ...(group.removing.get(userId) ?? [])]) owners.add(owner);
    for (const userId of Object.values(declaration.removes ?? {})) for (const owner of group.declaring.get(userId) ?? []) owners.add(owner);
    owners.delete(declaration.owner);
    return [...owners]
      .sort((a, b) => (this.firstDeclared.get(a) ?? 0) - (this.firstDeclared.get(b) ?? 0))
      .map((owner) => this.declarations.get(owner))
      .filter((other): other is Declaration => other !== undefined);
  }

  private record(declaration: Declaration): void {
    const before = this.declarations.get(declaration.owner);
    if (before !== undefined) this.unindex(before);
    this.declarations.set(declaration.owner, declaration);
    if (!this.firstDeclared.has(declaration.owner)) this.firstDeclared.set(declaration.owner, this.firstDeclared.size);
    let group = this.groups.get(declaration.groupId);
    if (group === undefined)
      this.groups.set(declaration.groupId, (group = { owners: new Set(), claimsAll: new Set(), declaring: new Map(), removing: new Map() }));
    group.owners.add(declaration.owner);
    if (claimsAll(declaration)) group.claimsAll.add(declaration.owner);
    for (const userId of Object.values(declaration.members)) addTo(group.declaring, userId, declaration.owner);
    for (const userId of Object.values(declaration.removes ?? {})) addTo(group.removing, userId, declaration.owner);
  }

  private unindex(declaration: Declaration): void {
    const group = this.groups.get(declaration.groupId);
    if (group === undefined) return;
    group.owners.delete(declaration.owner);
    group.claimsAll.delete(declaration.owner);
    for (const userId of Object.values(declaration.members)) group.declaring.get(userId)?.delete(declaration.owner);
    for (const userId of Object.values(declaration.removes ?? {})) group.removing.get(userId)?.delete(declaration.owner);
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

function addTo(index: Map<number, Set<string>>, userId: number, owner: string): void {
  let owners = index.get(userId);
  if (owners === undefined) index.set(userId, (owners = new Set()));
  owners.add(owner);
}

/** What makes two declarations of the same group conflict, one message each. */
export function conflictsBetween(declaration: Declaration, other: Declaration): string[] {
  const us = resourceLabel(declaration.owner);
  const them = resourceLabel(other.owner);
  if (other.deletesGroup || declaration.deletesGroup) {
    const [deleter, declarer] = other.deletesGroup ? [them, us] : [us, them];
    return [
      `${deleter} deletes workspace group "${declaration.group}", and ${declarer} declares members of it: deleting the group would take away ` +
        `the access ${declarer} declares. Remove ${declarer} (or point it at another group), or keep the group.`,
    ];
  }
  if (other.wholeGroup || declaration.wholeGroup) {
    const [whole, partial] = other.wholeGroup ? [them, us] : [us, them];
    return [
      `${whole} manages workspace group "${declaration.group}" authoritatively (exactly its own members), and ${partial} declares members of it too: ` +
        `each would remove what the other adds. Declare everyone of "${declaration.group}" in ${whole}, or make it additive.`,
    ];
  }
  const mine = new Map(Object.entries(declaration.members).map(([key, userId]) => [userId, key]));
  const conflicts: string[] = [];
  for (const [key, userId] of Object.entries(other.members)) {
    if (mine.has(userId)) conflicts.push(twice(mine.get(userId) ?? key, declaration.group, us, them));
  }
  for (const [key, userId] of Object.entries(other.removes ?? {})) {
    if (mine.has(userId)) conflicts.push(movedWithin(key, declaration.group, them, us));
  }
  for (const [key, userId] of Object.entries(declaration.removes ?? {})) {
    if (Object.values(other.members).includes(userId)) conflicts.push(movedWithin(key, declaration.group, us, them));
  }
  return conflicts;
}

const twice = (person: string, group: string, us: string, them: string) =>
  `${person} in workspace group "${group}" is declared by both ${us} and ${them}; removing either would take away access the other declares. Declare each membership in one resource.`;

const movedWithin = (person: string, group: string, remover: string, declarer: string) =>
  `${person} in workspace group "${group}" is removed by ${remover} and declared by ${declarer} in the same change, which would remove the membership and add it again. ` +
  `Move them in two changes (first out of ${remover}, then into ${declarer}), or leave them in ${remover}. Removing ${remover} from the program altogether hands its members over without a gap.`;
