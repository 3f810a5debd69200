import { foldName } from "../identity/references";
import { closestMatch } from "../identity/suggest";
import { type AccessRule, type MaxMembersRule, RULE_KINDS, type RuleKind } from "../plan/rules";
import { isBag } from "./decode";

/**
 * Reading access rules from plain data: a program's `AccessRules` argument, parsed access.yaml, or
 * state. One reader for all three, so a rule means the same wherever it is written; every problem is
 * reported with where it is inside the rule, for a property name or a FILE:LINE:COLUMN.
 */

/** What is wrong, and where inside the rule (a path of keys and indexes, for FILE:LINE:COLUMN or a property name). */
export interface RuleProblem {
  path: Array<string | number>;
  message: string;
  /** The problem is the last key of `path` itself (an unknown key), not its value. */
  key?: true;
}

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The keys a rule of each kind may have, and those of `maxMembers`' value (the access file's JSON Schema is tested against them). */
export const RULE_KEYS: Readonly<Record<RuleKind, readonly string[]>> = {
  separate: ["separate", "reason"],
  allowedDomains: ["allowedDomains", "groups", "reason"],
  maxMembers: ["maxMembers", "reason"],
};
export const MAX_MEMBERS_KEYS: readonly string[] = ["group", "max"];

const unknownKey = (key: string, allowed: readonly string[]) => {
  const near = closestMatch(key, allowed);
  return `unknown key "${key}"${near ? `; did you mean "${near}"?` : ""} (allowed: ${allowed.join(", ")})`;
};

/** Group names: a non-empty list of non-empty texts, each once (names ignore case). */
function groupNames(value: unknown, path: Array<string | number>, problems: RuleProblem[], atLeast: number): string[] | undefined {
  if (!Array.isArray(value) || value.length < atLeast) {
    problems.push({ path, message: `${path.join(".")} must be a list of ${atLeast > 1 ? `at least ${atLeast} ` : ""}workspace group names` });
    return undefined;
  }
  const names: string[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const name = typeof item === "string" ? item.trim() : "";
    if (name === "") problems.push({ path: [...path, i], message: `${path.join(".")}[${i}] must be a workspace group's name` });
    else if (seen.has(foldName(name))) problems.push({ path: [...path, i], message: `${path.join(".")} names "${name}" twice` });
    else names.push(name);
    seen.add(foldName(name));
  });
  return names;
}

function domains(value: unknown, problems: RuleProblem[]): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ path: ["allowedDomains"], message: "allowedDomains must be a list of domains, such as [northwind.example]" });
    return undefined;
  }
  const result: string[] = [];
  value.forEach((item, i) => {
    const domain = typeof item === "string" ? item.trim().replace(/^@/, "").toLowerCase() : "";
    if (DOMAIN.test(domain)) result.push(domain);
    else
      problems.push({
        path: ["allowedDomains", i],
        message: `allowedDomains[${i}] must be a domain, such as northwind.example; got ${JSON.stringify(item)}`,
      });
  });
  return result;
}

function maxMembers(value: unknown, problems: RuleProblem[]): MaxMembersRule["maxMembers"] | undefined {
  if (!isBag(value)) {
    problems.push({ path: ["maxMembers"], message: "maxMembers must be { group: NAME, max: NUMBER }" });
    return undefined;
  }
  for (const key of Object.keys(value))
    if (!MAX_MEMBERS_KEYS.includes(key))
      problems.push({ path: ["maxMembers", key], message: `maxMembers: ${unknownKey(key, MAX_MEMBERS_KEYS)}`, key: true });
  const group = typeof value.group === "string" ? value.group.trim() : "";
  if (group === "") problems.push({ path: ["maxMembers", "group"], message: "maxMembers.group must be a workspace group's name" });
  const max = value.max;
  const whole = typeof max === "number" && Number.isSafeInteger(max) && max >= 0;
  if (!whole)
    problems.push({
      path: ["maxMembers", "max"],
      message: `maxMembers.max must be a whole number of 0 or more; got ${JSON.stringify(max ?? null)}`,
    });
  return group !== "" && whole ? { group, max } : undefined;
}

/**
 * One rule from plain data (parsed YAML, or a program's argument), normalised: names trimmed, domains
 * lower-cased. Every problem is reported, each with where it is.
 */
export function parseRule(value: unknown): { rule?: AccessRule; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  if (!isBag(value)) return { problems: [{ path: [], message: `a rule must be one of ${RULE_KINDS.join(", ")}, with an optional reason` }] };
  const kinds = RULE_KINDS.filter((kind) => kind in value);
  if (kinds.length > 1)
    return {
      problems: [{ path: [], message: `a rule has one kind; this one has ${kinds.join(" and ")}: write them as ${kinds.length} rules` }],
    };
  if (kinds.length === 0) {
    const stray = Object.keys(value).find((key) => key !== "reason" && key !== "groups");
    const needs = `a rule needs one of ${RULE_KINDS.join(", ")}`;
    return {
      problems: [
        stray === undefined ? { path: [], message: needs } : { path: [stray], message: `${needs}; ${unknownKey(stray, RULE_KINDS)}`, key: true },
      ],
    };
  }
  const [kind] = kinds;
  const allowed = RULE_KEYS[kind];
  for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push({ path: [key], message: unknownKey(key, allowed), key: true });
  const reasonValue = value.reason;
  if (reasonValue !== undefined && (typeof reasonValue !== "string" || reasonValue.trim() === ""))
    problems.push({ path: ["reason"], message: "reason must be a text saying why the rule exists" });
  const reason = typeof reasonValue === "string" && reasonValue.trim() !== "" ? { reason: reasonValue.trim() } : {};

  let rule: AccessRule | undefined;
  if (kind === "separate") {
    const names = groupNames(value.separate, ["separate"], problems, 2);
    if (names) rule = { separate: names, ...reason };
  } else if (kind === "allowedDomains") {
    const allowedDomains = domains(value.allowedDomains, problems);
    const groups = value.groups === undefined ? undefined : groupNames(value.groups, ["groups"], problems, 1);
    if (allowedDomains) rule = { allowedDomains, ...(groups && { groups }), ...reason };
  } else {
    const limit = maxMembers(value.maxMembers, problems);
    if (limit) rule = { maxMembers: limit, ...reason };
  }
  return problems.length > 0 ? { problems } : { rule, problems };
}
