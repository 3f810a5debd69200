/**
 * Access rules: policies a change must keep, checked at `pulumi preview` against what the groups will
 * hold after `up`, so a change that breaks one never reaches an approver as if it were fine.
 *
 *   separate        nobody is in more than one of these groups (segregation of duties)
 *   allowedDomains  every member's address is at one of these domains (in these groups, or every managed group)
 *   maxMembers      the group has at most this many members
 *
 * Every rule may carry a `reason`, quoted whenever it fires. The same shape comes from access.yaml and
 * from a program's `AccessRules` (both read by runtime/ruleInputs.ts). Pure: judging rules against the
 * facts the provider gathered (who each group will hold); no I/O, so each rule is tested on its own.
 */
import { namePeople } from "./memberships";

export interface SeparateRule {
  /** Group names: nobody may be in more than one of them. */
  separate: string[];
  reason?: string;
}

export interface AllowedDomainsRule {
  /** Domains members' addresses must be at, exactly (ignoring case): list subdomains separately. */
  allowedDomains: string[];
  /** The groups it applies to; every group the program manages when absent. */
  groups?: string[];
  reason?: string;
}

export interface MaxMembersRule {
  maxMembers: { group: string; max: number };
  reason?: string;
}

export type AccessRule = SeparateRule | AllowedDomainsRule | MaxMembersRule;

export const RULE_KINDS = ["separate", "allowedDomains", "maxMembers"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const ruleKind = (rule: AccessRule): RuleKind =>
  "separate" in rule ? "separate" : "allowedDomains" in rule ? "allowedDomains" : "maxMembers";

/** The group names a rule names (as written); an allowedDomains rule without `groups` names none. */
export function groupsNamed(rule: AccessRule): string[] {
  if ("separate" in rule) return rule.separate;
  if ("allowedDomains" in rule) return rule.groups ?? [];
  return [rule.maxMembers.group];
}

/** The rule in one line, as messages quote it. */
export function describeRule(rule: AccessRule): string {
  const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(", ");
  if ("separate" in rule) return `separate ${quoted(rule.separate)}`;
  if ("allowedDomains" in rule) return `allowedDomains ${rule.allowedDomains.join(", ")}${rule.groups ? ` in ${quoted(rule.groups)}` : ""}`;
  return `maxMembers "${rule.maxMembers.group}" at most ${rule.maxMembers.max}`;
}

// --- Judging a rule -------------------------------------------------------------------------------

/** One person a group will hold after `up`. */
export interface Holder {
  userId: number;
  /** How state names them: the normalised email, or the id as a decimal string. */
  key: string;
  /** Their address, when known (declared by email, or read with the group). */
  email?: string;
  /** Declared in code; otherwise a member added outside code whom the change leaves in place. */
  declared: boolean;
}

/** Who a group will hold after `up`. */
export interface Holding {
  /** The group's name as Kantata spells it. */
  group: string;
  holders: Holder[];
}

/** The facts a rule is judged against: each group a rule names, and every group the program manages. */
export interface RuleFacts {
  /** The group a rule names, as written (names are matched ignoring case by whoever gathered the facts). */
  named: (name: string) => Holding | undefined;
  managed: readonly Holding[];
}

/** What a rule looked at, for the review: the groups (as Kantata spells them) and how many people they will hold. */
export interface RuleOutcome {
  groups: string[];
  people: number;
}

export interface RuleJudgement {
  outcome: RuleOutcome;
  /** Why the change breaks the rule, naming the groups and the people; absent when it holds. */
  violation?: string;
  /** With a violation: the people who break it (address, or "user <id>"), sorted; none for maxMembers, which no one person breaks. */
  people?: string[];
}

/**
 * When the facts hold: "after-change" (the provider, at preview: what the groups will hold after `up`)
 * or "now" (the access report: what the account holds today). Only the wording differs.
 */
export type RuleTense = "after-change" | "now";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const personOf = (holder: Holder) => holder.email ?? (/^\d+$/.test(holder.key) ? `user ${holder.key}` : holder.key);

function holdingsOf(rule: AccessRule, facts: RuleFacts): Holding[] {
  const names = groupsNamed(rule);
  if ("allowedDomains" in rule && rule.groups === undefined) return [...facts.managed];
  return names.flatMap((name) => facts.named(name) ?? []);
}

/** Judges one rule against what the groups will hold (or, `tense` "now", hold). `label` names it in the message ("rule 2"). */
export function judgeRule(rule: AccessRule, label: string, facts: RuleFacts, tense: RuleTense = "after-change"): RuleJudgement {
  const holdings = holdingsOf(rule, facts);
  const everyone = new Set(holdings.flatMap((h) => h.holders.map((holder) => holder.userId)));
  const outcome: RuleOutcome = { groups: holdings.map((h) => h.group), people: everyone.size };
  const now = tense === "now";
  /** "would be … after this change", or "is"/"are" today. */
  const verb = (n: number, would: string, one: string, many: string) => (now ? (n === 1 ? one : many) : would);
  const when = now ? "" : " after this change";
  const broken = (detail: string, people: Holder[] = []): RuleJudgement => ({
    outcome,
    violation: `${label} (${describeRule(rule)}${rule.reason ? ` — ${rule.reason}` : ""}) is broken: ${detail}`,
    people: [...new Set(people.map(personOf))].sort(),
  });

  if ("separate" in rule) {
    const seen = new Map<number, { holder: Holder; groups: string[]; outside: string[] }>();
    for (const { group, holders } of holdings) {
      for (const holder of holders) {
        const entry = seen.get(holder.userId) ?? { holder, groups: [], outside: [] };
        entry.groups.push(group);
        if (!holder.declared) entry.outside.push(group);
        if (holder.email !== undefined) entry.holder = holder;
        seen.set(holder.userId, entry);
      }
    }
    const both = [...seen.values()].filter((entry) => entry.groups.length > 1);
    if (both.length === 0) return { outcome };
    const named = both
      .map(({ holder, groups, outside }) => {
        const where = holdings.length > 2 ? ` (in ${groups.map((g) => `"${g}"`).join(" and ")})` : "";
        const how = outside.length > 0 ? ` (a member of ${outside.map((g) => `"${g}"`).join(" and ")} outside code)` : "";
        return `${personOf(holder)}${where}${how}`;
      })
      .sort();
    const these = holdings.length > 2 ? "more than one of these groups" : `both "${holdings[0].group}" and "${holdings[1].group}"`;
    return broken(
      `${plural(both.length, "person", "people")} ${verb(both.length, "would be", "is", "are")} in ${these}${when}: ${namePeople(named)}.`,
      both.map((entry) => entry.holder),
    );
  }

  if ("allowedDomains" in rule) {
    const allowed = new Set(rule.allowedDomains);
    const outsiders = new Map<number, string>();
    const culprits = new Map<number, Holder>();
    for (const { group, holders } of holdings) {
      for (const holder of holders) {
        const domain = holder.email?.slice(holder.email.lastIndexOf("@") + 1).toLowerCase();
        if (domain !== undefined && allowed.has(domain)) continue;
        const why =
          holder.email === undefined
            ? "address unknown: declare them by email"
            : holder.declared
              ? `in "${group}"`
              : `in "${group}" outside code`;
        outsiders.set(holder.userId, `${personOf(holder)} (${why})`);
        culprits.set(holder.userId, holder);
      }
    }
    if (outsiders.size === 0) return { outcome };
    return broken(
      `${plural(outsiders.size, "member", "members")} ${verb(outsiders.size, "would have", "has", "have")} an address outside ${rule.allowedDomains.join(", ")}${when}: ${namePeople([...outsiders.values()].sort())}.`,
      [...culprits.values()],
    );
  }

  const [holding] = holdings;
  const { max } = rule.maxMembers;
  if (holding === undefined || holding.holders.length <= max) return { outcome };
  const declared = holding.holders.filter((holder) => holder.declared).length;
  const outside = holding.holders.length - declared;
  return broken(
    `"${holding.group}" ${now ? "has" : "would have"} ${holding.holders.length} members${when}, more than ${max} ` +
      `(${declared} declared in code${outside > 0 ? `, ${plural(outside, "member", "members")} outside code` : ""}).`,
  );
}
