/**
 * The shapes of the sandbox's data: stored records, what callers pass to create them, and account
 * seeds. Types only, importing nothing of the sandbox, so the store, the seeds and the handlers can all
 * depend on them without depending on each other.
 */

export interface UserRecord {
  readonly id: number;
  readonly fullName: string;
  readonly emailAddress: string;
  /**
   * True for a disabled user (an inactive account membership, or disabled by Kantata): hidden from
   * `GET /users` unless `show_disabled=true`. The store leaves it out for active users rather than
   * storing false, so an active user's record is just its three fields.
   */
  readonly disabled?: true;
}

/** A workspace group's optional descriptive fields; null when never set (Kantata sends null). */
export interface WorkspaceGroupDetails {
  readonly notes: string | null;
  readonly contactName: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly address: string | null;
  readonly website: string | null;
  readonly externalReference: string | null;
}

/** A group's details with every field not given unset (null), as the API shows an unset field. */
export const groupDetails = (given: Partial<WorkspaceGroupDetails> = {}): WorkspaceGroupDetails => ({
  notes: given.notes ?? null,
  contactName: given.contactName ?? null,
  email: given.email ?? null,
  phoneNumber: given.phoneNumber ?? null,
  address: given.address ?? null,
  website: given.website ?? null,
  externalReference: given.externalReference ?? null,
});

export interface WorkspaceGroupRecord extends WorkspaceGroupDetails {
  readonly id: number;
  /** Unique ignoring case. */
  readonly name: string;
  readonly company: boolean;
  readonly createdAt: string;
  /** Equal to `createdAt` until a change; moves only when a field really changes, as Rails touches it. */
  readonly updatedAt: string;
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

export interface NewWorkspaceGroup extends Partial<WorkspaceGroupDetails> {
  name: string;
  company?: boolean;
  /** Defaults to now. */
  createdAt?: string;
}

/** What `updateWorkspaceGroup` may change; fields left out keep their value, null clears a detail. */
export type WorkspaceGroupChanges = Partial<Pick<WorkspaceGroupRecord, "name" | "company" | keyof WorkspaceGroupDetails>>;

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
