import type * as pulumi from "@pulumi/pulumi";
import { type MemberMap, MODES, type MembershipMode, type MembershipPlan, planGroupMembers, removalGuardError } from "../../plan/memberships";
import type { ProviderContext } from "../../runtime/context";
import { type ResolvedMembers, groupResolvedIn, newGroupKey, resolveGroupInput, resolveMemberInputs } from "../../identity/resolve";
import { type Failures, UNKNOWN, describeValue, isUnknown, parseFlag } from "../../runtime/inputs";
import { checkAgainstMembers, parseEndDates } from "./endDates";
import { describeEndDates, describeInactive, describePlan } from "./report";
import { type CheckedInputs, DEFAULT_MAX_REMOVALS, type WorkspaceGroupMembersInputs, decodeCheckedInputs, memberIds, records } from "./state";
import { keyFor } from "../../runtime/liveGroups";
import { handOver, judgeOf } from "../../runtime/judged";
import { parseUserRef, userKey } from "../../identity/references";

/** The program's arguments as the engine hands them to `check`. */
export interface ProgramArgs {
  group?: unknown;
  /** The name of the WorkspaceGroup passed as `group`, set by the program-side class (see identity/resolve.ts). */
  __groupName?: unknown;
  members?: unknown;
  mode?: unknown;
  maxRemovals?: unknown;
  removePreexistingOnDestroy?: unknown;
  expires?: unknown;
  expired?: unknown;
  __urn?: unknown;
  __today?: unknown;
  /** The name of the AccessRules resource that reports this resource's problems (see runtime/judged.ts). */
  __judgedBy?: unknown;
}

function parseMode(value: unknown, failures: Failures): MembershipMode | typeof UNKNOWN | undefined {
  if (value === undefined || value === null) return "additive";
  if (isUnknown(value) || MODES.includes(value as MembershipMode)) return value as MembershipMode;
  failures.push({ property: "mode", reason: `mode must be "additive" or "authoritative"; got ${describeValue(value)}.` });
  return undefined;
}

function parseMaxRemovals(value: unknown, failures: Failures): number | typeof UNKNOWN | undefined {
  if (value === undefined || value === null) return DEFAULT_MAX_REMOVALS;
  if (isUnknown(value) || (Number.isSafeInteger(value) && (value as number) >= 0)) return value as number;
  failures.push({ property: "maxRemovals", reason: `maxRemovals must be a whole number of 0 or more; got ${describeValue(value)}.` });
  return undefined;
}

function memberEntries(value: unknown, failures: Failures): Array<{ property: string; value: unknown }> | typeof UNKNOWN | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return (value as unknown[]).map((entry, index) => ({ property: `members[${index}]`, value: entry }));
  failures.push({
    property: "members",
    reason: `members must be a list of email addresses or user ids, such as ["alice@acme.com", 1003]; got ${describeValue(value)}.`,
  });
  return undefined;
}

/** The previous checked inputs, when state has any this version can read; otherwise the resource is new to it. */
function previous(olds: Record<string, unknown> | undefined): CheckedInputs | undefined {
  if (olds === undefined || olds.groupId === undefined) return undefined;
  try {
    return decodeCheckedInputs(olds);
  } catch {
    return undefined;
  }
}

const sameMembers = (a: MemberMap, b: MemberMap): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, id]) => b[key] === id);

/** Inputs whose every value is known: the preview can plan them. */
function known(inputs: CheckedInputs): WorkspaceGroupMembersInputs | undefined {
  const { group, groupId, members, mode, maxRemovals, removePreexistingOnDestroy } = inputs;
  if ([group, groupId, members, mode, maxRemovals, removePreexistingOnDestroy].some(isUnknown)) return undefined;
  return inputs as WorkspaceGroupMembersInputs;
}

/**
 * Validates the arguments and resolves the group and every person to ids, reporting every problem at
 * once; what the old inputs already resolved is reused without a request. When the group comes under
 * management, or under new terms (other people, another mode), it reads the group and plans: who gains
 * access, who is taken on as they are, who loses access. The plan travels in the checked inputs, so
 * `up` applies it and the review reports it; the maxRemovals guard and the one-owner rule fail the
 * preview here, and the person running Pulumi is told who is affected.
 */
export async function checkWorkspaceGroupMembers(
  ctx: ProviderContext,
  olds: Record<string, unknown> | undefined,
  news: ProgramArgs,
): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const failures: Failures = [];
  const before = previous(olds);
  const entries = memberEntries(news.members, failures);
  const knownMembers = before === undefined || isUnknown(before.members) ? undefined : { members: before.members, inactive: before.inactive };
  const resolvingMembers = async (): Promise<ResolvedMembers | typeof UNKNOWN | undefined> =>
    entries === UNKNOWN ? UNKNOWN : entries && resolveMemberInputs(entries, knownMembers, ctx.directory, failures);
  const [group, people] = await Promise.all([
    resolveGroupInput(news.group, groupResolvedIn(before), ctx.directory, failures, news.__groupName),
    resolvingMembers(),
  ]);
  const mode = parseMode(news.mode, failures);
  const maxRemovals = parseMaxRemovals(news.maxRemovals, failures);
  const removePreexistingOnDestroy = parseFlag("removePreexistingOnDestroy", news.removePreexistingOnDestroy, failures);
  const dates = parseEndDates(news, failures);
  if (people !== undefined && people !== UNKNOWN) checkAgainstMembers(dates, people, failures);
  const urn = typeof news.__urn === "string" ? news.__urn : undefined;
  const settle = settling(ctx, news, urn);
  // With a judge, the people and settings that are well-formed are planned and declared despite the
  // problems, so the rules are judged on everything else (the problems still stop the change).
  const judged = settle.judge !== undefined;
  if ((failures.length > 0 && !judged) || group === undefined || people === undefined || mode === undefined) return settle(failures);
  if (maxRemovals === undefined || removePreexistingOnDestroy === undefined) return settle(failures);
  const inputs: CheckedInputs = {
    group: group.group,
    groupId: group.groupId,
    members: people === UNKNOWN ? UNKNOWN : people.members,
    mode,
    maxRemovals,
    removePreexistingOnDestroy,
    ...records({ inactive: people === UNKNOWN ? undefined : people.inactive, expires: dates.expires, expired: dates.expired }),
    ...(urn !== undefined && { __urn: urn }),
    ...(dates.today !== undefined && { __today: dates.today }),
  };

  if (group.created) return planNewGroup(ctx, inputs, failures, settle);
  const now = known(inputs);
  if (now === undefined) return settle(failures, inputs); // computed from other resources: planned at `up`, and the review says so
  const oldMembers = before !== undefined && before.groupId === now.groupId && !isUnknown(before.members) ? before.members : undefined;
  const changed =
    oldMembers === undefined ||
    before?.mode !== now.mode ||
    !sameMembers(oldMembers, now.members) ||
    !sameMembers(before.inactive ?? {}, now.inactive ?? {});
  const plan = changed ? await planAgainstLive(ctx, now, oldMembers ?? {}) : undefined;

  const guard = plan && removalGuardError(now.group, plan, now.maxRemovals);
  if (guard) failures.push({ property: "members", reason: guard });
  if (urn !== undefined) {
    const conflicts = ctx.ownership.declare({
      owner: urn,
      groupId: now.groupId,
      group: now.group,
      members: now.members,
      wholeGroup: now.mode === "authoritative",
      removes: plan?.losses,
      inactive: now.inactive,
    });
    failures.push(...conflicts.map((reason) => ({ property: "members", reason })));
  }
  if (failures.length > 0) return settle(failures, inputs);
  await report(ctx, now, plan, oldMembers);
  return settle(failures, { ...inputs, ...(plan && { __plan: plan }) });
}

type Settle = ((failures: Failures, inputs?: CheckedInputs) => pulumi.dynamic.CheckResult<CheckedInputs>) & { judge?: string };

/**
 * How a check ends: with its failures; or, when the program names a judge, with the failures handed to
 * it (the inputs then carry them, so create and update refuse them) and the check passing.
 */
function settling(ctx: ProviderContext, news: ProgramArgs, urn: string | undefined): Settle {
  const judge = judgeOf(news);
  const declared = Array.isArray(news.members) ? (news.members as unknown[]) : [];
  const memberAt = (property: string) => {
    const ref = parseUserRef(declared[Number(/^members\[(\d+)\]$/.exec(property)?.[1] ?? NaN)]);
    return ref && userKey(ref);
  };
  const settle: Settle = (failures, inputs) => {
    if (judge === undefined || urn === undefined) return failures.length > 0 ? { failures } : { inputs };
    ctx.judged.record(judge, urn, handOver(urn, failures, memberAt));
    if (failures.length === 0) return { inputs };
    return { inputs: { ...inputs, __handedOver: failures.map((failure) => failure.reason) } as CheckedInputs };
  };
  settle.judge = urn === undefined ? undefined : judge;
  return settle;
}

/**
 * A group a WorkspaceGroup of the stack creates in this change, during preview (its id is not known
 * yet): it has no members, so every declared person gains access. Nothing is read. At `up` the group
 * exists, and `check` plans against it as it does for any group (the WorkspaceGroup told this process it
 * is empty, so that costs no request either).
 */
async function planNewGroup(
  ctx: ProviderContext,
  inputs: CheckedInputs,
  failures: Failures,
  settle: Settle,
): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const { group, members, mode } = inputs;
  if (isUnknown(group) || isUnknown(members) || isUnknown(mode)) return settle(failures, inputs);
  if (inputs.__urn !== undefined) {
    const conflicts = ctx.ownership.declare({
      owner: inputs.__urn,
      groupId: newGroupKey(group),
      group,
      members,
      wholeGroup: mode === "authoritative",
      inactive: inputs.inactive,
    });
    failures.push(...conflicts.map((reason) => ({ property: "members", reason })));
  }
  if (failures.length > 0) return settle(failures, inputs);
  const plan = planGroupMembers({ mode, declared: members, live: {}, managed: [], inactive: memberIds(inputs.inactive ?? {}) });
  await report(ctx, { ...inputs, group, mode }, plan, undefined, "created");
  return settle(failures, { ...inputs, __plan: plan });
}

/** Reads the group (once per process) and asks the planner what this declaration does to it. */
async function planAgainstLive(ctx: ProviderContext, inputs: WorkspaceGroupMembersInputs, managedBefore: MemberMap): Promise<MembershipPlan> {
  const live = await ctx.groups.members(inputs.groupId);
  const declaredNames = [...Object.entries(managedBefore), ...Object.entries(inputs.inactive ?? {}), ...Object.entries(inputs.members)];
  const names = new Map(declaredNames.map(([key, id]) => [id, key]));
  const liveMembers: MemberMap = {};
  for (const userId of live.memberships.keys()) liveMembers[names.get(userId) ?? keyFor(userId, live.users)] = userId;
  const managed = new Set(memberIds(managedBefore));
  // Declared members not managed yet: taken on as they are. Those this token created (an interrupted
  // run) are its own; anyone else's are adopted, and kept on destroy.
  const takenOn = memberIds(inputs.members).flatMap((userId) => {
    const membership = live.memberships.get(userId);
    return membership && !managed.has(userId) ? [membership] : [];
  });
  const createdByToken = await ctx.directory.createdByToken(takenOn);
  return planGroupMembers({
    mode: inputs.mode,
    declared: inputs.members,
    live: liveMembers,
    managed,
    createdByToken,
    inactive: memberIds(inputs.inactive ?? {}),
  });
}

/**
 * Tells the person running Pulumi, under the resource: who a new plan affects; and at every preview,
 * who is no longer active and whose access ends soon (until the file is changed).
 */
async function report(
  ctx: ProviderContext,
  inputs: Pick<WorkspaceGroupMembersInputs, "group" | "mode" | "inactive" | "expires" | "expired" | "__today" | "__urn">,
  plan: MembershipPlan | undefined,
  managedBefore: MemberMap | undefined,
  groupIs: "existing" | "created" = "existing",
): Promise<void> {
  const notices = [
    plan && describePlan(inputs.group, inputs.mode, plan, managedBefore, groupIs),
    describeInactive(inputs.group, inputs.mode, inputs.inactive ?? {}),
    ...describeEndDates(inputs.group, { expires: inputs.expires ?? {}, expired: inputs.expired ?? {}, today: inputs.__today }, plan),
  ];
  for (const notice of notices) {
    if (notice === undefined) continue;
    const say = notice.severity === "warning" ? ctx.diagnostics.warn : ctx.diagnostics.info;
    await say(inputs.__urn, notice.message);
  }
}
