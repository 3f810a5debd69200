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

export interface ApiWorkspaceGroup extends ApiWorkspaceGroupDetails {
  id: string | number;
  name: string;
  company?: boolean;
  created_at?: string;
}

/** The optional text fields of a workspace group, as Kantata names them; null when never set. */
export interface ApiWorkspaceGroupDetails {
  notes?: string | null;
  contact_name?: string | null;
  email?: string | null;
  phone_number?: string | null;
  address?: string | null;
  website?: string | null;
  external_reference?: string | null;
}

/** Body of `POST /workspace_groups` and `PUT /workspace_groups/{id}`: only the fields to set; a null detail clears it. */
export interface ApiWorkspaceGroupBody {
  workspace_group: { name?: string; company?: boolean } & ApiWorkspaceGroupDetails;
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

/** A workspace group's optional text fields; absent when Kantata has none. */
export interface WorkspaceGroupDetails {
  notes?: string;
  contactName?: string;
  email?: string;
  phoneNumber?: string;
  address?: string;
  website?: string;
  externalReference?: string;
}

/** The detail fields by the names the provider uses, with the wire names Kantata uses for them. */
export const GROUP_DETAIL_WIRE_NAMES = {
  notes: "notes",
  contactName: "contact_name",
  email: "email",
  phoneNumber: "phone_number",
  address: "address",
  website: "website",
  externalReference: "external_reference",
} as const satisfies Record<keyof WorkspaceGroupDetails, keyof ApiWorkspaceGroupDetails>;

export type GroupDetailField = keyof WorkspaceGroupDetails;
export const GROUP_DETAIL_FIELDS = Object.keys(GROUP_DETAIL_WIRE_NAMES) as GroupDetailField[];

export interface WorkspaceGroup extends WorkspaceGroupDetails {
  id: number;
  name: string;
  /** Kantata's "company" flag (false unless set). */
  company: boolean;
  createdAt?: string;
}

/** What a create or an update of a group sends: the fields given change, a detail set to null is cleared. */
export type WorkspaceGroupFields = { name?: string; company?: boolean } & { [K in GroupDetailField]?: string | null };

export interface MembershipFilter {
  userIds?: readonly number[];
  groupIds?: readonly number[];
  /** Membership ids. */
  only?: readonly number[];
  order?: "created_at:asc" | "created_at:desc";
}

/** Group names are unique per account ignoring case (and surrounding space): the form two names are compared in. */
export const foldGroupName = (name: string): string => name.trim().toLowerCase();

export const pairKey = (pair: MembershipPair): string => `${pair.userId}:${pair.workspaceGroupId}`;
