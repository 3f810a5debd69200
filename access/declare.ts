import type * as pulumi from "@pulumi/pulumi";
import { accessToday } from "../lib/calendar";
import { foldName } from "../provider/identity/references";
import type { GroupResource } from "../provider/resources/groupInput";
import { AccessRules, type AccessRulesArgs } from "../provider/resources/accessRules/resource";
import { WorkspaceGroup, type WorkspaceGroupArgs } from "../provider/resources/workspaceGroup/resource";
import { WorkspaceGroupMembers, type WorkspaceGroupMembersArgs } from "../provider/resources/workspaceGroupMembers/resource";
import type { AccessFile, AccessGroup } from "./accessFile";
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
    groups.push(
      new WorkspaceGroupMembers(
        name,
        {
          group: managed ?? group.name,
          mode: group.mode,
          ...endDatesOn(group, today),
          ...(group.maxRemovals !== undefined && { maxRemovals: group.maxRemovals }),
          ...(group.removePreexistingOnDestroy !== undefined && { removePreexistingOnDestroy: group.removePreexistingOnDestroy }),
        },
        options,
      ),
    );
  }
  if (file.rules !== undefined && file.rules.length > 0) new AccessRules("access-rules", { rules: file.rules }, { ...opts, dependsOn: groups });
  return groups;
}

function optionsFor(group: AccessGroup, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const aliases = group.renamedFrom === undefined ? opts?.aliases : [...(opts?.aliases ?? []), { name: foldName(group.renamedFrom) }];
  return { retainOnDelete: true, ...opts, ...(aliases !== undefined && { aliases }) };
}
