import { type Day, accessToday, expiresSoon } from "../lib/calendar";
import type { AccessRule, RuleOutcome } from "../provider/plan/rules";
import * as rules from "../provider/resources/accessRules/state";
import { isUnknown } from "../provider/runtime/inputs";
import { decodeCheckedInputs, decodeOutputs } from "../provider/resources/workspaceGroupMembers/state";
import type { PreviewStep } from "./previewJson";

/**
 * What a reviewer should know beyond who gains and loses access, from the same preview: which rules the
 * change was checked against (a preview that breaks one fails, so every rule in a review holds), whose
 * access ends soon or has ended, and who is named in a group but has left. Read from every step of the
 * stack's groups and rules, unchanged ones included, so it appears in every review until the file changes.
 */

export interface RuleReview {
  /** The rule; absent when it names a group computed from another resource (judged at `up`). */
  rule?: AccessRule;
  /** "holds" after this change; "removed": checked until now, no longer after this change; "unknown": judged at `up`. */
  status: "holds" | "removed" | "unknown";
  /** What it looked at: the groups and how many people they will hold. */
  outcome?: RuleOutcome;
}

/** A person's end date in a group: the last day they have access. */
export interface EndDateNote {
  group: string;
  person: string;
  until: Day;
}

export interface InactiveNote {
  group: string;
  person: string;
}

export interface Guardrails {
  rules: RuleReview[];
  /** Access that ends within the warning window (14 days), counted from the day the program judged end dates against. */
  expiring: EndDateNote[];
  /** People still listed whose access has ended: left out of the group's members. */
  expired: EndDateNote[];
  /** People listed whose Kantata OX login is disabled: to remove from access.yaml. */
  inactive: InactiveNote[];
}

const kindOf = (step: PreviewStep): unknown => step.newState?.inputs?.__kind ?? step.oldState?.inputs?.__kind ?? step.oldState?.outputs?.__kind;
const DELETING = new Set(["delete", "delete-replaced"]);
const person = (key: string): string => (/^\d+$/.test(key) ? `user ${key}` : key);
const byGroupThenPerson = <T extends { group: string; person: string }>(a: T, b: T) =>
  a.group.localeCompare(b.group) || a.person.localeCompare(b.person);
const sameRule = (a: AccessRule, b: AccessRule) => JSON.stringify(a) === JSON.stringify(b);

/** The group's records as the step leaves them: the checked inputs, or (a step without them) the recorded outputs. */
function groupAfter(step: PreviewStep) {
  const inputs = step.newState?.inputs;
  if (inputs !== undefined) return decodeCheckedInputs(inputs);
  const outputs = step.oldState?.outputs;
  return outputs === undefined ? undefined : decodeOutputs(outputs);
}

function groupNotes(steps: readonly PreviewStep[], guardrails: Guardrails): void {
  for (const step of steps) {
    if (kindOf(step) !== "WorkspaceGroupMembers" || DELETING.has(step.op)) continue;
    const after = groupAfter(step);
    if (after === undefined || isUnknown(after.group)) continue;
    const group = after.group;
    const today = ("__today" in after ? after.__today : undefined) ?? accessToday();
    for (const [key, until] of Object.entries(after.expires ?? {}))
      if (expiresSoon(until, today)) guardrails.expiring.push({ group, person: person(key), until });
    for (const [key, until] of Object.entries(after.expired ?? {})) guardrails.expired.push({ group, person: person(key), until });
    for (const key of Object.keys(after.inactive ?? {})) guardrails.inactive.push({ group, person: person(key) });
  }
}

function ruleNotes(steps: readonly PreviewStep[], guardrails: Guardrails): void {
  for (const step of steps) {
    if (kindOf(step) !== "AccessRules") continue;
    const before = step.oldState?.outputs === undefined ? [] : rules.decodeOutputs(step.oldState.outputs).rules;
    if (DELETING.has(step.op)) {
      guardrails.rules.push(...before.map((rule): RuleReview => ({ rule, status: "removed" })));
      continue;
    }
    const inputs = step.newState?.inputs;
    const after = inputs === undefined ? undefined : rules.decodeCheckedInputs(inputs);
    const now = after === undefined ? before : after.rules;
    if (isUnknown(now)) {
      guardrails.rules.push({ status: "unknown" });
      continue;
    }
    const evaluation =
      after?.__evaluation ?? (step.oldState?.outputs === undefined ? [] : rules.decodeOutputs(step.oldState.outputs).evaluation);
    guardrails.rules.push(...now.map((rule, i): RuleReview => ({ rule, status: "holds", ...(evaluation[i] && { outcome: evaluation[i] }) })));
    guardrails.rules.push(
      ...before.filter((old) => !now.some((rule) => sameRule(rule, old))).map((rule): RuleReview => ({ rule, status: "removed" })),
    );
  }
}

/** Which step of a resource says most about it after the change: a step that keeps it, then one that deletes it, then its refresh. */
const rank = (step: PreviewStep): number => (step.op === "refresh" ? 1 : DELETING.has(step.op) ? 2 : 3);

/**
 * One step per resource: what the change does to it, or else (a `--refresh` preview without
 * `--show-sames` lists unchanged resources only so) its refresh, whose new state is what state holds.
 */
function stepPerResource(steps: readonly PreviewStep[]): PreviewStep[] {
  const chosen = new Map<string, PreviewStep>();
  for (const step of steps) {
    const current = chosen.get(step.urn);
    if (step.op !== "read" && (current === undefined || rank(step) > rank(current))) chosen.set(step.urn, step);
  }
  return [...chosen.values()];
}

/** The guardrails of a preview's steps; each list sorted by group, then person. */
export function reviewGuardrails(previewSteps: readonly PreviewStep[]): Guardrails {
  const guardrails: Guardrails = { rules: [], expiring: [], expired: [], inactive: [] };
  const steps = stepPerResource(previewSteps);
  groupNotes(steps, guardrails);
  ruleNotes(steps, guardrails);
  guardrails.expiring.sort(byGroupThenPerson);
  guardrails.expired.sort(byGroupThenPerson);
  guardrails.inactive.sort(byGroupThenPerson);
  return guardrails;
}
