import { GROUP_DETAIL_FIELDS, type WorkspaceGroup, type WorkspaceGroupDetails } from "../../kantata/types";
import type { MemberMap } from "../../plan/memberships";
import { isBag, memberMap, orUnknown, text, urnOf, whole } from "../../runtime/decode";
import { StateError } from "../../runtime/errors";
import { type Unknowable, requireKnown } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";

/**
 * What a WorkspaceGroup keeps in Pulumi state. The group's fields are top-level properties, so the
 * engine's own diff of a rename reads `~ name: "Finance" => "Finance & Ops"`. Only the fields the
 * program declares are managed: those left out are neither written nor compared, and a field removed
 * from the program is left as Kantata has it.
 */

/** A group's fields as declared: its name, and whichever of the details the program sets. */
export interface GroupFields extends WorkspaceGroupDetails {
  name: string;
  company?: boolean;
}

/**
 * What `check` found, for the step that acts on it (hidden from the diff; the review reports it):
 * the group is created; it exists and is taken on as it is (then only the declared fields that differ
 * are written); it is deleted, and everyone in it loses access; or there is nothing to delete.
 */
export type GroupPlan =
  | { action: "create" }
  | { action: "adopt"; group: WorkspaceGroup }
  | { action: "delete"; groupId: number; losses: MemberMap }
  | { action: "none" };

export interface WorkspaceGroupInputs extends GroupFields {
  /** Take over a group that exists already instead of failing. */
  adoptExisting: boolean;
  /** Allow deleting the group while people are still in it (they lose access). */
  deleteWithMembers: boolean;
  /** The group must not exist: `up` deletes it (a tombstone, for access.yaml). */
  deleted: boolean;
  /** The resource's URN, set by the program-side class (hidden from the diff). */
  __urn?: string;
  __plan?: GroupPlan;
}

/** What `check` returns and `diff` receives: during preview any input may still be unknown. */
export type CheckedInputs = Unknowable<Omit<WorkspaceGroupInputs, "__urn" | "__plan">> & Pick<WorkspaceGroupInputs, "__urn" | "__plan">;

/** Outputs: the declared fields as Kantata holds them (a detail Kantata has none of is ""), and what identifies the group. */
export interface WorkspaceGroupOutputs extends Omit<WorkspaceGroupInputs, "__plan"> {
  /** The group's id; absent only on a resource marked deleted whose group never existed. */
  groupId?: number;
  /** True when the resource took over a group that existed before it. */
  adopted: boolean;
  createdAt?: string;
}

/** The declared fields of inputs or outputs: the name, and the details present. */
export function declaredFields(source: GroupFields): GroupFields {
  const fields: GroupFields = { name: source.name };
  if (source.company !== undefined) fields.company = source.company;
  for (const field of GROUP_DETAIL_FIELDS) if (source[field] !== undefined) fields[field] = source[field];
  return fields;
}

/** The declaration part of outputs, without a plan: what `read` reports as refreshed inputs. */
export function inputsOf(outputs: WorkspaceGroupOutputs): WorkspaceGroupInputs {
  const { adoptExisting, deleteWithMembers, deleted, __urn } = outputs;
  return { ...declaredFields(outputs), adoptExisting, deleteWithMembers, deleted, ...(__urn !== undefined && { __urn }) };
}

/** Outputs that describe the group as Kantata holds it, for the fields these inputs declare. */
export function toOutputs(inputs: WorkspaceGroupInputs, group: WorkspaceGroup, adopted: boolean): WorkspaceGroupOutputs {
  const { __plan: _plan, ...declaration } = inputs;
  const outputs: WorkspaceGroupOutputs = { ...declaration, name: group.name, groupId: group.id, adopted };
  if (inputs.company !== undefined) outputs.company = group.company;
  for (const field of GROUP_DETAIL_FIELDS) if (inputs[field] !== undefined) outputs[field] = group[field] ?? "";
  if (group.createdAt !== undefined) outputs.createdAt = group.createdAt;
  return outputs;
}

// --- Reading state back (see runtime/decode.ts). ---

const optionalText = (value: unknown, where: string): string | undefined =>
  value === undefined || value === null ? undefined : text(value, where);

function optionalFlag(value: unknown, where: string): boolean | undefined {
  if (value === undefined || value === null || typeof value === "boolean") return value ?? undefined;
  throw new StateError(`${where} is ${JSON.stringify(value)}, not true or false`);
}

/** The details present in a bag (each a text, or unknown during preview). */
function detailsOf(bag: Bag): Unknowable<WorkspaceGroupDetails> {
  const details: Unknowable<WorkspaceGroupDetails> = {};
  for (const field of GROUP_DETAIL_FIELDS) {
    const value = orUnknown(bag[field], (v) => optionalText(v, field));
    if (value !== undefined) details[field] = value;
  }
  return details;
}

function decodeGroup(value: unknown, where: string): WorkspaceGroup {
  if (!isBag(value)) throw new StateError(`${where} is not a workspace group`);
  const group: WorkspaceGroup = { id: whole(value.id, `${where}.id`), name: text(value.name, `${where}.name`), company: value.company === true };
  for (const field of [...GROUP_DETAIL_FIELDS, "createdAt"] as const) {
    const detail = optionalText(value[field], `${where}.${field}`);
    if (detail !== undefined) group[field] = detail;
  }
  return group;
}

/** A recorded plan (`__plan`), or undefined where none was recorded. */
export function decodeGroupPlan(value: unknown): GroupPlan | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isBag(value)) throw new StateError("__plan is not a plan");
  switch (value.action) {
    case "create":
    case "none":
      return { action: value.action };
    case "adopt":
      return { action: "adopt", group: decodeGroup(value.group, "__plan.group") };
    case "delete":
      return { action: "delete", groupId: whole(value.groupId, "__plan.groupId"), losses: memberMap(value.losses, "__plan.losses") };
    default:
      throw new StateError(`__plan.action is ${JSON.stringify(value.action)}`);
  }
}

/** Checked inputs, which during preview may hold unknowns. */
export function decodeCheckedInputs(bag: Bag): CheckedInputs {
  const plan = decodeGroupPlan(bag.__plan);
  const company = orUnknown(bag.company, (v) => optionalFlag(v, "company"));
  return {
    name: orUnknown(bag.name, (v) => text(v, "name")),
    ...(company !== undefined && { company }),
    ...detailsOf(bag),
    adoptExisting: orUnknown(bag.adoptExisting ?? false, (v) => v === true),
    deleteWithMembers: orUnknown(bag.deleteWithMembers ?? false, (v) => v === true),
    deleted: orUnknown(bag.deleted ?? false, (v) => v === true),
    ...urnOf(bag),
    ...(plan !== undefined && { __plan: plan }),
  };
}

/** Recorded outputs. */
export function decodeOutputs(bag: Bag): WorkspaceGroupOutputs {
  const { __plan: _plan, ...inputs } = requireKnown(decodeCheckedInputs(bag));
  const createdAt = optionalText(bag.createdAt, "createdAt");
  return {
    ...inputs,
    ...(bag.groupId !== undefined && bag.groupId !== null && { groupId: whole(bag.groupId, "groupId") }),
    adopted: bag.adopted === true,
    ...(createdAt !== undefined && { createdAt }),
  };
}
