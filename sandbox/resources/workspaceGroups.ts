import { type WireObject, pageEnvelope, singlePageEnvelope } from "../envelope";
import { systemError, validationError } from "../errors";
import { type Handler, type Route, ok } from "../handler";
import { findByPathId, idFilter, lowerCaseParam, orderParam, pageParams, passes, requireRoot } from "../params";
import type { WorkspaceGroupRecord } from "../records";
import type { Store } from "../store";
import { DETAIL_FIELDS, readNewWorkspaceGroup, readWorkspaceGroupChanges } from "./workspaceGroupBody";

export const WORKSPACE_GROUPS_KEY = "workspace_groups";
const ROOT_KEY = "workspace_group";

/** Every stored field; details never set are null, as Kantata sends them. */
export const workspaceGroupWire = (group: WorkspaceGroupRecord): WireObject => ({
  id: String(group.id),
  name: group.name,
  company: group.company,
  ...Object.fromEntries(Object.entries(DETAIL_FIELDS).map(([wire, field]) => [wire, group[field]])),
  created_at: group.createdAt,
  updated_at: group.updatedAt,
});

const ORDERS = ["name:asc", "name:desc"] as const;
type Order = (typeof ORDERS)[number];

/**
 * By name, ignoring case (the documented default is `name:asc`; the collation is inferred), with id
 * breaking ties so paging is stable. Folded names are compared by code unit, not by locale, so the
 * order is the same on every machine.
 */
function byName(order: Order): (a: WorkspaceGroupRecord, b: WorkspaceGroupRecord) => number {
  const sign = order === "name:asc" ? 1 : -1;
  return (a, b) => {
    const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
    return sign * (x < y ? -1 : x > y ? 1 : a.id - b.id);
  };
}

/**
 * `matching` is documented as "name similar to". Decision: a case-insensitive substring of the name,
 * so an exact name always finds its group and clients must compare exactly themselves, as they must
 * against Kantata.
 */
const list: Handler = ({ store, query }) => {
  const page = pageParams(query);
  const order = orderParam(query, ORDERS, "name:asc");
  const only = idFilter(query, "only");
  const matching = lowerCaseParam(query, "matching");
  const matches = store
    .listWorkspaceGroups()
    .filter((group) => passes(only, group.id) && (matching === undefined || group.name.toLowerCase().includes(matching)))
    .sort(byName(order));
  return ok(pageEnvelope(WORKSPACE_GROUPS_KEY, matches, page, workspaceGroupWire));
};

/** The group a path id names; Kantata's 404 otherwise (an id that is not an id names nothing). */
function pathGroup(store: Store, id: string): WorkspaceGroupRecord {
  const group = findByPathId(id, (groupId) => store.getWorkspaceGroup(groupId));
  if (group === undefined) throw systemError(404, `No workspace group with id ${id}`);
  return group;
}

const single = (group: WorkspaceGroupRecord) => ok(singlePageEnvelope(WORKSPACE_GROUPS_KEY, [workspaceGroupWire(group)]));

const show: Handler = ({ store, params }) => single(pathGroup(store, params.id));

/** A name held by another group, ignoring case, is a 422 on `name`; a group may keep its own in another case. */
function assertNameFree(store: Store, name: string | undefined, ownId?: number): void {
  const holder = name === undefined ? undefined : store.findWorkspaceGroupByName(name);
  if (holder !== undefined && holder.id !== ownId) throw validationError(422, "name", "name has already been taken");
}

/** `{"workspace_group": {...}}` (see workspaceGroupBody.ts); 200, not 201, with the envelope of the new group. */
const create: Handler = ({ store, body }) => {
  const group = readNewWorkspaceGroup(requireRoot(body, ROOT_KEY));
  assertNameFree(store, group.name);
  return single(store.addWorkspaceGroup(group));
};

/**
 * Changes only the fields given; 200 with the envelope of the group as it now is. The group is looked
 * up first, as a Rails controller's before_action does, so an unknown id is a 404 whatever the body.
 */
const update: Handler = ({ store, params, body }) => {
  const group = pathGroup(store, params.id);
  const changes = readWorkspaceGroupChanges(requireRoot(body, ROOT_KEY));
  assertNameFree(store, changes.name, group.id);
  return single(store.updateWorkspaceGroup(group.id, changes));
};

/** 204 with no body; an unknown id (a repeated delete too) is a 404. The group's memberships go with it (see Store.removeWorkspaceGroup). */
const remove: Handler = ({ store, params }) => {
  store.removeWorkspaceGroup(pathGroup(store, params.id).id);
  return { status: 204 };
};

/**
 * Reads are open to every valid token. Writes need an Account Administrator, like the membership
 * routes: Kantata documents the requirement only for memberships, but groups are account settings
 * that only administrators manage in Kantata's UI, so the sandbox assumes the API holds writes to
 * the same rule (a client must be ready for a 403 either way).
 */
export const workspaceGroupRoutes: readonly Route[] = [
  { method: "GET", template: "/workspace_groups", handler: list },
  { method: "POST", template: "/workspace_groups", handler: create, adminOnly: true },
  { method: "GET", template: "/workspace_groups/{id}", handler: show },
  { method: "PUT", template: "/workspace_groups/{id}", handler: update, adminOnly: true },
  { method: "DELETE", template: "/workspace_groups/{id}", handler: remove, adminOnly: true },
];
