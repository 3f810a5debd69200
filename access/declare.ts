import type * as pulumi from "@pulumi/pulumi";
import { foldName } from "../provider/identity/references";
import { WorkspaceGroupMembers } from "../provider/resources/workspaceGroupMembers/resource";
import type { AccessFile } from "./accessFile";

/**
 * One WorkspaceGroupMembers per group of an access file. Each resource is named after its group,
 * lower-cased: names are unique ignoring case, and a change of case in the file must not turn into a
 * delete and a create of two resources managing the same group.
 */
export function declareAccess(file: AccessFile, opts?: pulumi.CustomResourceOptions): WorkspaceGroupMembers[] {
  return file.groups.map(
    (group) =>
      new WorkspaceGroupMembers(
        foldName(group.name),
        {
          group: group.name,
          members: group.members,
          mode: group.mode,
          ...(group.maxRemovals !== undefined && { maxRemovals: group.maxRemovals }),
          ...(group.removePreexistingOnDestroy !== undefined && { removePreexistingOnDestroy: group.removePreexistingOnDestroy }),
        },
        opts,
      ),
  );
}
