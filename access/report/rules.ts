import { foldName, normalizeEmail } from "../../provider/identity/references";
import { type AccessRule, type Holder, type Holding, type RuleFacts, judgeRule, ruleKind } from "../../provider/plan/rules";
import type { AccountSnapshot, DeclaredView, RuleEvaluation, RuleViolation } from "./model";

/**
 * The access file's rules judged against what the account holds now, by the provider's own judge
 * (provider/plan/rules.ts): the facts are the live members of each group a rule names (and, for an
 * allowedDomains rule without `groups`, of every group the file declares), each marked declared when the
 * file lists them in that group. As for the provider, disabled users are counted nowhere: they cannot use
 * the access. Pure: no request beyond the report's one walk of the account.
 */
export function evaluateRules(rules: readonly AccessRule[], snapshot: AccountSnapshot, declared: DeclaredView): RuleEvaluation {
  const byName = new Map(snapshot.groups.map((g) => [foldName(g.name), g]));
  const declaredByName = new Map(declared.groups.map((g) => [foldName(g.name), g]));
  const membersOf = new Map<number, number[]>();
  for (const m of snapshot.memberships) {
    const list = membersOf.get(m.workspaceGroupId) ?? [];
    list.push(m.userId);
    membersOf.set(m.workspaceGroupId, list);
  }

  const holding = (group: { id: number; name: string }): Holding => {
    const decl = declaredByName.get(foldName(group.name));
    const listed = new Set(decl?.members.map((m) => (typeof m.person === "number" ? `#${m.person}` : normalizeEmail(m.person))) ?? []);
    const holders: Holder[] = [...new Set(membersOf.get(group.id) ?? [])]
      .filter((userId) => !snapshot.disabledUserIds?.has(userId))
      .sort((a, b) => a - b)
      .map((userId) => {
        const read = snapshot.users.get(userId)?.email;
        const email = read ? normalizeEmail(read) : undefined;
        return { userId, key: email ?? String(userId), email, declared: listed.has(`#${userId}`) || (email !== undefined && listed.has(email)) };
      });
    return { group: group.name, holders };
  };
  const managed = [...declaredByName.keys()]
    .flatMap((name) => byName.get(name) ?? [])
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id))
    .map(holding);
  const facts: RuleFacts = {
    named: (name) => {
      const group = byName.get(foldName(name));
      return group && holding(group);
    },
    managed,
  };

  const violations: RuleViolation[] = [];
  rules.forEach((rule, index) => {
    const { outcome, violation, people = [] } = judgeRule(rule, `rule ${index + 1}`, facts, "now");
    if (violation === undefined) return;
    violations.push({
      rule: ruleKind(rule),
      ...(outcome.groups.length === 1 && { group: outcome.groups[0] }),
      groups: outcome.groups,
      ...(rule.reason !== undefined && { reason: rule.reason }),
      people,
      message: violation,
    });
  });
  return { checked: rules.length, violations };
}
