import * as pulumi from "@pulumi/pulumi";

/** A group resource of the program, through either door: its id is the group's id, and it has the group's name. */
export type GroupResource = pulumi.CustomResource & { readonly name: pulumi.Output<string> };

/** A group as the member resources take it: its name (exact, ignoring case), its id, or a WorkspaceGroup of the program. */
export type GroupInput = pulumi.Input<string | number> | GroupResource;

/**
 * The inputs that name the group. A WorkspaceGroup is passed by its id, so the engine orders the
 * resources (the group is created before its members and deleted after them), and by its name, as the
 * hidden `__groupName`: while a new group's id is not known (during preview) the provider plans its
 * members by that name, and it records the name as the group is renamed.
 */
export function groupInputs(group: GroupInput): { group: pulumi.Input<string | number>; __groupName?: pulumi.Input<string> } {
  return pulumi.CustomResource.isInstance(group) ? { group: group.id, __groupName: group.name } : { group };
}
