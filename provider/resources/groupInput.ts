import type * as pulumi from "@pulumi/pulumi";
import { WorkspaceGroup } from "./workspaceGroup/resource";

/** A group as the member resources take it: its name (exact, ignoring case), its id, or a WorkspaceGroup of the program. */
export type GroupInput = pulumi.Input<string | number> | WorkspaceGroup;

/**
 * The inputs that name the group. A WorkspaceGroup is passed by its id, so the engine orders the
 * resources (the group is created before its members and deleted after them), and by its name, as the
 * hidden `__groupName`: while a new group's id is not known (during preview) the provider plans its
 * members by that name, and it records the name as the group is renamed.
 */
export function groupInputs(group: GroupInput): { group: pulumi.Input<string | number>; __groupName?: pulumi.Input<string> } {
  return group instanceof WorkspaceGroup ? { group: group.id, __groupName: group.name } : { group };
}
