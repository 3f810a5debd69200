/**
 * Wire shapes (snake_case, as Kantata sends them) and the client's normalised shapes. Kantata sends ids
 * as strings (and types foreign keys as integers); the client turns every id into a number at this
 * boundary, so the rest of the provider has one id type.
 */

/** A membership as Kantata returns it. */
export interface ApiMembership {
  id: string | number;
  user_id: string | number;
  workspace_group_id: string | number;
  creator_id?: string | number | null;
  created_at?: string;
}

export interface ApiUser {
  id: string | number;
  full_name?: string;
  email_address?: string;
}

export interface ApiWorkspaceGroup {
  id: string | number;
  name: string;
  company?: boolean;
  created_at?: string;
}

/** `{"key": "user_group_memberships", "id": "90412"}` — one entry of the envelope's ordered `results`. */
export interface ApiResultRef {
  key: string;
  id: string | number;
}

/** The list envelope of every GET and POST. Objects sit under their plural key, indexed by id. */
export interface ApiListEnvelope {
  count: number;
  meta?: { count?: number; page_count?: number; page_number?: number; page_size?: number };
  results: ApiResultRef[];
  [pluralKey: string]: unknown;
}

/** Body of a bulk create: the plural key with up to 100 objects. */
export interface ApiBulkCreateBody {
  user_group_memberships: Array<{ user_id: number; workspace_group_id: number }>;
}

/** A membership, ids as numbers. */
export interface Membership {
  id: number;
  userId: number;
  workspaceGroupId: number;
  /** The user who created it; through the API, the token's own user. */
  creatorId?: number;
  createdAt?: string;
}

/** "User U in group G", the natural key of a membership. */
export interface MembershipPair {
  userId: number;
  workspaceGroupId: number;
}

export interface User {
  id: number;
  /** As Kantata stores it; compare case-insensitively. */
  email: string;
  fullName: string;
}

export interface WorkspaceGroup {
  id: number;
  name: string;
}

export interface MembershipFilter {
  userIds?: readonly number[];
  groupIds?: readonly number[];
  /** Membership ids. */
  only?: readonly number[];
  order?: "created_at:asc" | "created_at:desc";
}

export const pairKey = (pair: MembershipPair): string => `${pair.userId}:${pair.workspaceGroupId}`;
