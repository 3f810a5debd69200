import type { Membership } from "../../kantata";
import type { UserGroupMembershipInputs, UserGroupMembershipOutputs } from "./state";

/**
 * What each step of a UserGroupMembership does to whose access, beyond the plan check records: the
 * provider applies these answers, and `kantata-access review` reports them from a preview's JSON.
 */

/** A membership another resource of the deployment now declares is handed over, not deleted. The review asks the same. */
export function deleteKeeps(props: Pick<UserGroupMembershipOutputs, "userId">, claimedElsewhere: ReadonlySet<number>): boolean {
  return claimedElsewhere.has(props.userId);
}

/** Why a membership that exists already is not created: and how to take it on instead. */
export function alreadyMember(inputs: Pick<UserGroupMembershipInputs, "user" | "userId" | "group">, existing: Membership): string {
  return (
    `${inputs.user} (user ${inputs.userId}) is already a member of workspace group "${inputs.group}" ` +
    `(membership ${existing.id}), so Pulumi would not create it. To manage the existing membership with this ` +
    `resource, set \`adoptExisting: true\` on it; or remove the membership in Kantata OX first.`
  );
}
