import { type MemberMap, type MembershipPlan } from "../provider/plan/memberships";
import { Ownership } from "../provider/plan/ownership";
import { UNKNOWN, isUnknown } from "../provider/runtime/inputs";
import { deleteKeeps } from "../provider/resources/userGroupMembership/plan";
import * as membership from "../provider/resources/userGroupMembership/state";
import { destroyPlan, updatePlan } from "../provider/resources/workspaceGroupMembers/plan";
import { decodeCheckedInputs, decodeOutputs } from "../provider/resources/workspaceGroupMembers/state";
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

export interface GroupChanges {
  /** The group's name as Kantata spells it. */
  group: string;
  groupId?: number;
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
  const steps = (preview.steps ?? []).filter((step) => kindOf(step) === "WorkspaceGroupMembers" || kindOf(step) === "UserGroupMembership");
  // A replace shows as one "replace" step in a preview; its halves only where the engine lists them apart.
  const replaced = new Set(steps.filter((step) => step.op === "replace").map((step) => step.urn));
  const reviewed = steps.filter((step) => !(replaced.has(step.urn) && (step.op === "create-replacement" || step.op === "delete-replaced")));
  const review = new Review(declarationsAfter(reviewed));
  for (const step of reviewed) {
    try {
      if (kindOf(step) === "WorkspaceGroupMembers") reviewGroupStep(step, review);
      else reviewMembershipStep(step, review);
    } catch (error) {
      review
        .group(undefined, undefined)
        .warnings.push(message`${resourceName(step.urn)}: its state could not be read (${(error as Error).message}).`);
    }
  }
  return review.result();
}

/** Who declares which memberships once the change is applied: the claims a destroyed resource hands its members over to. */
function declarationsAfter(steps: readonly PreviewStep[]): Ownership {
  const ownership = new Ownership();
  for (const step of steps) {
    const inputs = step.newState?.inputs;
    if (DELETING.has(step.op) || inputs === undefined) continue;
    const groupId = inputs.groupId;
    if (typeof groupId !== "number") continue;
    const members =
      kindOf(step) === "WorkspaceGroupMembers"
        ? isUnknown(inputs.members)
          ? {}
          : (inputs.members as MemberMap)
        : typeof inputs.userId === "number"
          ? { [String(inputs.user)]: inputs.userId }
          : {};
    ownership.declare({ owner: step.urn, groupId, group: String(inputs.group), members, wholeGroup: false });
  }
  return ownership;
}

class Review {
  private readonly groups = new Map<string, GroupChanges>();

  constructor(readonly ownership: Ownership) {}

  group(name: unknown, groupId: unknown): GroupChanges {
    const group = typeof name === "string" && name !== UNKNOWN ? name : UNKNOWN_NOTE;
    const id = typeof groupId === "number" ? groupId : undefined;
    const key = id !== undefined ? `#${id}` : group;
    let changes = this.groups.get(key);
    if (!changes)
      this.groups.set(key, (changes = { group, ...(id !== undefined && { groupId: id }), gains: [], losses: [], unchanged: [], warnings: [] }));
    return changes;
  }

  add(changes: GroupChanges, plan: MembershipPlan): void {
    changes.gains.push(...Object.keys(plan.gains).map(person));
    changes.losses.push(...Object.keys(plan.losses).map(person));
    changes.unchanged.push(...Object.keys(plan.unchanged).map(person));
  }

  result(): AccessReview {
    const groups = [...this.groups.values()]
      .filter((g) => g.gains.length + g.losses.length + g.unchanged.length + g.warnings.length > 0)
      .map((g) => ({ ...g, gains: sorted(g.gains), losses: sorted(g.losses), unchanged: sorted(g.unchanged) }));
    return { groups: groups.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)) };
  }
}

function reviewGroupStep(step: PreviewStep, review: Review): void {
  const name = resourceName(step.urn);
  const creating = CREATING.has(step.op) || step.op === "replace";
  if (DELETING.has(step.op) || step.op === "replace") {
    const before = decodeOutputs(step.oldState?.outputs ?? {});
    const claimed = review.ownership.claimedElsewhere(before.groupId, step.urn);
    const plan = destroyPlan(before, claimed);
    const changes = review.group(before.group, before.groupId);
    review.add(changes, plan);
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
  if (isUnknown(after.groupId) || isUnknown(after.members) || isUnknown(after.mode)) {
    changes.warnings.push(message`${name}: members are ${words(UNKNOWN_NOTE)}.`);
    return;
  }
  const known = { ...after, groupId: after.groupId, members: after.members, mode: after.mode, group: String(after.group) };
  const before = step.op === "update" ? decodeOutputs(step.oldState?.outputs ?? {}) : undefined;
  const plan = before
    ? updatePlan(before, {
        ...known,
        maxRemovals: Number(after.maxRemovals),
        removePreexistingOnDestroy: after.removePreexistingOnDestroy === true,
      })
    : after.__plan;
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
  if (known.mode === "authoritative" && outsiders.length > 0) {
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
    if (deleteKeeps(before, review.ownership.claimedElsewhere(before.groupId, step.urn))) {
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
