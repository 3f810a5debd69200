import { foldName } from "../../identity/references";
import { unknownGroupReason } from "../../identity/resolve";
import type { Declaration } from "../../plan/ownership";
import type { Holder, Holding, RuleFacts } from "../../plan/rules";
import type { ProviderContext } from "../../runtime/context";
import type { Failures } from "../../runtime/inputs";

/**
 * What each group will hold after `up`, from what this provider process already knows: the
 * declarations every resource of the program recorded at its own check (the engine checks AccessRules
 * after them: it depends on them), and the live members of groups that keep people outside code.
 *
 *   authoritative   exactly the declared members
 *   otherwise       the declared members, plus the members Kantata OX holds today whom no plan of this
 *                   change removes (a group no resource manages: its members as they are)
 *
 * People who left (inactive) are counted nowhere: they cannot use the access, and one departed person
 * must not block every change. Live members are read once per process (⌈members/200⌉ GETs): free when
 * a `preview --refresh` or a group's own check already read the group, and never for an authoritative
 * group.
 */
export async function gatherFacts(
  ctx: ProviderContext,
  request: {
    names: readonly string[];
    /** An allowedDomains rule without `groups` looks at every group the program manages. */
    everyManagedGroup: boolean;
    /** An allowedDomains rule needs everyone's address, also of people declared by id. */
    addresses: boolean;
    property: (name: string) => string;
  },
  failures: Failures,
): Promise<RuleFacts> {
  const { names, property } = request;
  const declared = ctx.ownership.declaredGroups();
  const byName = new Map([...declared].map(([groupId, group]) => [foldName(group), { id: groupId, name: group }]));
  const resolved = await Promise.all(
    [...new Set(names.map(foldName))].map(async (folded) => {
      const written = names.find((name) => foldName(name) === folded) ?? folded;
      const group =
        byName.get(folded) ??
        (await ctx.directory.findGroup({ kind: "name", name: written }).then((found) => found && { id: found.id, name: found.name }));
      if (group === undefined) {
        const ref = { kind: "name", name: written } as const;
        failures.push({ property: property(written), reason: unknownGroupReason(ref, await ctx.directory.suggestGroupName(written)) });
      }
      return [folded, group] as const;
    }),
  );
  // A name no group has is a failure of its own; the rules naming other groups are judged all the same.
  const named = new Map<string, Holding>();
  for (const [folded, group] of resolved) if (group) named.set(folded, await holding(ctx, group.id, group.name));
  // Sorted by name: the engine checks groups in the order their registrations arrive, which may vary.
  const everyGroup = [...declared].sort(([, a], [, b]) => a.localeCompare(b));
  const managed = request.everyManagedGroup ? await Promise.all(everyGroup.map(([groupId, group]) => holding(ctx, groupId, group))) : [];
  const filled = request.addresses ? await withAddresses(ctx, [...named.values(), ...managed]) : new Map<number, string>();
  const addressed = (h: Holding): Holding => ({
    ...h,
    holders: h.holders.map((holder) =>
      holder.email === undefined && filled.has(holder.userId) ? { ...holder, email: filled.get(holder.userId) } : holder,
    ),
  });
  return {
    named: (name) => {
      const h = named.get(foldName(name));
      return h && addressed(h);
    },
    managed: managed.map(addressed),
  };
}

/** The addresses of people known only by id (declared so, in a group not read): one GET per 200 of them, none when there are none. */
async function withAddresses(ctx: ProviderContext, holdings: readonly Holding[]): Promise<Map<number, string>> {
  const missing = [...new Set(holdings.flatMap((h) => h.holders.filter((holder) => holder.email === undefined).map((holder) => holder.userId)))];
  if (missing.length === 0) return new Map();
  return new Map((await ctx.client.findUsersById(missing)).map((user) => [user.id, user.email.toLowerCase()]));
}

const emailOf = (key: string): string | undefined => (key.includes("@") ? key : undefined);

async function holding(ctx: ProviderContext, groupId: number | string, group: string): Promise<Holding> {
  const declarations: Declaration[] = ctx.ownership.declarationsFor(groupId);
  const inactive = new Set(declarations.flatMap((d) => Object.values(d.inactive ?? {})));
  const holders = new Map<number, Holder>();
  for (const { members } of declarations)
    for (const [key, userId] of Object.entries(members))
      if (!inactive.has(userId)) holders.set(userId, { userId, key, email: emailOf(key), declared: true });
  // A group created in this change (known by its name until it has an id) holds only what is declared.
  if (declarations.some((d) => d.wholeGroup) || typeof groupId === "string") return { group, holders: [...holders.values()] };

  const live = await ctx.groups.members(groupId);
  const removed = new Set(declarations.flatMap((d) => Object.values(d.removes ?? {})));
  for (const userId of live.memberships.keys()) {
    const email = live.users.get(userId)?.email.toLowerCase();
    const known = holders.get(userId);
    if (known !== undefined) {
      if (known.email === undefined && email) holders.set(userId, { ...known, email });
      continue;
    }
    if (removed.has(userId) || inactive.has(userId)) continue;
    holders.set(userId, { userId, key: email ?? String(userId), email: email || undefined, declared: false });
  }
  return { group, holders: [...holders.values()] };
}
