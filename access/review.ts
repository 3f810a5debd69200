import { isKantataError } from "../lib/errors";
import { foldName } from "../provider/identity/references";
import { type MemberMap, type MembershipPlan } from "../provider/plan/memberships";
import { type Declaration, Ownership } from "../provider/plan/ownership";
import { UNKNOWN, isUnknown, requireKnown } from "../provider/runtime/inputs";
import { deleteKeeps } from "../provider/resources/userGroupMembership/plan";
import * as membership from "../provider/resources/userGroupMembership/state";
import { fieldChanges } from "../provider/resources/workspaceGroup/plan";
import * as workspaceGroup from "../provider/resources/workspaceGroup/state";
import { destroyPlan, updatePlan } from "../provider/resources/workspaceGroupMembers/plan";
import { type WorkspaceGroupMembersOutputs, decodeCheckedInputs, decodeOutputs } from "../provider/resources/workspaceGroupMembers/state";
import { type Guardrails, reviewGuardrails } from "./guardrails";
import type { PreviewJson, PreviewStep } from "./previewJson";
import { resourceName } from "./previewJson";

/**
 * Who gains and who loses access to which group, read from `pulumi preview --json`: the summary a
 * reviewer approves. It asks the provider's own planner about each step — the plan `check` recorded
 * after reading a group that comes under management, what state knows for an update, what a destroy
 * removes — so it names exactly the people whose access `pulumi up` then changes, and no one else.
 */

/**
 * A message whose names came from the account or the file (groups, people, resources): each renderer
 * shows them as inert text in its own way (a code span in Markdown), so a group named like a link or a
 * mention reads as the text it is. Numbers are the tool's own and are written in place.
 */
export type Message = ReadonlyArray<{ text: string } | { name: string }>;

/** Words of the tool's own inside a message: written as they are. */
export const words = (text: string) => ({ text });

/** "1 member", "3 members". */
export const count = (n: number, one: string, many: string) => words(`${n} ${n === 1 ? one : many}`);

/** `message\`… ${name} …\``: names (strings) stay apart from the words around them; numbers and `words(…)` are written in place. */
export function message(text: TemplateStringsArray, ...values: Array<string | number | { text: string }>): Message {
  const parts: Array<{ text: string } | { name: string }> = [];
  text.forEach((part, i) => {
    parts.push({ text: part });
    const value = values[i];
    if (typeof value === "string") parts.push({ name: value });
    else if (typeof value === "number") parts.push({ text: String(value) });
    else if (value !== undefined) parts.push(value);
  });
  return parts;
}

/** What happens to a workspace group itself, beside its members' access. */
export const GROUP_EVENTS = ["created", "adopted", "renamed", "updated", "deleted", "released"] as const;
export type GroupEvent = (typeof GROUP_EVENTS)[number];

export interface GroupChange {
  /**
   * created: a new group; adopted: an existing group comes under code as it is; renamed; updated: its
   * details change; deleted: the group is deleted, and everyone in it loses access; released: the group
   * leaves code, and it and its members stay as they are.
   */
  event: GroupEvent;
  /** For a rename: the name before. */
  renamedFrom?: string;
  /** The group's fields other than its name that the step sets: notes, company, contact fields. */
  fields: string[];
}

export interface GroupChanges {
  /** The group's name as Kantata spells it (after a rename, the new name). */
  group: string;
  groupId?: number;
  /** What happens to the group itself, when anything does. */
  change?: GroupChange;
  /** People who gain access. */
  gains: string[];
  /** People who lose access. */
  losses: string[];
  /** Declared people who have access already and are taken under management as they are: no change to their access. */
  unchanged: string[];
  warnings: Message[];
}

/** Who gains and loses access per group; and, where the stack has them, its rules, end dates and people who left. */
export interface AccessReview extends Partial<Guardrails> {
  groups: GroupChanges[];
}

const UNKNOWN_NOTE = "(not known until `pulumi up`: computed from another resource)";

/** How a person is named: the address, or "user 1003" for someone known only by id. */
const person = (key: string): string => (/^\d+$/.test(key) ? `user ${key}` : key);
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

const kindOf = (step: PreviewStep): unknown => step.newState?.inputs?.__kind ?? step.oldState?.inputs?.__kind ?? step.oldState?.outputs?.__kind;

const CREATING = new Set(["create", "create-replacement"]);
const DELETING = new Set(["delete", "delete-replaced"]);
const KINDS = ["WorkspaceGroup", "WorkspaceGroupMembers", "UserGroupMembership"];

/** A step whose deleting half the engine skips: the resource was declared with `retainOnDelete` (access.yaml's are). */
const retained = (step: PreviewStep): boolean => step.oldState?.retainOnDelete === true;

export function reviewPreview(preview: PreviewJson): AccessReview {
  // Each list only where it names something: a stack without rules or end dates is reviewed as before.
  const { rules, expiring, expired, inactive } = reviewGuardrails(preview.steps ?? []);
  return {
    ...reviewChanges(preview),
    ...(rules.length > 0 && { rules }),
    ...(expiring.length > 0 && { expiring }),
    ...(expired.length > 0 && { expired }),
    ...(inactive.length > 0 && { inactive }),
  };
}

function reviewChanges(preview: PreviewJson): AccessReview {
  const steps = (preview.steps ?? []).filter((step) => KINDS.includes(String(kindOf(step))));
  // A replace shows as one "replace" step in a preview; its halves only where the engine lists them apart.
  const replaced = new Set(steps.filter((step) => step.op === "replace").map((step) => step.urn));
  const reviewed = steps.filter((step) => !(replaced.has(step.urn) && (step.op === "create-replacement" || step.op === "delete-replaced")));
  const review = new Review(declarationsAfter(reviewed));
  // Groups first: their names (after a rename) are the ones the members' entries are shown under.
  const ordered = [
    ...reviewed.filter((step) => kindOf(step) === "WorkspaceGroup"),
    ...reviewed.filter((step) => kindOf(step) !== "WorkspaceGroup"),
  ];
  for (const step of ordered) {
    try {
      if (kindOf(step) === "WorkspaceGroup") reviewWorkspaceGroupStep(step, review);
      else if (kindOf(step) === "WorkspaceGroupMembers") reviewGroupStep(step, review);
      else reviewMembershipStep(step, review);
    } catch (error) {
      review
        .group(undefined, undefined)
        .warnings.push(message`${resourceName(step.urn)}: its state could not be read (${(error as Error).message}).`);
    }
  }
  review.settleDeletedGroups();
  return review.result();
}

/** Who declares which memberships once the change is applied: the claims a destroyed resource hands its members over to. */
function declarationsAfter(steps: readonly PreviewStep[]): Ownership {
  const ownership = new Ownership();
  for (const step of steps) {
    const inputs = step.newState?.inputs;
    if (DELETING.has(step.op) || inputs === undefined || kindOf(step) === "WorkspaceGroup") continue;
    const declaration = declarationOf(step.urn, kindOf(step), inputs);
    if (declaration !== undefined) ownership.declare(declaration);
  }
  return ownership;
}

/**
 * What a step's inputs declare, read by its kind's decoder; nothing where the group is not known yet,
 * or where the inputs cannot be read (the step's own review then says so).
 */
function declarationOf(owner: string, kind: unknown, inputs: Record<string, unknown>): Declaration | undefined {
  try {
    if (kind === "WorkspaceGroupMembers") {
      const { group, groupId, members } = decodeCheckedInputs(inputs);
      if (isUnknown(groupId)) return undefined;
      return { owner, groupId, group: String(group), members: isUnknown(members) ? {} : members, wholeGroup: false };
    }
    const { user, userId, group, groupId } = membership.decodeCheckedInputs(inputs);
    if (isUnknown(groupId)) return undefined;
    return { owner, groupId, group: String(group), members: isUnknown(userId) ? {} : { [String(user)]: userId }, wholeGroup: false };
  } catch (error) {
    if (isKantataError(error, "state")) return undefined;
    throw error;
  }
}

/** A WorkspaceGroup removed from the program and deleted by the engine, after its members' resources. */
interface EngineDeletion {
  outputs: workspaceGroup.WorkspaceGroupOutputs & { groupId: number };
  changes: GroupChanges;
}

class Review {
  private readonly groups: GroupChanges[] = [];
  private readonly byId = new Map<number, GroupChanges>();
  private readonly byName = new Map<string, GroupChanges>();
  /** The members' resources deleted in this change, by group id: what they leave behind in a group deleted after them. */
  readonly membersLeaving = new Map<number, Array<{ outputs: WorkspaceGroupMembersOutputs; plan: MembershipPlan }>>();
  readonly engineDeletions: EngineDeletion[] = [];

  constructor(readonly ownership: Ownership) {}

  /**
   * The entry of a group, found by id or by name (a group created in this change has no id yet, and
   * its members' resources know it by name); the first step to name a group names its entry.
   */
  group(name: unknown, groupId: unknown): GroupChanges {
    const group = typeof name === "string" && name !== UNKNOWN ? name : UNKNOWN_NOTE;
    const id = typeof groupId === "number" ? groupId : undefined;
    const named = group === UNKNOWN_NOTE ? undefined : foldName(group);
    let changes = (id !== undefined ? this.byId.get(id) : undefined) ?? (named !== undefined ? this.byName.get(named) : undefined);
    if (!changes) this.groups.push((changes = { group, gains: [], losses: [], unchanged: [], warnings: [] }));
    if (id !== undefined && changes.groupId === undefined) changes.groupId = id;
    if (id !== undefined) this.byId.set(id, changes);
    if (named !== undefined && !this.byName.has(named)) this.byName.set(named, changes);
    return changes;
  }

  add(changes: GroupChanges, plan: MembershipPlan): void {
    changes.gains.push(...Object.keys(plan.gains).map(person));
    changes.losses.push(...Object.keys(plan.losses).map(person));
    changes.unchanged.push(...Object.keys(plan.unchanged).map(person));
  }

  /**
   * Groups deleted by the engine (a WorkspaceGroup removed from a program without retainOnDelete): its
   * members' resources are deleted first, and the provider then refuses the deletion while anyone is
   * left, unless deleteWithMembers. Who is left is known as state last knew the group (its members'
   * resources record everyone their last read found).
   */
  settleDeletedGroups(): void {
    for (const { outputs, changes } of this.engineDeletions) {
      const leaving = this.membersLeaving.get(outputs.groupId);
      if (leaving === undefined) {
        changes.warnings.push(
          outputs.deleteWithMembers
            ? message`Anyone still in the group when it is deleted loses access; state does not record who is in it (no members' resource of this stack reads it).`
            : message`It is deleted only if nobody is in it by then; otherwise the deletion fails (deleteWithMembers is not set).`,
        );
        continue;
      }
      const left: MemberMap = {};
      for (const { outputs: members, plan } of leaving)
        for (const [key, userId] of Object.entries({ ...members.undeclared, ...members.members })) if (!(key in plan.losses)) left[key] = userId;
      const people = Object.keys(left).sort();
      if (people.length === 0) continue;
      if (outputs.deleteWithMembers) {
        changes.losses.push(...people.map(person));
        changes.warnings.push(message`Members as state last knew them: preview with --refresh to see changes made outside Pulumi.`);
      } else {
        changes.warnings.push(
          message`The deletion will fail: ${count(people.length, "member that no resource of this stack declares stays", "members that no resource of this stack declares stay")} in it (deleteWithMembers is not set).`,
        );
      }
    }
  }

  result(): AccessReview {
    const groups = this.groups
      .filter((g) => g.change !== undefined || g.gains.length + g.losses.length + g.unchanged.length + g.warnings.length > 0)
      .map((g) => ({ ...g, gains: sorted(g.gains), losses: sorted(g.losses), unchanged: sorted(g.unchanged) }));
    return { groups: groups.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)) };
  }
}

/** What a WorkspaceGroup step does to the group itself, and, when it deletes the group, to everyone in it. */
function reviewWorkspaceGroupStep(step: PreviewStep, review: Review): void {
  const name = resourceName(step.urn);
  if (DELETING.has(step.op) || step.op === "replace") {
    const before = workspaceGroup.decodeOutputs(step.oldState?.outputs ?? {});
    // A group deleted by a tombstone earlier: removing the tombstone changes nothing.
    if (!before.deleted && before.groupId !== undefined) {
      const changes = review.group(before.name, before.groupId);
      if (retained(step)) changes.change ??= { event: "released", fields: [] };
      else {
        changes.change = { event: "deleted", fields: [] };
        review.engineDeletions.push({ outputs: { ...before, groupId: before.groupId }, changes });
      }
    }
    if (step.op !== "replace") return;
  }
  if (!CREATING.has(step.op) && step.op !== "replace" && step.op !== "update") return;
  const after = workspaceGroup.decodeCheckedInputs(step.newState?.inputs ?? {});
  if (Object.values(after).some(isUnknown)) {
    review.group(after.name, undefined).warnings.push(message`${name}: the group's name or details are ${words(UNKNOWN_NOTE)}.`);
    return;
  }
  const declared = requireKnown(after);
  const before = step.op === "update" ? workspaceGroup.decodeOutputs(step.oldState?.outputs ?? {}) : undefined;
  const plan = declared.__plan;
  if (declared.deleted) {
    if (before?.deleted) return;
    const changes = review.group(before?.name ?? declared.name, plan?.action === "delete" ? plan.groupId : before?.groupId);
    if (plan?.action === "delete") {
      changes.change = { event: "deleted", fields: [] };
      changes.losses.push(...Object.keys(plan.losses).map(person));
    } else {
      changes.warnings.push(message`${name} asks to delete the group, but there was no group of that name to delete.`);
    }
    return;
  }
  if (before !== undefined && !before.deleted) {
    const changes = review.group(declared.name, before.groupId);
    const { name: renamed, ...fields } = fieldChanges(before, declared);
    const changed = Object.keys(fields);
    if (renamed !== undefined) changes.change = { event: "renamed", renamedFrom: before.name, fields: changed };
    else if (changed.length > 0) changes.change = { event: "updated", fields: changed };
    return;
  }
  if (plan?.action === "adopt") {
    const { name: _case, ...fields } = fieldChanges(plan.group, declared);
    review.group(plan.group.name, plan.group.id).change = { event: "adopted", fields: Object.keys(fields) };
  } else if (plan?.action === "create") {
    review.group(declared.name, undefined).change = { event: "created", fields: [] };
  }
}

function reviewGroupStep(step: PreviewStep, review: Review): void {
  const name = resourceName(step.urn);
  const creating = CREATING.has(step.op) || step.op === "replace";
  if ((DELETING.has(step.op) || step.op === "replace") && retained(step)) {
    // retainOnDelete: the engine forgets the resource without asking the provider; nobody's access changes.
    const before = decodeOutputs(step.oldState?.outputs ?? {});
    const changes = review.group(before.group, before.groupId);
    if (step.op === "replace")
      changes.warnings.push(message`${name} moves to another group; the members it added stay in ${before.group} (retainOnDelete).`);
    else changes.change ??= { event: "released", fields: [] };
    if (!creating) return;
  } else if (DELETING.has(step.op) || step.op === "replace") {
    const before = decodeOutputs(step.oldState?.outputs ?? {});
    const claimed = review.ownership.claimedElsewhere(before.groupId, step.urn);
    const plan = destroyPlan(before, claimed);
    const changes = review.group(before.group, before.groupId);
    review.add(changes, plan);
    if (!review.membersLeaving.has(before.groupId)) review.membersLeaving.set(before.groupId, []);
    review.membersLeaving.get(before.groupId)!.push({ outputs: before, plan });
    changes.warnings.push(
      step.op === "replace"
        ? message`${name} is replaced (its group changed): the members it added leave ${before.group}.`
        : message`${name} is removed from the program: the members it added lose access.`,
    );
    const kept = before.removePreexistingOnDestroy ? 0 : before.preexisting.length;
    if (kept > 0) changes.warnings.push(message`${count(kept, "member", "members")} who were in the group before ${name} keep access.`);
    const handedOver = Object.values(before.members).filter((userId) => claimed.has(userId)).length;
    if (handedOver > 0) changes.warnings.push(message`${count(handedOver, "member", "members")} now declared by another resource keep access.`);
    if (!creating) return;
  }
  if (!creating && step.op !== "update") return; // "same", "read", … change nobody's access
  const after = decodeCheckedInputs(step.newState?.inputs ?? {});
  const changes = review.group(after.group, after.groupId);
  const before = step.op === "update" ? decodeOutputs(step.oldState?.outputs ?? {}) : undefined;
  // A create carries the plan check made (for a group created in the same change, by its name alone);
  // an update asks the planner about what state knows, as the provider does.
  const plan =
    before === undefined
      ? after.__plan
      : isUnknown(after.groupId) || isUnknown(after.members) || isUnknown(after.mode)
        ? undefined
        : updatePlan(before, {
            ...after,
            group: String(after.group),
            groupId: after.groupId,
            members: after.members,
            mode: after.mode,
            maxRemovals: Number(after.maxRemovals),
            removePreexistingOnDestroy: after.removePreexistingOnDestroy === true,
          });
  if (plan === undefined) {
    changes.warnings.push(message`${name}: members are ${words(UNKNOWN_NOTE)}.`);
    return;
  }
  review.add(changes, plan);
  const ended = Object.keys(plan.losses).filter((key) => after.expired?.[key] !== undefined);
  for (const key of ended)
    changes.warnings.push(message`Access of ${person(key)} expired on ${words(after.expired?.[key] ?? "")}: they lose access.`);
  const managed = new Set(Object.values(before?.members ?? {}));
  const outsiders = Object.keys(plan.losses).filter((key) => !managed.has(plan.losses[key]));
  if (after.mode === "authoritative" && outsiders.length > 0) {
    changes.warnings.push(
      message`Authoritative: ${count(outsiders.length, "person not declared in code loses", "people not declared in code lose")} access (members added outside Pulumi).`,
    );
  }
  const losses = Object.keys(plan.losses).length;
  const maxRemovals = Number(after.maxRemovals);
  if (losses > 0 && Number.isFinite(maxRemovals) && losses >= Math.ceil(maxRemovals * 0.8)) {
    changes.warnings.push(
      message`Removes ${count(losses, "member", "members")}, ${words(losses > maxRemovals ? "over" : "near")} maxRemovals (${maxRemovals}).`,
    );
  }
}

function reviewMembershipStep(step: PreviewStep, review: Review): void {
  const name = resourceName(step.urn);
  if (DELETING.has(step.op) || step.op === "replace") {
    const before = membership.decodeOutputs(step.oldState?.id ?? "", step.oldState?.outputs ?? {});
    const changes = review.group(before.group, before.groupId);
    if (retained(step)) {
      changes.warnings.push(message`${name} leaves the program with retainOnDelete: ${person(before.user)} keeps access.`);
    } else if (deleteKeeps(before, review.ownership.claimedElsewhere(before.groupId, step.urn))) {
      changes.warnings.push(
        message`${name} is removed from the program; ${person(before.user)} keeps access, now declared by another resource.`,
      );
    } else {
      changes.losses.push(person(before.user));
    }
    if (step.op === "replace") {
      const after = membership.decodeCheckedInputs(step.newState?.inputs ?? {});
      review
        .group(after.group, after.groupId)
        .warnings.push(
          message`${name} is replaced (deleted and created again): ${person(before.user)} in ${before.group} → ${isUnknown(after.user) ? words(UNKNOWN_NOTE) : person(after.user)} in ${isUnknown(after.group) ? words(UNKNOWN_NOTE) : after.group}.`,
        );
    }
  }
  if (!CREATING.has(step.op) && step.op !== "replace") return; // updates rename or flip adoptExisting: nobody's access changes
  const after = membership.decodeCheckedInputs(step.newState?.inputs ?? {});
  const changes = review.group(after.group, after.groupId);
  if (after.__plan === undefined) {
    changes.warnings.push(message`${name}: the person or the group is ${words(UNKNOWN_NOTE)}.`);
    return;
  }
  review.add(changes, after.__plan);
}

/** Totals over every group. */
export function totals(review: AccessReview): { gains: number; losses: number; unchanged: number; groups: number } {
  const sum = (pick: (g: GroupChanges) => string[]) => review.groups.reduce((n, g) => n + pick(g).length, 0);
  return { gains: sum((g) => g.gains), losses: sum((g) => g.losses), unchanged: sum((g) => g.unchanged), groups: review.groups.length };
}

/** How many groups are created, renamed, deleted, …: every event, 0 where none. */
export function groupChangeTotals(review: AccessReview): Record<GroupEvent, number> {
  const totals = Object.fromEntries(GROUP_EVENTS.map((event) => [event, 0])) as Record<GroupEvent, number>;
  for (const { change } of review.groups) if (change) totals[change.event]++;
  return totals;
}

/** The change to a group itself, in a sentence (names kept apart, as in every message). */
export function describeGroupChange(change: GroupChange): Message {
  const fields = change.fields.length > 0 ? ` Up sets its ${change.fields.join(", ")}.` : "";
  switch (change.event) {
    case "created":
      return message`New group: created by this change.`;
    case "adopted":
      return message`Existing group: taken under management as it is.${words(fields)}`;
    case "renamed":
      return message`Renamed from ${change.renamedFrom ?? ""}.${words(fields)}`;
    case "updated":
      return message`${words(fields.trim())}`;
    case "deleted":
      return message`Deleted by this change: everyone in it loses access.`;
    case "released":
      return message`Released from code: the group and its members stay as they are.`;
  }
}
