import type * as pulumi from "@pulumi/pulumi";
import { accessToday } from "../lib/calendar";
import { foldName } from "../provider/identity/references";
import { AccessRules } from "../provider/resources/accessRules/resource";
import { WorkspaceGroupMembers } from "../provider/resources/workspaceGroupMembers/resource";
import type { AccessFile } from "./accessFile";
import { endDatesOn } from "./endDates";

/**
 * One WorkspaceGroupMembers per group of an access file, and the file's rules as one AccessRules
 * declared last, depending on every group (so the engine checks it after them). Each group resource is
 * named after its group, lower-cased: names are unique ignoring case, and a change of case in the file
 * must not turn into a delete and a create of two resources managing the same group.
 *
 * People whose end date has passed (today in the file's time zone, or KANTATA_ACCESS_TODAY) are left
 * out of `members`, so the one planner removes them like anyone taken off the list; the resource
 * records why (`expired`), and everyone's end date (`expires`), for the preview and the review.
 */
export function declareAccess(file: AccessFile, opts?: pulumi.CustomResourceOptions): WorkspaceGroupMembers[] {
  const today = accessToday(file.timeZone);
  const groups = file.groups.map(
    (group) =>
      new WorkspaceGroupMembers(
        foldName(group.name),
        {
          group: group.name,
          mode: group.mode,
          ...endDatesOn(group, today),
          ...(group.maxRemovals !== undefined && { maxRemovals: group.maxRemovals }),
          ...(group.removePreexistingOnDestroy !== undefined && { removePreexistingOnDestroy: group.removePreexistingOnDestroy }),
        },
        opts,
      ),
  );
  if (file.rules !== undefined && file.rules.length > 0) new AccessRules("access-rules", { rules: file.rules }, { ...opts, dependsOn: groups });
  return groups;
}
