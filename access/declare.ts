import type * as pulumi from "@pulumi/pulumi";
import { accessToday } from "../lib/calendar";
import { foldName, parseUserRef, userKey } from "../provider/identity/references";
import type { GroupResource } from "../provider/resources/groupInput";
import { AccessRules, type AccessRulesArgs } from "../provider/resources/accessRules/resource";
import type { GroupSource, RuleSource } from "../provider/resources/accessRules/source";
import { WorkspaceGroup, type WorkspaceGroupArgs } from "../provider/resources/workspaceGroup/resource";
import { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "../provider/resources/workspaceGroupMembers/resource";
import type { AccessFile, AccessGroup, AccessSource } from "./accessFile";
import { endDatesOn } from "./endDates";

type Constructor<Args, T> = new (name: string, args: Args, opts?: pulumi.CustomResourceOptions) => T;

/**
 * The resource classes an access file is declared with: the dynamic provider's (`declareAccess`, in a
 * TypeScript program) or the provider plugin's (the `kantata:index:Access` component, in any language).
 * Either way the same resources with the same arguments: only the door differs.
 */
export interface AccessResourceClasses<Members> {
  WorkspaceGroup: Constructor<WorkspaceGroupArgs, GroupResource>;
  WorkspaceGroupMembers: Constructor<WorkspaceGroupMembersArgs, Members>;
  AccessRules: Constructor<AccessRulesArgs, unknown>;
}

const DYNAMIC: AccessResourceClasses<WorkspaceGroupMembers> = { WorkspaceGroup, WorkspaceGroupMembers, AccessRules };

/**
 * The resources of an access file: per group, a WorkspaceGroup (unless `manageGroup: false`) and the
 * WorkspaceGroupMembers that fills it, which it returns; and the file's rules as one AccessRules declared
 * last, depending on every group (so the engine checks it after them). Each group's resources are named
 * after the group, lower-cased: names are unique ignoring case, and a change of case in the file must not
 * turn into a delete and a create of two resources managing the same group.
 *
 * - Every group is taken on as it is when it exists (`adoptExisting`), so the first `up` of an exported
 *   file writes nothing; a group that does not exist is created, then filled.
 * - `renamedFrom` gives both resources an alias to the former name: the engine sees the same resources,
 *   and the group is renamed in place (one PUT), never deleted and created again.
 * - `retainOnDelete` (unless `opts` says otherwise): a group that leaves the file, and every group on
 *   `pulumi destroy`, is released from code. The group and its members stay as they are. Deleting is
 *   what a tombstone (`delete: true`) asks for, as a reviewed change of its own.
 * - People whose end date has passed (today in the file's time zone, or KANTATA_ACCESS_TODAY) are left
 *   out of `members`, so the one planner removes them like anyone taken off the list; the resource
 *   records why (`expired`), and everyone's end date (`expires`), for the preview and the review.
 * - The AccessRules is declared even for a file without rules: every group's members' resource hands
 *   it its problems (`judgedBy`), so one preview names every problem of the file — unknown addresses
 *   and groups, broken rules — each with FILE:LINE (the file's `source`).
 */
export function declareAccess(file: AccessFile, opts?: pulumi.CustomResourceOptions): WorkspaceGroupMembers[] {
  return declareAccessWith(DYNAMIC, file, opts);
}

/** `declareAccess` through the door whose classes are given. */
export function declareAccessWith<Members extends pulumi.Resource>(
  { WorkspaceGroup, WorkspaceGroupMembers, AccessRules }: AccessResourceClasses<Members>,
  file: AccessFile,
  opts?: pulumi.CustomResourceOptions,
): Members[] {
  const today = accessToday(file.timeZone);
  const groups: Members[] = [];
  const sources: RuleSource["groups"] = {};
  for (const group of file.groups) {
    const name = foldName(group.name);
    const options = optionsFor(group, opts);
    if (group.delete) {
      new WorkspaceGroup(name, { name: group.name, deleted: true, deleteWithMembers: group.deleteWithMembers ?? false }, options);
      continue;
    }
    const managed =
      group.manageGroup === false
        ? undefined
        : new WorkspaceGroup(name, { name: group.name, adoptExisting: true, ...(group.notes !== undefined && { notes: group.notes }) }, options);
    const onDay = endDatesOn(group, today);
    sources[name] = sourceOf(group, onDay.members, file.source);
    groups.push(
      new WorkspaceGroupMembers(
        name,
        {
          group: managed ?? group.name,
          mode: group.mode,
          judgedBy: RULES,
          ...onDay,
          ...(group.maxRemovals !== undefined && { maxRemovals: group.maxRemovals }),
          ...(group.removePreexistingOnDestroy !== undefined && { removePreexistingOnDestroy: group.removePreexistingOnDestroy }),
        },
        options,
      ),
    );
  }
  const source = file.source && { file: file.source.file, rules: file.source.rules, groups: sources };
  new AccessRules(RULES, { rules: file.rules ?? [], ...(source && { source }) }, { ...opts, dependsOn: groups });
  return groups;
}

/** The name of a file's AccessRules, which every group's members' resource names as its judge. */
const RULES = "access-rules";

/** Where the file wrote a group and the people its resource declares (not those whose access ended). */
function sourceOf(group: AccessGroup, declared: ReadonlyArray<string | number>, source: AccessSource | undefined): GroupSource {
  const lines = source?.groups[group.name];
  const members: Record<string, number> = {};
  for (const member of declared) {
    const ref = parseUserRef(member);
    const line = ref && lines?.members[userKey(ref)];
    if (ref && line !== undefined) members[userKey(ref)] = line;
  }
  return { name: group.name, line: lines?.line ?? 1, members };
}

function optionsFor(group: AccessGroup, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const aliases = group.renamedFrom === undefined ? opts?.aliases : [...(opts?.aliases ?? []), { name: foldName(group.renamedFrom) }];
  return { retainOnDelete: true, ...opts, ...(aliases !== undefined && { aliases }) };
}
