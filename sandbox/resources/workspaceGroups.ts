import { type WireObject, pageEnvelope, singlePageEnvelope } from "../envelope";
import { systemError, validationError } from "../errors";
import { type Handler, type Route, ok } from "../handler";
import { findByPathId, idFilter, lowerCaseParam, pageParams, passes, requireRoot } from "../params";
import type { WorkspaceGroupRecord } from "../store";

export const WORKSPACE_GROUPS_KEY = "workspace_groups";

export const workspaceGroupWire = (group: WorkspaceGroupRecord): WireObject => ({
  id: String(group.id),
  name: group.name,
  company: group.company,
  created_at: group.createdAt,
});

/**
 * `matching` is documented as "name similar to". Decision: a case-insensitive substring of the name,
 * so an exact name always finds its group and clients must compare exactly themselves, as they must
 * against Kantata. Ordered by id (undocumented): stable, and the order groups were created in.
 */
const list: Handler = ({ store, query }) => {
  const page = pageParams(query);
  const only = idFilter(query, "only");
  const matching = lowerCaseParam(query, "matching");
  const matches = store
    .listWorkspaceGroups()
    .filter((group) => passes(only, group.id) && (matching === undefined || group.name.toLowerCase().includes(matching)))
    .sort((a, b) => a.id - b.id);
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
