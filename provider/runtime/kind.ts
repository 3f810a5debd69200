/** The property that tells the shared provider which resource a call is for. Never changes once stored. */
export const KIND_PROPERTY = "__kind";

export type ResourceKind = "UserGroupMembership" | "WorkspaceGroup" | "WorkspaceGroupMembers" | "AccessRules";
