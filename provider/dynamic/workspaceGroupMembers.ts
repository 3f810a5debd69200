import type * as pulumi from "@pulumi/pulumi";
import type { KantataClient } from "../kantata";
import { type GroupPlan, type MembershipMode, planDestroy, planGroupMembers, removalGuardError } from "../plan/groupMembers";
import { type Failures, UNKNOWN, isUnknown, parseFlag, parseId } from "./inputs";
import { PartialFailure } from "./partialFailure";
import { kantata } from "./runtime";

/**
 * Default for maxRemovals: enough for a routine offboarding in one change, small enough that a bad
 * merge which empties or swaps a group's list is stopped at preview instead of revoking everyone.
 */
export const DEFAULT_MAX_REMOVALS = 10;
const MODES: readonly MembershipMode[] = ["additive", "authoritative"];

export interface WorkspaceGroupMembersInputs {
  workspaceGroupId: number;
  /** Declared users: distinct, ascending. */
  userIds: number[];
  mode: MembershipMode;
  maxRemovals: number;
  removePreexistingOnDestroy: boolean;
}

export interface WorkspaceGroupMembersOutputs extends WorkspaceGroupMembersInputs {
  /**
   * membershipIds[i] is the membership of userIds[i], for every member this resource manages; delete
   * works from it. Two aligned lists rather than a map: a 10,000-entry map costs the SDK's protobuf
   * conversion twice the memory of a list, on every call that carries the state.
   */
  membershipIds: string[];
  /** Declared users who were members before this resource took them on; kept on destroy unless asked. */
  preexistingUserIds: number[];
  /** Authoritative mode: members found at the last read who are not declared (an update removes them). */
  undeclaredUserIds: number[];
}

const byNumber = (a: number, b: number) => a - b;
const sortedNumbers = (ids: Iterable<string | number>): number[] => [...new Set([...ids].map(Number))].sort(byNumber);

function parseUserIds(value: unknown, failures: Failures): Array<number | typeof UNKNOWN> | typeof UNKNOWN | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (!Array.isArray(value)) {
    failures.push({ property: "userIds", reason: `userIds must be a list of Kantata OX user ids; got ${JSON.stringify(value)}.` });
    return undefined;
  }
  const ids = value.map((entry, index) => parseId(`userIds[${index}]`, entry, failures));
  const seenAt = new Map<number, number>();
  ids.forEach((id, index) => {
    if (typeof id !== "number") return;
    const first = seenAt.get(id);
    if (first === undefined) seenAt.set(id, index);
    else
      failures.push({
        property: `userIds[${index}]`,
        reason: `userIds lists user ${id} twice (entries ${first} and ${index}); userIds is a set, remove the duplicate.`,
      });
  });
  // A set: sorted so that reordering the program's list never shows as a change. Unknowns go last.
  const known = ids.filter((id): id is number => typeof id === "number").sort(byNumber);
  return [...known, ...ids.filter(isUnknown)];
}

function parseMode(value: unknown, failures: Failures): MembershipMode | typeof UNKNOWN | undefined {
  if (value === undefined || value === null) return "additive";
  if (isUnknown(value) || MODES.includes(value as MembershipMode)) return value as MembershipMode;
  failures.push({ property: "mode", reason: `mode must be "additive" or "authoritative"; got ${JSON.stringify(value)}.` });
  return undefined;
}

function parseMaxRemovals(value: unknown, failures: Failures): number | typeof UNKNOWN | undefined {
  if (value === undefined || value === null) return DEFAULT_MAX_REMOVALS;
  if (isUnknown(value) || (Number.isSafeInteger(value) && (value as number) >= 0)) return value as number;
  failures.push({ property: "maxRemovals", reason: `maxRemovals must be a whole number of 0 or more; got ${JSON.stringify(value)}.` });
  return undefined;
}

/** The managed members recorded in state, userId → membershipId. */
const recordedMembers = (outputs: WorkspaceGroupMembersOutputs): Map<string, string> =>
  new Map((outputs.userIds ?? []).map((userId, i) => [String(userId), outputs.membershipIds?.[i] ?? ""]));

async function liveMembers(client: KantataClient, groupId: number): Promise<Map<string, string>> {
  const memberships = await client.listMemberships({ groupIds: [String(groupId)] });
  return new Map(memberships.map((m) => [m.userId, m.id]));
}

function guardRemovals(inputs: WorkspaceGroupMembersInputs, removals: number): void {
  const error = removalGuardError(`WorkspaceGroupMembers for group ${inputs.workspaceGroupId}`, removals, inputs.maxRemovals);
  if (error) throw new Error(error);
}

/**
 * Applies a plan and returns the outputs that describe what now exists. If any step failed, throws a
 * PartialFailure carrying those outputs, so state stays true and the next run resumes without duplicates.
 */
async function applyPlan(
  inputs: WorkspaceGroupMembersInputs,
  live: Map<string, string>,
  plan: GroupPlan,
  preexisting: Set<string>,
  managedBefore: Iterable<string>,
): Promise<WorkspaceGroupMembersOutputs> {
  const client = kantata();
  const groupId = String(inputs.workspaceGroupId);
  const failures: Array<{ change: string; error: Error }> = [];
  const now = new Map(live);

  const added = await client.createMemberships(plan.add.map((userId) => ({ userId, workspaceGroupId: groupId })));
  for (const m of added.created) now.set(m.userId, m.id);
  for (const m of added.existing) {
    now.set(m.userId, m.id);
    preexisting.add(m.userId); // someone else added them meanwhile; we did not create them
  }
  for (const { pair, error } of added.failed) failures.push({ change: `adding user ${pair.userId}`, error });

  const removed = await client.deleteMemberships(plan.remove.map((r) => r.membershipId));
  removed.forEach((result, i) => {
    const { userId } = plan.remove[i];
    if (result.status === "fulfilled") now.delete(userId);
    else failures.push({ change: `removing user ${userId}`, error: result.reason as Error });
  });

  const scope = new Set([...inputs.userIds.map(String), ...managedBefore]);
  const inScope = (userId: string) => inputs.mode === "authoritative" || scope.has(userId);
  const members = [...now].filter(([userId]) => inScope(userId));
  const outputs = buildOutputs(inputs, members, preexisting);
  if (failures.length === 0) return outputs;
  // Nothing changed: the plain error says it best, and the state the engine already has stays true.
  const applied = added.created.length + added.existing.length + removed.filter((r) => r.status === "fulfilled").length;
  if (applied === 0) throw failures[0].error;
  throw new PartialFailure(groupId, outputs, failures.map((f) => `${f.change}: ${f.error.message}`));
}

/** Outputs from the members in place: `userIds` is what actually exists, so an unfinished change still shows a diff. */
function buildOutputs(
  inputs: WorkspaceGroupMembersInputs,
  members: Array<[string, string]>,
  preexisting: Iterable<string>,
  declaredBefore: readonly number[] = inputs.userIds,
): WorkspaceGroupMembersOutputs {
  const memberIds = new Set(members.map(([userId]) => userId));
  const declared = new Set(declaredBefore.map(String));
  const sorted = [...members].sort(([a], [b]) => Number(a) - Number(b));
  return {
    ...inputs,
    userIds: sorted.map(([userId]) => Number(userId)),
    membershipIds: sorted.map(([, membershipId]) => membershipId),
    preexistingUserIds: sortedNumbers([...preexisting].filter((u) => memberIds.has(u))),
    undeclaredUserIds: inputs.mode === "authoritative" ? sortedNumbers([...memberIds].filter((u) => !declared.has(u))) : [],
  };
}

const inputsOf = (outputs: WorkspaceGroupMembersOutputs): WorkspaceGroupMembersInputs => ({
  workspaceGroupId: outputs.workspaceGroupId,
  userIds: outputs.userIds,
  mode: outputs.mode,
  maxRemovals: outputs.maxRemovals,
  removePreexistingOnDestroy: outputs.removePreexistingOnDestroy,
});

const sameIds = (a: readonly unknown[] | undefined, b: readonly unknown[]) =>
  (a ?? []).length === b.length && (a ?? []).every((id, i) => Number(id) === Number(b[i]));

export const workspaceGroupMembersProvider = {
  async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const failures: Failures = [];
    const inputs = {
      workspaceGroupId: parseId("workspaceGroupId", news.workspaceGroupId, failures),
      userIds: parseUserIds(news.userIds, failures),
      mode: parseMode(news.mode, failures),
      maxRemovals: parseMaxRemovals(news.maxRemovals, failures),
      removePreexistingOnDestroy: parseFlag("removePreexistingOnDestroy", news.removePreexistingOnDestroy, failures),
    };
    return failures.length > 0 ? { failures } : { inputs };
  },

  async diff(_id: string, olds: WorkspaceGroupMembersOutputs, news: WorkspaceGroupMembersInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = isUnknown(news.workspaceGroupId) || Number(olds.workspaceGroupId) !== Number(news.workspaceGroupId) ? ["workspaceGroupId"] : [];
    const changes =
      replaces.length > 0 ||
      isUnknown(news.userIds) ||
      !sameIds(olds.userIds, news.userIds) ||
      olds.mode !== news.mode ||
      olds.maxRemovals !== news.maxRemovals ||
      Boolean(olds.removePreexistingOnDestroy) !== Boolean(news.removePreexistingOnDestroy);
    // Fail the preview, not just the update, when the change would remove too many members.
    if (replaces.length === 0 && Array.isArray(news.userIds) && !news.userIds.some(isUnknown) && typeof news.maxRemovals === "number") {
      const declared = new Set(news.userIds);
      const current = [...(olds.userIds ?? []), ...(news.mode === "authoritative" ? olds.undeclaredUserIds ?? [] : [])];
      guardRemovals(news, new Set(current.filter((u) => !declared.has(Number(u)))).size);
    }
    return { changes, replaces };
  },

  async create(inputs: WorkspaceGroupMembersInputs): Promise<pulumi.dynamic.CreateResult<WorkspaceGroupMembersOutputs>> {
    const live = await liveMembers(kantata(), inputs.workspaceGroupId);
    const declared = inputs.userIds.map(String);
    const plan = planGroupMembers({ mode: inputs.mode, declared, live, managed: [] });
    guardRemovals(inputs, plan.remove.length);
    const preexisting = new Set(declared.filter((u) => live.has(u)));
    const outs = await applyPlan(inputs, live, plan, preexisting, []);
    return { id: String(inputs.workspaceGroupId), outs };
  },

  async read(id: string, props: WorkspaceGroupMembersOutputs): Promise<pulumi.dynamic.ReadResult> {
    const live = await liveMembers(kantata(), props.workspaceGroupId);
    const managed = new Set((props.userIds ?? []).map(String));
    const members = [...live].filter(([userId]) => props.mode === "authoritative" || managed.has(userId));
    const outs = buildOutputs(inputsOf(props), members, (props.preexistingUserIds ?? []).map(String), props.userIds);
    // Returning inputs too makes drift a normal diff against the program (hand-removed members re-added,
    // hand-added members removed in authoritative mode) instead of a spurious everything-changed diff.
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(
    _id: string,
    olds: WorkspaceGroupMembersOutputs,
    news: WorkspaceGroupMembersInputs,
  ): Promise<pulumi.dynamic.UpdateResult<WorkspaceGroupMembersOutputs>> {
    // Re-read the group rather than trusting old state: someone may have changed it since.
    const live = await liveMembers(kantata(), news.workspaceGroupId);
    const managedBefore = [...recordedMembers(olds).keys()];
    const declared = news.userIds.map(String);
    const plan = planGroupMembers({ mode: news.mode, declared, live, managed: managedBefore });
    guardRemovals(news, plan.remove.length);
    const wasManaged = new Set(managedBefore);
    const preexisting = new Set([
      ...(olds.preexistingUserIds ?? []).map(String),
      ...declared.filter((u) => live.has(u) && !wasManaged.has(u)),
    ]);
    return { outs: await applyPlan(news, live, plan, preexisting, managedBefore) };
  },

  async delete(_id: string, props: WorkspaceGroupMembersOutputs): Promise<void> {
    const removals = planDestroy(
      recordedMembers(props),
      (props.preexistingUserIds ?? []).map(String),
      Boolean(props.removePreexistingOnDestroy),
    );
    const results = await kantata().deleteMemberships(removals.map((r) => r.membershipId));
    const failures = results.flatMap((result, i) =>
      result.status === "rejected" ? [`user ${removals[i].userId}: ${(result.reason as Error).message}`] : [],
    );
    // The resource stays in state; deletes are idempotent (404 counts as done), so a retry finishes the job.
    if (failures.length > 0) throw new Error(`Could not remove ${failures.length} member(s): ${failures.join("; ")}`);
  },
};
