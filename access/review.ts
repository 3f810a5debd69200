import { UNKNOWN } from "../provider/dynamic/inputs";
import type { PreviewJson, PreviewState, PreviewStep } from "./previewJson";
import { resourceName } from "./previewJson";

/**
 * Who gains and who loses access to which group, read from `pulumi preview --json`: the summary a
 * reviewer approves. Pure: the preview already holds every state it needs.
 */

export interface GroupChanges {
  group: string;
  gains: string[];
  losses: string[];
  /** People this change takes under management as they are (adoptExisting), without adding them. */
  adoptions: string[];
  /** Declared by a new WorkspaceGroupMembers: they gain access unless they are members already. */
  takenOn: string[];
  warnings: string[];
}

export interface AccessReview {
  groups: GroupChanges[];
}

const UNKNOWN_NOTE = "(not known until `pulumi up`: computed from another resource)";

type Members = Map<number, string>;

const kindOf = (step: PreviewStep): string | undefined => (step.newState?.inputs?.__kind ?? step.oldState?.inputs?.__kind) as string | undefined;

/** The people a WorkspaceGroupMembers state lists, user id → key. Outputs, when present, say what exists. */
function membersIn(state: PreviewState | undefined, part: "inputs" | "outputs"): Members | typeof UNKNOWN {
  const bag = state?.[part];
  const members = bag?.members;
  if (members === UNKNOWN) return UNKNOWN;
  const entries = Object.entries((members ?? {}) as Record<string, number>);
  if (part === "outputs") entries.push(...Object.entries((bag?.undeclared ?? {}) as Record<string, number>));
  return new Map(entries.map(([key, id]) => [id, key]));
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export function reviewPreview(preview: PreviewJson): AccessReview {
  const groups = new Map<string, GroupChanges>();
  const groupFor = (name: unknown): GroupChanges => {
    const group = typeof name === "string" && name !== UNKNOWN ? name : UNKNOWN_NOTE;
    let changes = groups.get(group);
    if (!changes) groups.set(group, (changes = { group, gains: [], losses: [], adoptions: [], takenOn: [], warnings: [] }));
    return changes;
  };
  for (const step of preview.steps ?? []) {
    const kind = kindOf(step);
    if (kind === "WorkspaceGroupMembers") reviewGroupStep(step, groupFor);
    else if (kind === "UserGroupMembership") reviewMembershipStep(step, groupFor);
  }
  const result = [...groups.values()].filter(
    (g) => g.gains.length + g.losses.length + g.adoptions.length + g.takenOn.length + g.warnings.length > 0,
  );
  for (const g of result) {
    g.gains = sorted(g.gains);
    g.losses = sorted(g.losses);
    g.adoptions = sorted(g.adoptions);
    g.takenOn = sorted(g.takenOn);
  }
  return { groups: result.sort((a, b) => a.group.localeCompare(b.group)) };
}

const REPLACING = new Set(["replace", "create-replacement"]);

function reviewGroupStep(step: PreviewStep, groupFor: (name: unknown) => GroupChanges): void {
  const before = step.oldState?.outputs ? membersIn(step.oldState, "outputs") : membersIn(step.oldState, "inputs");
  const after = membersIn(step.newState, "inputs");
  const oldInputs = step.oldState?.inputs ?? {};
  const newInputs = step.newState?.inputs ?? {};
  if (step.op === "delete" || step.op === "delete-replaced") {
    if (step.op === "delete-replaced") return; // reported with its replacement
    const changes = groupFor(oldInputs.group);
    // Destroy keeps the members who were there before the resource, unless it was told to remove them too.
    const kept = new Set(oldInputs.removePreexistingOnDestroy ? [] : ((step.oldState?.outputs?.preexisting ?? []) as string[]));
    if (before !== UNKNOWN) for (const key of before.values()) if (!kept.has(key)) changes.losses.push(key);
    changes.warnings.push(
      `\`${resourceName(step.urn)}\` is destroyed: the members it added lose access${kept.size > 0 ? `; ${kept.size} who were members before it keep it` : ""}.`,
    );
    return;
  }
  const changes = groupFor(newInputs.group);
  if (after === UNKNOWN) {
    changes.warnings.push(`\`${resourceName(step.urn)}\`: members ${UNKNOWN_NOTE}.`);
    return;
  }
  if (step.op === "create") {
    changes.takenOn.push(...after.values());
    return;
  }
  if (REPLACING.has(step.op)) {
    const oldChanges = groupFor(oldInputs.group);
    if (before !== UNKNOWN) oldChanges.losses.push(...before.values());
    changes.gains.push(...after.values());
    changes.warnings.push(
      `\`${resourceName(step.urn)}\` is replaced (its group changed): members are removed from "${String(oldInputs.group)}" and added to "${String(newInputs.group)}".`,
    );
    return;
  }
  if (step.op !== "update" || before === UNKNOWN) return;
  for (const [id, key] of after) if (!before.has(id)) changes.gains.push(key);
  const losses = [...before].filter(([id]) => !after.has(id)).map(([, key]) => key);
  changes.losses.push(...losses);
  const undeclared = new Set(Object.keys(step.oldState?.outputs?.undeclared ?? {}));
  const notInCode = losses.filter((key) => undeclared.has(key));
  if (notInCode.length > 0) {
    changes.warnings.push(
      `Authoritative removal of ${notInCode.length} ${notInCode.length === 1 ? "person" : "people"} not declared in code (added outside Pulumi): ${notInCode.join(", ")}.`,
    );
  }
  const maxRemovals = Number(newInputs.maxRemovals);
  if (losses.length > 0 && Number.isFinite(maxRemovals) && losses.length >= Math.ceil(maxRemovals * 0.8)) {
    changes.warnings.push(
      `Removes ${losses.length} ${losses.length === 1 ? "member" : "members"}, ${losses.length > maxRemovals ? "over" : "near"} maxRemovals (${maxRemovals}).`,
    );
  }
}

function reviewMembershipStep(step: PreviewStep, groupFor: (name: unknown) => GroupChanges): void {
  const oldInputs = step.oldState?.inputs ?? {};
  const newInputs = step.newState?.inputs ?? {};
  const person = (inputs: Record<string, unknown>) => (inputs.user === UNKNOWN ? UNKNOWN_NOTE : String(inputs.user));
  switch (step.op) {
    case "create": {
      const changes = groupFor(newInputs.group);
      if (newInputs.adoptExisting === true) changes.adoptions.push(person(newInputs));
      else changes.gains.push(person(newInputs));
      return;
    }
    case "delete":
      groupFor(oldInputs.group).losses.push(person(oldInputs));
      return;
    case "replace":
    case "create-replacement": {
      groupFor(oldInputs.group).losses.push(person(oldInputs));
      const changes = groupFor(newInputs.group);
      changes.gains.push(person(newInputs));
      changes.warnings.push(
        `\`${resourceName(step.urn)}\` is replaced (deleted and created again): ${person(oldInputs)} → ${person(newInputs)}.`,
      );
      return;
    }
    default:
      return; // "same", renames and adoptExisting flips change nobody's access
  }
}

/** Totals over every group. */
export function totals(review: AccessReview): { gains: number; losses: number; adoptions: number; takenOn: number; groups: number } {
  const sum = (pick: (g: GroupChanges) => string[]) => review.groups.reduce((n, g) => n + pick(g).length, 0);
  return {
    gains: sum((g) => g.gains),
    losses: sum((g) => g.losses),
    adoptions: sum((g) => g.adoptions),
    takenOn: sum((g) => g.takenOn),
    groups: review.groups.length,
  };
}
