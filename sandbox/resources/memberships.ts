import { type ErrorDetail, type SideLoads, type WireObject, pageEnvelope, singlePageEnvelope } from "../envelope";
import { ApiError, systemError, validationError } from "../errors";
import { type Handler, type Route, ok } from "../handler";
import { isJsonObject } from "../json";
import { idField, idFilter, includeParam, orderParam, pageParams, parseId, passes, requireRoot } from "../params";
import { type MembershipRecord, type NewMembership, type Store, pairKey } from "../store";
import { USERS_KEY, userWire } from "./users";
import { WORKSPACE_GROUPS_KEY, workspaceGroupWire } from "./workspaceGroups";

export const MEMBERSHIPS_KEY = "user_group_memberships";
export const MAX_BULK_CREATE = 100;

const INCLUDABLE = ["user", "workspace_group"] as const;
type Association = (typeof INCLUDABLE)[number];
const ORDERS = ["created_at:desc", "created_at:asc"] as const;
type Order = (typeof ORDERS)[number];

export const membershipWire = (membership: MembershipRecord): WireObject => ({
  id: String(membership.id),
  user_id: String(membership.userId),
  workspace_group_id: String(membership.workspaceGroupId),
  creator_id: String(membership.creatorId),
  created_at: membership.createdAt,
});

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * By `created_at` in the given direction; equal timestamps (common: they have whole seconds) fall back
 * to id, same direction. The store keeps every timestamp in one UTC format, so text order is time
 * order, and sorting benchmark-sized tables needs no date parsing.
 */
function byCreatedAt(order: Order): (a: MembershipRecord, b: MembershipRecord) => number {
  const sign = order === "created_at:asc" ? 1 : -1;
  return (a, b) => sign * (compareText(a.createdAt, b.createdAt) || a.id - b.id);
}

const isDefined = <T>(value: T | undefined): value is T => value !== undefined;

/**
 * `include=user,workspace_group`: the users and groups the returned memberships point at. Disabled
 * users are side-loaded like any other: Kantata documents hiding them only for `GET /users`.
 */
function sideLoader(store: Store, include: ReadonlySet<Association>): (memberships: readonly MembershipRecord[]) => SideLoads {
  return (memberships) => {
    const sideLoads: Record<string, WireObject[]> = {};
    if (include.has("user")) {
      sideLoads[USERS_KEY] = memberships
        .map((m) => store.getUser(m.userId))
        .filter(isDefined)
        .map(userWire);
    }
    if (include.has("workspace_group")) {
      sideLoads[WORKSPACE_GROUPS_KEY] = memberships
        .map((m) => store.getWorkspaceGroup(m.workspaceGroupId))
        .filter(isDefined)
        .map(workspaceGroupWire);
    }
    return sideLoads;
  };
}

const list: Handler = ({ store, query }) => {
  const userIds = idFilter(query, "user_ids");
  const groupIds = idFilter(query, "group_ids");
  const only = idFilter(query, "only");
  const order = orderParam(query, ORDERS, "created_at:desc");
  const include = includeParam(query, INCLUDABLE);
  const page = pageParams(query);
  const matches = store
    .listMemberships()
    .filter((m) => passes(userIds, m.userId) && passes(groupIds, m.workspaceGroupId) && passes(only, m.id))
    .sort(byCreatedAt(order));
  return ok(pageEnvelope(MEMBERSHIPS_KEY, matches, page, membershipWire, sideLoader(store, include)));
};

interface CreateRequest {
  bulk: boolean;
  elements: readonly unknown[];
}

/** `{"user_group_memberships": [...]}` (bulk, 1 to 100) or `{"user_group_membership": {...}}`. */
function readCreateBody(body: unknown): CreateRequest {
  const bulk = isJsonObject(body) ? body[MEMBERSHIPS_KEY] : undefined;
  if (!Array.isArray(bulk)) return { bulk: false, elements: [requireRoot(body, "user_group_membership")] };
  if (bulk.length === 0 || bulk.length > MAX_BULK_CREATE) {
    throw validationError(422, MEMBERSHIPS_KEY, `bulk create takes 1 to ${MAX_BULK_CREATE} objects, got ${bulk.length}`);
  }
  return { bulk: true, elements: bulk };
}

type CheckedElement = { pair: NewMembership; errors?: undefined } | { pair?: undefined; errors: ErrorDetail[] };

/**
 * Validates each element on its own, then against the store and the elements accepted before it in
 * the same body, so a pair given twice is a duplicate just like a pair that exists already.
 */
function checkElements(store: Store, elements: readonly unknown[]): CheckedElement[] {
  const accepted = new Set<string>();
  return elements.map((element): CheckedElement => {
    if (!isJsonObject(element)) return { errors: [{ type: "validation", field: MEMBERSHIPS_KEY, message: "each element must be an object" }] };
    const errors: ErrorDetail[] = [];
    const userId = idField(element, "user_id", errors);
    const workspaceGroupId = idField(element, "workspace_group_id", errors);
    if (userId !== undefined && store.getUser(userId) === undefined) {
      errors.push({ type: "validation", field: "user_id", message: `user ${userId} does not exist` });
    }
    if (workspaceGroupId !== undefined && store.getWorkspaceGroup(workspaceGroupId) === undefined) {
      errors.push({ type: "validation", field: "workspace_group_id", message: `workspace group ${workspaceGroupId} does not exist` });
    }
    if (userId === undefined || workspaceGroupId === undefined || errors.length > 0) return { errors };
    const key = pairKey(userId, workspaceGroupId);
    if (accepted.has(key) || store.findMembership(userId, workspaceGroupId) !== undefined) {
      return { errors: [{ type: "validation", field: "user_id", message: "User has already been added to this group" }] };
    }
    accepted.add(key);
    return { pair: { userId, workspaceGroupId } };
  });
}

/**
 * Creates one membership or a bulk of them; 200 with the created objects in request order. A single
 * object that fails is a 422. For bulk bodies with failing elements see {@link BulkPolicy}.
 */
const create: Handler = ({ store, query, body, caller, bulkPolicy }) => {
  const include = includeParam(query, INCLUDABLE);
  const request = readCreateBody(body);
  const checked = checkElements(store, request.elements);
  const problems = checked.flatMap((element, index) => (element.errors ?? []).map((error) => (request.bulk ? { ...error, index } : error)));
  if (problems.length > 0 && (!request.bulk || bulkPolicy === "all-or-nothing")) throw new ApiError(422, problems);
  const pairs = checked.flatMap((element) => (element.pair === undefined ? [] : [{ ...element.pair, creatorId: caller.userId }]));
  const created = store.addMemberships(pairs);
  return ok(singlePageEnvelope(MEMBERSHIPS_KEY, created.map(membershipWire), sideLoader(store, include)(created)));
};

/** 204 with no body; an unknown id is a 404 (so a repeated delete is a 404 too). */
const remove: Handler = ({ store, params }) => {
  const id = parseId(params.id);
  if (id === undefined || !store.removeMembership(id)) throw systemError(404, `No user group membership with id ${params.id}`);
  return { status: 204 };
};

export const membershipRoutes: readonly Route[] = [
  { method: "GET", template: "/user_group_memberships", handler: list, adminOnly: true },
  { method: "POST", template: "/user_group_memberships", handler: create, adminOnly: true },
  { method: "DELETE", template: "/user_group_memberships/{id}", handler: remove, adminOnly: true },
];
