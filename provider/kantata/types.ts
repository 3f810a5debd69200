/** Wire shapes (snake_case, as Kantata sends them) and the client's normalised shapes. */

/** A membership as Kantata returns it. Ids are strings in practice; the contract types foreign keys as integers. */
export interface ApiMembership {
  id: string | number;
  user_id: string | number;
  workspace_group_id: string | number;
  creator_id?: string | number | null;
  created_at?: string;
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

/** A membership with every id normalised to a decimal string. */
export interface Membership {
  id: string;
  userId: string;
  workspaceGroupId: string;
  creatorId?: string;
  createdAt?: string;
}

/** "User U in group G", the natural key of a membership. Ids are decimal strings. */
export interface MembershipPair {
  userId: string;
  workspaceGroupId: string;
}

export interface WorkspaceGroup {
  id: string;
  name: string;
}

export interface MembershipFilter {
  userIds?: readonly string[];
  groupIds?: readonly string[];
  /** Membership ids. */
  only?: readonly string[];
  order?: "created_at:asc" | "created_at:desc";
}

export const pairKey = (pair: MembershipPair): string => `${pair.userId}:${pair.workspaceGroupId}`;
