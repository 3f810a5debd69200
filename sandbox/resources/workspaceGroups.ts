import { type WireObject, pageEnvelope, singlePageEnvelope } from "../envelope";
import { systemError, validationError } from "../errors";
import { type Handler, type Route, ok } from "../handler";
import { findByPathId, idFilter, lowerCaseParam, orderParam, pageParams, passes, requireRoot } from "../params";
import type { WorkspaceGroupRecord } from "../store";

export const WORKSPACE_GROUPS_KEY = "workspace_groups";

export const workspaceGroupWire = (group: WorkspaceGroupRecord): WireObject => ({
  id: String(group.id),
  name: group.name,
  company: group.company,
  created_at: group.createdAt,
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

const show: Handler = ({ store, params }) => {
  const group = findByPathId(params.id, (id) => store.getWorkspaceGroup(id));
  if (group === undefined) throw systemError(404, `No workspace group with id ${params.id}`);
  return ok(singlePageEnvelope(WORKSPACE_GROUPS_KEY, [workspaceGroupWire(group)]));
};

/** `{"workspace_group": {"name": "...", "company": false}}`; names are unique, case-insensitively. */
const create: Handler = ({ store, body }) => {
  const fields = requireRoot(body, "workspace_group");
  const { name, company = false } = fields;
  if (typeof name !== "string" || name.trim() === "") throw validationError(422, "name", "name can't be blank");
  if (typeof company !== "boolean") throw validationError(422, "company", "company must be true or false");
  if (store.findWorkspaceGroupByName(name) !== undefined) throw validationError(422, "name", "name has already been taken");
  const group = store.addWorkspaceGroup({ name: name.trim(), company });
  return ok(singlePageEnvelope(WORKSPACE_GROUPS_KEY, [workspaceGroupWire(group)]));
};

export const workspaceGroupRoutes: readonly Route[] = [
  { method: "GET", template: "/workspace_groups", handler: list },
  { method: "POST", template: "/workspace_groups", handler: create },
  { method: "GET", template: "/workspace_groups/{id}", handler: show },
];
