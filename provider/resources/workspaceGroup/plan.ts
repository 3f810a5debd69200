import { GROUP_DETAIL_FIELDS, type WorkspaceGroupFields } from "../../kantata/types";
import { type MemberMap, namePeople } from "../../plan/memberships";
import type { GroupFields } from "./state";

/**
 * What each step of a WorkspaceGroup does to the group, from its states: the provider applies these
 * answers, and `kantata-access review` reports them from a preview's JSON.
 */

/**
 * The declared fields whose value differs from what Kantata holds (`held`: the group as read, or the
 * outputs of the last step): what an update or an adoption writes. A detail declared "" is cleared
 * (sent as null); one the program leaves out is not managed, so never written. Names compare exactly:
 * `check` keeps Kantata's spelling when the declared name differs only in case, as Kantata's
 * uniqueness ignores case.
 */
export function fieldChanges(held: GroupFields, declared: GroupFields): WorkspaceGroupFields {
  const changes: WorkspaceGroupFields = {};
  if (declared.name !== held.name) changes.name = declared.name;
  if (declared.company !== undefined && declared.company !== (held.company ?? false)) changes.company = declared.company;
  for (const field of GROUP_DETAIL_FIELDS) {
    const wanted = declared[field];
    if (wanted !== undefined && wanted !== (held[field] ?? "")) changes[field] = wanted === "" ? null : wanted;
  }
  return changes;
}

/** Why a group is not deleted while people are in it: whom it concerns, and the ways on. */
export function deleteRefusal(group: string, members: MemberMap, howToAllow: string): string {
  const people = Object.keys(members).sort();
  const many = people.length === 1 ? "1 member" : `${people.length} members`;
  return (
    `Workspace group "${group}" still has ${many} that no other resource of this stack declares: ${namePeople(people)}. ` +
    `Deleting the group would take their access away. ${howToAllow}`
  );
}

/** For a group marked deleted (access.yaml's `delete: true`): the flag that allows it. */
export const ALLOW_AT_CHECK =
  "To delete it with them, set deleteWithMembers: true (in access.yaml, beside delete: true); or remove them from the group first.";

/** For a WorkspaceGroup removed from the program: the flag must be in state before the resource goes. */
export const ALLOW_AT_DELETE =
  "To delete it with them, declare the group again with deleteWithMembers: true, run `pulumi up`, then remove it; " +
  "or remove them from the group first; or keep the group (`pulumi state delete <urn>` stops managing it without deleting it).";
