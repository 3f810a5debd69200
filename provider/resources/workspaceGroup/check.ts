import type * as pulumi from "@pulumi/pulumi";
import { foldName } from "../../identity/references";
import { GROUP_DETAIL_FIELDS, type WorkspaceGroup, type WorkspaceGroupDetails } from "../../kantata/types";
import { everyone, onePerLine } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import { type Failures, UNKNOWN, type Unknowable, describeValue, isUnknown, parseFlag, requireKnown } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";
import { everyMember } from "../../runtime/liveGroups";
import { ALLOW_AT_CHECK, deleteRefusal, fieldChanges } from "./plan";
import { type CheckedInputs, type GroupPlan, type WorkspaceGroupInputs, decodeCheckedInputs } from "./state";

/** The trimmed name, UNKNOWN during preview when computed from another resource, or undefined (a failure) when missing. */
function parseName(value: unknown, failures: Failures): string | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  failures.push({ property: "name", reason: `name must be the workspace group's name, such as "Finance"; got ${describeValue(value)}.` });
  return undefined;
}

/** The details the program sets (a text each; null is the same as leaving it out) and `company`. */
function parseDetails(news: Bag, failures: Failures): Unknowable<WorkspaceGroupDetails> & { company?: boolean | typeof UNKNOWN } {
  const details: Unknowable<WorkspaceGroupDetails> & { company?: boolean | typeof UNKNOWN } = {};
  for (const field of GROUP_DETAIL_FIELDS) {
    const value = news[field];
    if (value === undefined || value === null) continue;
    if (typeof value === "string" || isUnknown(value)) details[field] = value;
    else failures.push({ property: field, reason: `${field} must be a text; got ${describeValue(value)}.` });
  }
  const company = news.company;
  if (typeof company === "boolean" || isUnknown(company)) details.company = company;
  else if (company !== undefined && company !== null)
    failures.push({ property: "company", reason: `company must be true or false; got ${describeValue(company)}.` });
  return details;
}

/** The previous checked inputs, when state has any this version can read. */
function previous(olds: Bag | undefined): WorkspaceGroupInputs | undefined {
  if (olds === undefined || typeof olds.name !== "string") return undefined;
  try {
    return requireKnown(decodeCheckedInputs(olds));
  } catch {
    return undefined;
  }
}

const sameName = (a: string, b: string): boolean => foldName(a) === foldName(b);

/**
 * Validates the arguments and, where a step will act on what exists, looks first, so the preview says
 * what `up` does: a group new to the stack is looked up by name (taken on with `adoptExisting`, refused
 * without it, created when there is none); a rename checks that no other group holds the new name; a
 * group marked deleted is read, everyone in it is named as losing access, and the deletion is refused
 * while people are in it unless `deleteWithMembers`. A resource whose declaration is as recorded
 * reads nothing.
 */
export async function checkWorkspaceGroup(
  ctx: ProviderContext,
  olds: Bag | undefined,
  news: Bag,
): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const failures: Failures = [];
  const before = previous(olds);
  const name = parseName(news.name, failures);
  const details = parseDetails(news, failures);
  const adoptExisting = parseFlag("adoptExisting", news.adoptExisting, failures);
  const deleteWithMembers = parseFlag("deleteWithMembers", news.deleteWithMembers, failures);
  const deleted = parseFlag("deleted", news.deleted, failures);
  if (failures.length > 0 || name === undefined || adoptExisting === undefined || deleteWithMembers === undefined || deleted === undefined)
    return { failures };
  const urn = typeof news.__urn === "string" ? news.__urn : undefined;
  // Names compare ignoring case, as Kantata's uniqueness does: a change of case alone keeps the recorded spelling.
  const recordedName = before !== undefined && !isUnknown(name) && sameName(before.name, name) ? before.name : name;
  const inputs: CheckedInputs = {
    name: recordedName,
    ...details,
    adoptExisting,
    deleteWithMembers,
    deleted,
    ...(urn !== undefined && { __urn: urn }),
  };
  if (Object.values(inputs).some(isUnknown)) return { inputs }; // computed from other resources: looked at during `up`
  const known = requireKnown(inputs);

  const plan = await planGroup(ctx, before, known, failures);
  if (failures.length > 0) return { failures };
  // Taking on a group spelt otherwise keeps Kantata's spelling, as for a change of case.
  const adoptedName = plan?.action === "adopt" && sameName(plan.group.name, known.name) ? plan.group.name : known.name;
  return { inputs: { ...inputs, name: adoptedName, ...(plan && { __plan: plan }) } };
}

async function planGroup(
  ctx: ProviderContext,
  before: WorkspaceGroupInputs | undefined,
  inputs: WorkspaceGroupInputs,
  failures: Failures,
): Promise<GroupPlan | undefined> {
  if (inputs.deleted) return before?.deleted ? undefined : planDeletion(ctx, before?.name ?? inputs.name, inputs, failures);
  if (before !== undefined && !before.deleted) {
    if (!sameName(before.name, inputs.name)) await checkNameFree(ctx, before.name, inputs.name, failures);
    return undefined; // an update writes what differs from the recorded outputs
  }
  return planArrival(ctx, inputs, failures);
}

/** A group new to the stack (or coming back after its deletion): taken on if it exists and adoption is asked, else created. */
async function planArrival(ctx: ProviderContext, inputs: WorkspaceGroupInputs, failures: Failures): Promise<GroupPlan | undefined> {
  const existing = await ctx.directory.findGroup({ kind: "name", name: inputs.name });
  if (existing !== undefined) {
    if (!inputs.adoptExisting) {
      failures.push({ property: "name", reason: alreadyExists(existing) });
      return undefined;
    }
    const changes = Object.keys(fieldChanges(existing, { ...inputs, name: existing.name }));
    await ctx.diagnostics.info(
      inputs.__urn,
      `workspace group "${existing.name}" (id ${existing.id}) exists already: it is taken under management as it is` +
        (changes.length > 0 ? `, and up sets its ${changes.join(", ")}.` : ", with no change."),
    );
    return { action: "adopt", group: existing };
  }
  const suggestion = await ctx.directory.suggestGroupName(inputs.name);
  const line = `workspace group "${inputs.name}" does not exist yet: up creates it`;
  if (suggestion === undefined) await ctx.diagnostics.info(inputs.__urn, `${line}.`);
  else await ctx.diagnostics.warn(inputs.__urn, `${line}. Did you mean "${suggestion}", which exists?`);
  return { action: "create" };
}

/** A group marked deleted: read, so the preview names everyone who loses access, and refused while people are in it unless asked. */
async function planDeletion(
  ctx: ProviderContext,
  currentName: string,
  inputs: WorkspaceGroupInputs,
  failures: Failures,
): Promise<GroupPlan | undefined> {
  const group = await ctx.directory.findGroup({ kind: "name", name: currentName });
  if (group === undefined) {
    const suggestion = await ctx.directory.suggestGroupName(currentName);
    await ctx.diagnostics.warn(
      inputs.__urn,
      `workspace group "${currentName}" does not exist, so there is nothing to delete${suggestion ? `; did you mean "${suggestion}"?` : "."}`,
    );
    return { action: "none" };
  }
  const losses = everyMember(await ctx.groups.members(group.id));
  if (inputs.__urn !== undefined) {
    const conflicts = ctx.ownership.declare({
      owner: inputs.__urn,
      groupId: group.id,
      group: group.name,
      members: {},
      wholeGroup: false,
      deletesGroup: true,
    });
    failures.push(...conflicts.map((reason) => ({ property: "deleted", reason })));
  }
  const people = Object.keys(losses).sort();
  if (people.length > 0 && !inputs.deleteWithMembers)
    failures.push({ property: "deleteWithMembers", reason: deleteRefusal(group.name, losses, ALLOW_AT_CHECK) });
  if (failures.length > 0) return undefined;
  await ctx.diagnostics.warn(
    inputs.__urn,
    `workspace group "${group.name}" (id ${group.id}) is deleted` +
      (people.length === 0
        ? ": it has no members."
        : `: ${people.length === 1 ? "1 person loses" : `${people.length} people lose`} access: ${everyone(people)}${onePerLine(people) ? "" : "."}`),
  );
  return { action: "delete", groupId: group.id, losses };
}

async function checkNameFree(ctx: ProviderContext, currentName: string, newName: string, failures: Failures): Promise<void> {
  const holder = await ctx.directory.findGroup({ kind: "name", name: newName });
  if (holder === undefined || sameName(holder.name, currentName)) return;
  failures.push({
    property: "name",
    reason:
      `Workspace group "${currentName}" cannot be renamed to "${newName}": another group has that name ("${holder.name}", id ${holder.id}; ` +
      "names are unique ignoring case). Choose another name, or rename or delete that group first.",
  });
}

/** Why a group is not created: one has the name already; and how to take it on instead. */
export function alreadyExists(existing: Pick<WorkspaceGroup, "id" | "name">): string {
  return (
    `A workspace group named "${existing.name}" exists already (id ${existing.id}; names are unique ignoring case), so Pulumi would not create another. ` +
    "To manage the existing group with this resource, set `adoptExisting: true` on it (access.yaml does this for every group it lists); or choose another name."
  );
}
