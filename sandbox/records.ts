/**
 * The shapes of the sandbox's data: stored records, what callers pass to create them, and account
 * seeds. Types only, importing nothing of the sandbox, so the store, the seeds and the handlers can all
 * depend on them without depending on each other.
 */

export interface UserRecord {
  readonly id: number;
  readonly fullName: string;
  readonly emailAddress: string;
}

export interface WorkspaceGroupRecord {
  readonly id: number;
  readonly name: string;
  readonly company: boolean;
  readonly createdAt: string;
}

export interface MembershipRecord {
  readonly id: number;
  readonly userId: number;
  readonly workspaceGroupId: number;
  readonly creatorId: number;
  readonly createdAt: string;
}

export interface NewUser {
  fullName: string;
  emailAddress: string;
}

export interface NewWorkspaceGroup {
  name: string;
  company?: boolean;
  /** Defaults to now. */
  createdAt?: string;
}

export interface NewMembership {
  userId: number;
  workspaceGroupId: number;
  /** Defaults to SYSTEM_CREATOR_ID (store.ts): a membership made "in the Kantata UI", not through the API. */
  creatorId?: number;
  /** Defaults to now. Set it to give tests a known `created_at` order. */
  createdAt?: string;
}

/**
 * What a fresh sandbox starts with. Records are given in id order and refer to each other by
 * position, so the store hands out the ids from its sequences (users 1001…, groups 5521…,
 * memberships 90001…) whatever the account.
 */
export interface AccountSeed {
  users: readonly NewUser[];
  workspaceGroups: readonly SeedWorkspaceGroup[];
  /** In id order; every one is created by SYSTEM_CREATOR_ID (store.ts), as if made in the Kantata UI. */
  memberships: readonly SeedMembership[];
}

export interface SeedWorkspaceGroup {
  name: string;
  /** In the store's one timestamp format. */
  createdAt: string;
}

export interface SeedMembership {
  /** Position in {@link AccountSeed.users}. */
  user: number;
  /** Position in {@link AccountSeed.workspaceGroups}. */
  workspaceGroup: number;
  createdAt: string;
}
