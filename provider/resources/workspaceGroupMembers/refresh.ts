import type * as pulumi from "@pulumi/pulumi";
import { normalizeEmail } from "../../identity/references";
import { type MemberMap, everyone, onePerLine } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import { refreshed } from "../../runtime/inputs";
import { type WorkspaceGroupMembersOutputs, inputsOf, preexistingIdsOf, recordObserved } from "./state";

/**
 * `read` for a refresh: one paged GET of the group, with its members' users side-loaded (which also
 * serves a `preview --refresh`'s checks in the same process). Reports as inputs what exists, so drift is
 * an ordinary per-person diff against the program at the next preview: a member removed by hand shows
 * as `+ their address`, an undeclared member of an authoritative group as `- their address`. Every
 * other member is recorded as `undeclared`, so the next preview knows who is in the group already. A
 * member whose address changed is re-keyed under the new one (the program's old address is then looked
 * up afresh), as is a person recorded as inactive whose login works again. One GET per 200 managed and
 * inactive people asks whose login works: a managed member who left since is recorded as inactive, so
 * the next preview's plan removes them from an authoritative group (and leaves an additive one as it
 * is). The person running Pulumi is told what happened to whom.
 */
export async function refresh(
  ctx: ProviderContext,
  id: string,
  props: WorkspaceGroupMembersOutputs,
): Promise<pulumi.dynamic.ReadResult<WorkspaceGroupMembersOutputs>> {
  const say = (line: string) => ctx.diagnostics.warn(props.__urn, line);
  ctx.groups.forget(props.groupId);
  const live = await ctx.groups.members(props.groupId);
  if (live.memberships.size === 0 && (await ctx.client.listWorkspaceGroups({ only: [props.groupId] })).length === 0) {
    ctx.groups.forget(props.groupId);
    await say(`workspace group "${props.group}" (id ${props.groupId}) no longer exists in Kantata OX; Pulumi forgets it.`);
    return {};
  }
  const active = await ctx.client.activeUserIds([...Object.values(props.members), ...Object.values(props.inactive ?? {})]);
  const members: MemberMap = {};
  const inactive: MemberMap = {};
  const gone: Array<[string, number]> = [];
  const left: string[] = [];
  for (const [key, userId] of Object.entries(props.members)) {
    if (!live.memberships.has(userId)) gone.push([key, userId]);
    const email = live.users.get(userId)?.email;
    const current = email === undefined ? key : normalizeEmail(email);
    if (key.includes("@") && current !== key) {
      await say(`${key} (user ${userId}) now has the address ${current}; the program's ${key} will be looked up again.`);
      members[current] = userId;
    } else if (live.memberships.has(userId) && !active.has(userId)) {
      // Left since they were resolved: recorded as inactive, so the next check plans them as people who left.
      inactive[key] = userId;
      left.push(key);
    } else {
      members[key] = userId;
    }
  }
  if (gone.length > 0) await explainDepartures(ctx, props, gone, active);
  if (left.length > 0) await say(leftSince(props, left));
  Object.assign(inactive, await stillInactive(ctx, props, active));
  const present = new Set(live.memberships.keys());
  const outs = recordObserved({ ...inputsOf(props), members, inactive }, {}, preexistingIdsOf(props), { present, users: live.users });
  const inputs = inputsOf(outs);
  // Authoritative: every member is the program's business, so drift shows as a diff of `members`.
  return refreshed(id, outs, outs.mode === "authoritative" ? { ...inputs, members: { ...outs.members, ...outs.undeclared } } : inputs);
}

/** Managed members whose login was disabled since they were resolved: what the next preview does about them. */
function leftSince(props: WorkspaceGroupMembersOutputs, people: string[]): string {
  const what =
    props.mode === "authoritative"
      ? "the next preview plans their removal, like anyone's who left"
      : "their memberships are left as they are (additive), and they are no longer managed";
  return (
    `workspace group "${props.group}": ${people.length === 1 ? "1 member is" : `${people.length} members are`} no longer active in Kantata OX ` +
    `(login disabled since the last up): ${everyone(people.sort())}${onePerLine(people) ? "\n" : ". "}${what[0].toUpperCase()}${what.slice(1)}.`
  );
}

/**
 * The people recorded as inactive whose login is still disabled (`active`: who is active, asked with the
 * members in one GET per 200); those active again are forgotten, so the next preview looks them up and
 * adds them like anyone declared.
 */
async function stillInactive(ctx: ProviderContext, props: WorkspaceGroupMembersOutputs, active: ReadonlySet<number>): Promise<MemberMap> {
  const inactive: MemberMap = {};
  for (const [key, userId] of Object.entries(props.inactive ?? {})) {
    if (!active.has(userId)) inactive[key] = userId;
    else
      await ctx.diagnostics.warn(
        props.__urn,
        `${key} (user ${userId}) is active in Kantata OX again; the next preview looks them up again for workspace group "${props.group}".`,
      );
  }
  return inactive;
}

/** Says, for managed members who are gone, whether the user was deleted or only removed from the group. */
async function explainDepartures(
  ctx: ProviderContext,
  props: WorkspaceGroupMembersOutputs,
  gone: Array<[string, number]>,
  existing: ReadonlySet<number>,
): Promise<void> {
  for (const [key, userId] of gone) {
    await ctx.diagnostics.warn(
      props.__urn,
      existing.has(userId)
        ? `${key} (user ${userId}) was removed from workspace group "${props.group}" outside Pulumi.`
        : `${key} (user ${userId}) no longer exists in Kantata OX; the program's entry will be looked up again.`,
    );
  }
}
