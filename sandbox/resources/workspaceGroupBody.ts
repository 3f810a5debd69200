import type { ErrorDetail } from "../envelope";
import { ApiError } from "../errors";
import type { JsonObject } from "../json";
import { parseId } from "../params";
import type { NewWorkspaceGroup, WorkspaceGroupChanges, WorkspaceGroupDetails } from "../records";

/**
 * Reading the body of `POST /workspace_groups` and `PUT /workspace_groups/{id}`:
 * `{"workspace_group": {name, notes, company, contact_name, email, phone_number, address, website,
 * external_reference, add_workspace_ids, remove_workspace_ids}}`. Every field of the wrong type is
 * reported at once, each as a 422 validation error naming it, as Rails reports all of a record's errors.
 *
 * Decisions where Kantata is silent:
 * - Keys it does not list (`description`, say) are ignored, as Rails drops unpermitted parameters.
 * - A text field may be null: on create it is the same as leaving it out, on update it clears it.
 * - `external_reference` is a string here (elsewhere Kantata also takes an object for it).
 * - `add_workspace_ids` and `remove_workspace_ids` must be lists of ids, and are then ignored: the
 *   sandbox has no workspaces to attach. `remove_workspace_ids` belongs to updates only; on a create it
 *   is an unlisted key like any other.
 */

/** Wire name → record field of the optional text fields. */
export const DETAIL_FIELDS = {
  notes: "notes",
  contact_name: "contactName",
  email: "email",
  phone_number: "phoneNumber",
  address: "address",
  website: "website",
  external_reference: "externalReference",
} as const satisfies Record<string, keyof WorkspaceGroupDetails>;
type WireDetail = keyof typeof DETAIL_FIELDS;
const WIRE_DETAILS = Object.keys(DETAIL_FIELDS) as WireDetail[];

/** A create's fields, `name` required and trimmed. Name uniqueness needs the store and is the caller's to check. */
export function readNewWorkspaceGroup(fields: JsonObject): NewWorkspaceGroup {
  const { name, ...rest } = readFields(fields, "create");
  return { ...rest, name: name ?? "" }; // readFields refuses a create without a name, so it is there
}

/** An update's fields: only those given change; a given name is trimmed and must not be blank. */
export const readWorkspaceGroupChanges = (fields: JsonObject): WorkspaceGroupChanges => readFields(fields, "update");

/** Checks every field's type; throws a 422 ApiError listing every bad field. */
function readFields(fields: JsonObject, mode: "create" | "update"): WorkspaceGroupChanges {
  const problems: ErrorDetail[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ type: "validation", field, message: `${field} ${message}` });
  };
  const changes: { -readonly [K in keyof WorkspaceGroupChanges]: WorkspaceGroupChanges[K] } = {};

  const { name } = fields;
  if (name !== undefined || mode === "create") {
    if (name === undefined || name === null || (typeof name === "string" && name.trim() === "")) problem("name", "can't be blank");
    else if (typeof name !== "string") problem("name", "must be a string");
    else changes.name = name.trim();
  }
  if (fields.company !== undefined) {
    if (typeof fields.company === "boolean") changes.company = fields.company;
    else problem("company", "must be true or false");
  }
  for (const wire of WIRE_DETAILS) {
    const value = fields[wire];
    if (value === undefined) continue;
    if (value === null || typeof value === "string") changes[DETAIL_FIELDS[wire]] = value;
    else problem(wire, "must be a string");
  }
  for (const list of mode === "create" ? ["add_workspace_ids"] : ["add_workspace_ids", "remove_workspace_ids"]) {
    if (!isIdList(fields[list])) problem(list, "must be a list of workspace ids");
  }
  if (problems.length > 0) throw new ApiError(422, problems);
  return changes;
}

/** Absent, null, or an array of ids (numbers or decimal strings, as ids come back from Kantata). */
function isIdList(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return (
    Array.isArray(value) &&
    value.every((item) =>
      typeof item === "number" ? Number.isSafeInteger(item) && item > 0 : typeof item === "string" && parseId(item) !== undefined,
    )
  );
}
