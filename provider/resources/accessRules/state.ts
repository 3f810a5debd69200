import type { AccessRule, RuleOutcome } from "../../plan/rules";
import { parseRule } from "../../runtime/ruleInputs";
import { isBag, orUnknown, urnOf, whole } from "../../runtime/decode";
import { StateError } from "../../runtime/errors";
import { UNKNOWN } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";

/**
 * What an AccessRules resource keeps in Pulumi state. It has no Kantata OX object: state records the
 * rules (so a change to them is an ordinary diff) and what their last evaluation looked at.
 */
export interface AccessRulesInputs {
  rules: AccessRule[];
  /** The resource's URN, set by the program-side class (hidden from the diff). */
  __urn?: string;
  /** What each rule looked at in this check, for the review (hidden from the diff); absent when the rules could not be evaluated at preview. */
  __evaluation?: RuleOutcome[];
}

/** What `check` returns: rules naming a group computed from another resource are unknown until `up`. */
export type CheckedInputs = Omit<AccessRulesInputs, "rules"> & { rules: AccessRule[] | typeof UNKNOWN };

export interface AccessRulesOutputs {
  rules: AccessRule[];
  /** What each rule looked at when the rules were last applied. */
  evaluation: RuleOutcome[];
  __urn?: string;
}

/** The one id every AccessRules resource has: there is nothing in Kantata OX to point at. */
export const RULES_ID = "rules";

function rules(value: unknown): AccessRule[] {
  if (!Array.isArray(value)) throw new StateError("rules is not a list of rules");
  return value.map((item, i) => {
    const { rule, problems } = parseRule(item);
    if (rule === undefined) throw new StateError(`rules[${i}] is not a rule (${problems.map((p) => p.message).join("; ")})`);
    return rule;
  });
}

function evaluation(value: unknown, where: string): RuleOutcome[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new StateError(`${where} is not a list`);
  return value.map((item, i) => {
    if (!isBag(item) || !Array.isArray(item.groups) || !item.groups.every((g): g is string => typeof g === "string"))
      throw new StateError(`${where}[${i}] is not a rule's outcome`);
    return { groups: item.groups, people: whole(item.people, `${where}[${i}].people`) };
  });
}

export function decodeCheckedInputs(bag: Bag): CheckedInputs {
  const evaluated = bag.__evaluation === undefined ? undefined : evaluation(bag.__evaluation, "__evaluation");
  return { rules: orUnknown(bag.rules, rules), ...urnOf(bag), ...(evaluated && { __evaluation: evaluated }) };
}

export function decodeOutputs(bag: Bag): AccessRulesOutputs {
  return { rules: rules(bag.rules), evaluation: evaluation(bag.evaluation, "evaluation"), ...urnOf(bag) };
}

export const outputsOf = (inputs: AccessRulesInputs): AccessRulesOutputs => ({
  rules: inputs.rules,
  evaluation: inputs.__evaluation ?? [],
  ...(inputs.__urn !== undefined && { __urn: inputs.__urn }),
});
