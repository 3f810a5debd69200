import type * as pulumi from "@pulumi/pulumi";
import { type AccessRule, type RuleOutcome, groupsNamed, judgeRule } from "../../plan/rules";
import { parseRule } from "../../runtime/ruleInputs";
import { foldName } from "../../identity/references";
import type { ProviderContext } from "../../runtime/context";
import { isBag } from "../../runtime/decode";
import { type Failures, UNKNOWN, describeValue, isUnknown } from "../../runtime/inputs";
import type { Bag } from "../../runtime/kindProvider";
import { gatherFacts } from "./facts";
import type { CheckedInputs } from "./state";

/** A value with the preview's unknown sentinel anywhere inside (a group name computed from another resource). */
const holdsUnknown = (value: unknown): boolean =>
  isUnknown(value) || (Array.isArray(value) ? value.some(holdsUnknown) : isBag(value) && Object.values(value).some(holdsUnknown));

/** `rules[2].maxMembers.max`: where a problem is, as a property name. */
const propertyAt = (index: number, path: ReadonlyArray<string | number>) =>
  `rules[${index}]${path.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("")}`;

function parseRules(value: unknown, failures: Failures): AccessRule[] | undefined {
  if (!Array.isArray(value)) {
    failures.push({
      property: "rules",
      reason: `rules must be a list of rules, such as [{ separate: ["Finance-Approvers", "Finance-Requesters"] }]; got ${describeValue(value)}.`,
    });
    return undefined;
  }
  const rules: AccessRule[] = [];
  value.forEach((item, index) => {
    const { rule, problems } = parseRule(item);
    for (const problem of problems) failures.push({ property: propertyAt(index, problem.path), reason: `rules[${index}]: ${problem.message}.` });
    if (rule) rules.push(rule);
  });
  return rules;
}

/**
 * Validates the rules and judges each against what the groups will hold after `up` (see facts.ts).
 * Every broken rule is a check failure of its own, so the preview fails at once, naming the rule, its
 * reason, the groups and the people; a group name no group has fails with the closest one. Rules
 * naming a group computed from another resource cannot be judged at preview: the check at `up` judges
 * them, after the groups are applied.
 */
export async function checkAccessRules(ctx: ProviderContext, news: Bag): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const failures: Failures = [];
  const urn = typeof news.__urn === "string" ? { __urn: news.__urn } : {};
  // Not known until `up`, where the engine checks the resource again with every value known.
  if (holdsUnknown(news.rules)) return { inputs: { rules: UNKNOWN, ...urn } };
  const rules = parseRules(news.rules, failures);
  if (rules === undefined || failures.length > 0) return { failures };

  const indexOf = new Map<string, number>();
  rules.forEach((rule, index) => groupsNamed(rule).forEach((name) => indexOf.set(foldName(name), indexOf.get(foldName(name)) ?? index)));
  const facts = await gatherFacts(
    ctx,
    {
      names: rules.flatMap(groupsNamed),
      everyManagedGroup: rules.some((rule) => "allowedDomains" in rule && rule.groups === undefined),
      addresses: rules.some((rule) => "allowedDomains" in rule),
      property: (name) => `rules[${indexOf.get(foldName(name)) ?? 0}]`,
    },
    failures,
  );
  if (facts === undefined) return { failures };
  const evaluation: RuleOutcome[] = [];
  rules.forEach((rule, index) => {
    const { outcome, violation } = judgeRule(rule, `rule ${index + 1}`, facts);
    evaluation.push(outcome);
    if (violation) failures.push({ property: `rules[${index}]`, reason: violation });
  });
  if (failures.length > 0) return { failures };
  return { inputs: { rules, ...urn, __evaluation: evaluation } };
}
