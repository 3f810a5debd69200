import type * as pulumi from "@pulumi/pulumi";
import {
  type AccessRule,
  type AllowedDomainsRule,
  type Holding,
  type RuleFacts,
  type RuleOutcome,
  describeRule,
  groupsNamed,
  judgeRule,
} from "../../plan/rules";
import { resourceLabel } from "../../plan/ownership";
import { type HandedOver, nameInUrn } from "../../runtime/judged";
import { type RuleSource, decodeSource } from "./source";
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

/** A problem the rules' check reports, and where in the access file it comes from (when it comes from one). */
interface Problem {
  property: string;
  reason: string;
  line?: number;
}

/** Where an AccessRules' problems come from, for its messages: FILE:LINE with an access file's source, else the resource and property. */
class Places {
  constructor(
    private readonly source: RuleSource | undefined,
    private readonly ownership: ProviderContext["ownership"],
  ) {}

  /** A rule's problem, at the rule's line. */
  rule(index: number, reason: string): Problem {
    return { property: `rules[${index}]`, reason, line: this.source?.rules[index] };
  }

  /** A problem a members' resource handed over: at the person's line, else the group's. */
  handedOver({ owner, property, reason, member }: HandedOver): Problem {
    const group = this.source?.groups[nameInUrn(owner)];
    const at = `${nameInUrn(owner)}.${property}`;
    if (group === undefined) return { property: at, reason: `${resourceLabel(owner)}: ${reason}` };
    return { property: at, reason: `group "${group.name}": ${reason}`, line: group.members[member ?? ""] ?? group.line };
  }

  /**
   * The addresses to judge from their text, before any look-up, and where: an access file's members as
   * written (without people whose access ended or who left); in a program, the addresses its resources
   * handed over unresolved (unknown to Kantata OX). The addresses a program's resources resolved are
   * judged with the facts, from their text as well.
   */
  declaredAddresses(handed: readonly HandedOver[]): Array<{ group: string; address: string; line?: number }> {
    const declarations = this.ownership.everyDeclaration();
    if (this.source === undefined) {
      const groupOf = (owner: string) => declarations.find((d) => d.owner === owner)?.group ?? resourceLabel(owner);
      return handed.flatMap(({ owner, member }) => (member?.includes("@") ? [{ group: groupOf(owner), address: member }] : []));
    }
    const inactive = new Set(declarations.flatMap((d) => Object.keys(d.inactive ?? {})));
    return Object.values(this.source.groups).flatMap((g) =>
      Object.entries(g.members)
        .filter(([address]) => address.includes("@") && !inactive.has(address))
        .map(([address, line]) => ({ group: g.name, address, line })),
    );
  }

  /** As the engine shows it: FILE:LINE first, when known; sorted by line. */
  failures(problems: readonly Problem[]): Failures {
    const at = (p: Problem) => p.line ?? Number.MAX_SAFE_INTEGER;
    return [...problems]
      .sort((a, b) => at(a) - at(b))
      .map((p) => ({
        property: p.property,
        reason: p.line !== undefined && this.source ? `${this.source.file}:${p.line}: ${p.reason}` : p.reason,
      }));
  }
}

/**
 * An allowedDomains rule judged on the declared addresses, before any look-up: the text of an address
 * is enough, whether or not Kantata OX knows it. One problem per address, at its line, naming the rule
 * and (from a file) the rule's line.
 */
function declaredOutside(
  rule: AllowedDomainsRule,
  index: number,
  places: Places,
  handed: readonly HandedOver[],
  source: RuleSource | undefined,
): { problems: Problem[]; named: Set<string> } {
  const scope = rule.groups && new Set(rule.groups.map(foldName));
  const allowed = new Set(rule.allowedDomains);
  const outside = places
    .declaredAddresses(handed)
    .filter(
      ({ group, address }) => (scope === undefined || scope.has(foldName(group))) && !allowed.has(address.slice(address.lastIndexOf("@") + 1)),
    );
  const ruleAt = source && source.rules[index] !== undefined ? ` (the rule: ${source.file}:${source.rules[index]})` : "";
  const problems = outside.map(({ group, address, line }) => ({
    property: `rules[${index}]`,
    reason: `rule ${index + 1} (${describeRule(rule)}${rule.reason ? ` — ${rule.reason}` : ""}) is broken: ${address} in "${group}" is not at ${rule.allowedDomains.join(", ")}${ruleAt}.`,
    ...(line !== undefined && { line }),
  }));
  return { problems, named: new Set(outside.map(({ address }) => address)) };
}

/** The facts without these people, for a rule whose judgement already named them. */
function without(facts: RuleFacts, named: ReadonlySet<string>): RuleFacts {
  if (named.size === 0) return facts;
  const keep = (h: Holding): Holding => ({
    ...h,
    holders: h.holders.filter((holder) => holder.email === undefined || !named.has(holder.email)),
  });
  return { named: (name) => mapped(facts.named(name), keep), managed: facts.managed.map(keep) };
}

const mapped = <T, U>(value: T | undefined, f: (value: T) => U): U | undefined => (value === undefined ? undefined : f(value));

/**
 * Validates the rules and judges each against what the groups will hold after `up` (see facts.ts),
 * reporting every problem at once, so one preview names them all: the problems the members' resources it
 * judges handed over (unknown addresses, unknown groups: see runtime/judged.ts), allowedDomains broken by
 * a declared address (judged from the text, before any look-up), every rule naming a group no group has
 * (with the closest name), and every broken rule, naming the rule, its reason, the groups and the
 * people. With an access file's source (declareAccess), each starts with FILE:LINE. Rules naming a group
 * computed from another resource cannot be judged at preview: the check at `up` judges them, after the
 * groups are applied.
 */
export async function checkAccessRules(ctx: ProviderContext, news: Bag): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const failures: Failures = [];
  const urn = typeof news.__urn === "string" ? { __urn: news.__urn } : {};
  const source = decodeSource(news.__source);
  const places = new Places(source, ctx.ownership);
  const handed = urn.__urn === undefined ? [] : ctx.judged.handedTo(nameInUrn(urn.__urn));
  const problems = handed.map((p) => places.handedOver(p));
  // Not known until `up`, where the engine checks the resource again with every value known.
  if (holdsUnknown(news.rules)) return problems.length > 0 ? { failures: places.failures(problems) } : { inputs: { rules: UNKNOWN, ...urn } };
  const rules = parseRules(news.rules, failures);
  if (rules === undefined || failures.length > 0) return { failures: [...places.failures(problems), ...failures] };
  const named = rules.map((rule, index) => {
    if (!("allowedDomains" in rule)) return new Set<string>();
    const outside = declaredOutside(rule, index, places, handed, source);
    problems.push(...outside.problems);
    return outside.named;
  });
  const indexOf = new Map<string, number>();
  rules.forEach((rule, index) => groupsNamed(rule).forEach((name) => indexOf.set(foldName(name), indexOf.get(foldName(name)) ?? index)));
  const unknownGroups: Failures = [];
  const facts = await gatherFacts(
    ctx,
    {
      names: rules.flatMap(groupsNamed),
      everyManagedGroup: rules.some((rule) => "allowedDomains" in rule && rule.groups === undefined),
      addresses: rules.some((rule) => "allowedDomains" in rule),
      property: (name) => `rules[${indexOf.get(foldName(name)) ?? 0}]`,
    },
    unknownGroups,
  );
  for (const { property, reason } of unknownGroups) problems.push(places.rule(Number(/\d+/.exec(property)?.[0] ?? 0), reason));
  const evaluation: RuleOutcome[] = [];
  rules.forEach((rule, index) => {
    // A rule naming a group no group has was reported above; it is judged once the name is right.
    if (groupsNamed(rule).some((name) => facts.named(name) === undefined)) return;
    const { outcome, violation } = judgeRule(rule, `rule ${index + 1}`, without(facts, named[index]));
    evaluation.push(outcome);
    if (violation) problems.push(places.rule(index, violation));
  });
  if (problems.length > 0) return { failures: places.failures(problems) };
  return { inputs: { rules, ...urn, __evaluation: evaluation } };
}
