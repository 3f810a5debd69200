import type * as pulumi from "@pulumi/pulumi";
import type { Directory } from "../../identity/directory";
import type { MembershipMode } from "../../plan/groupMembers";
import { type MemberMap, groupResolvedIn, resolveGroupInput, resolveMemberInputs } from "../identityInputs";
import { type Failures, UNKNOWN, describeValue, isUnknown, parseFlag } from "../inputs";
import type { CheckedInputs } from "./state";

/**
 * Default for maxRemovals: enough for a routine offboarding in one change, small enough that a bad
 * merge which empties or swaps a group's list is stopped at preview instead of revoking everyone.
 */
export const DEFAULT_MAX_REMOVALS = 10;
const MODES: readonly MembershipMode[] = ["additive", "authoritative"];

/** The program's arguments as the engine hands them to `check`. */
export interface ProgramArgs {
  group?: unknown;
  members?: unknown;
  mode?: unknown;
  maxRemovals?: unknown;
  removePreexistingOnDestroy?: unknown;
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

/**
 * Validates the arguments and resolves the group and every person to ids, reporting every problem at
 * once. What the old inputs already resolved is reused without a request.
 */
export async function checkWorkspaceGroupMembers(
  olds: Partial<CheckedInputs> | undefined,
  news: ProgramArgs,
  directory: () => Directory,
): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
  const failures: Failures = [];
  const entries = memberEntries(news.members, failures);
  const known = olds?.members === UNKNOWN ? undefined : olds?.members;
  const resolvingMembers = async (): Promise<MemberMap | typeof UNKNOWN | undefined> =>
    entries === UNKNOWN ? UNKNOWN : entries && resolveMemberInputs(entries, known, directory, failures);
  const [group, members] = await Promise.all([resolveGroupInput(news.group, groupResolvedIn(olds), directory, failures), resolvingMembers()]);
  const mode = parseMode(news.mode, failures);
  const maxRemovals = parseMaxRemovals(news.maxRemovals, failures);
  const removePreexistingOnDestroy = parseFlag("removePreexistingOnDestroy", news.removePreexistingOnDestroy, failures);
  if (failures.length > 0 || group === undefined || members === undefined || mode === undefined) return { failures };
  if (maxRemovals === undefined || removePreexistingOnDestroy === undefined) return { failures };
  return { inputs: { ...group, members, mode, maxRemovals, removePreexistingOnDestroy } };
}
