import { type GroupRef, normalizeEmail, parseGroupRef } from "../identity/references";
import { unknownAddressReason, unknownGroupReason } from "../identity/resolve";
import type { ProviderContext } from "../runtime/context";
import { keyFor } from "../runtime/liveGroups";
import { type Failures, describeValue } from "../runtime/inputs";

/**
 * The provider's look-ups (`kantata:index:getUser`, `getWorkspaceGroup`, `getWorkspaceGroupMembers`):
 * read-only questions a program asks while it runs, answered by the same directory and client that the
 * resources' checks use, with the same messages for an unknown address or name. Each returns its outputs,
 * or failures naming the input at fault (the engine shows them as the invoke's error).
 */
export type LookupResult<T> = { outputs: T; failures?: undefined } | { outputs?: undefined; failures: Failures };

export interface UserFound {
  id: number;
  /** As Kantata stores it. */
  email: string;
  name: string;
  /** True for a disabled login (the person left): still found, so a program can say so. */
  disabled: boolean;
}

export interface GroupFound {
  id: number;
  name: string;
  notes: string;
}

export interface GroupMembersFound {
  /** Each member's normalised email (or user id, for a user Kantata did not side-load) → user id. */
  members: Record<string, number>;
}

const text = (inputs: Record<string, unknown>, property: string, example: string, failures: Failures): string | undefined => {
  const value = inputs[property];
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  failures.push({ property, reason: `${property} must be a non-empty text, such as ${JSON.stringify(example)}; got ${describeValue(value)}.` });
  return undefined;
};

export async function getUser(ctx: ProviderContext, inputs: Record<string, unknown>): Promise<LookupResult<UserFound>> {
  const failures: Failures = [];
  const email = text(inputs, "email", "alice@acme.com", failures);
  if (email === undefined) return { failures };
  const active = await ctx.directory.findUserByEmail(email);
  const user = active ?? (await ctx.directory.findDisabledUserByEmail(email));
  if (user === undefined)
    return { failures: [{ property: "email", reason: unknownAddressReason(normalizeEmail(email), await ctx.directory.suggestEmail(email)) }] };
  return { outputs: { id: user.id, email: user.email, name: user.fullName, disabled: active === undefined } };
}

async function findGroup(ctx: ProviderContext, ref: GroupRef, property: string, failures: Failures) {
  const group = await ctx.directory.findGroup(ref);
  if (group === undefined)
    failures.push({
      property,
      reason: unknownGroupReason(ref, ref.kind === "name" ? await ctx.directory.suggestGroupName(ref.name) : undefined),
    });
  return group;
}

export async function getWorkspaceGroup(ctx: ProviderContext, inputs: Record<string, unknown>): Promise<LookupResult<GroupFound>> {
  const failures: Failures = [];
  const name = text(inputs, "name", "Delivery-EMEA", failures);
  const group = name === undefined ? undefined : await findGroup(ctx, { kind: "name", name }, "name", failures);
  if (group === undefined) return { failures };
  return { outputs: { id: group.id, name: group.name, notes: group.notes ?? "" } };
}

/**
 * ⌈members/200⌉ GETs, users side-loaded: the read a WorkspaceGroupMembers makes when it takes a group on,
 * made afresh each time (the resources' snapshot of a group is for planning one operation, and this
 * process may have changed the group since).
 */
export async function getWorkspaceGroupMembers(ctx: ProviderContext, inputs: Record<string, unknown>): Promise<LookupResult<GroupMembersFound>> {
  const failures: Failures = [];
  const ref = parseGroupRef(inputs.group);
  if (ref === undefined) {
    const reason = `group must be a workspace group's name, such as "Delivery-EMEA", or its id, such as "5521"; got ${describeValue(inputs.group)}.`;
    return { failures: [{ property: "group", reason }] };
  }
  const group = await findGroup(ctx, ref, "group", failures);
  if (group === undefined) return { failures };
  const { memberships, users } = await ctx.client.listGroupMembers(group.id);
  return { outputs: { members: Object.fromEntries(memberships.map(({ userId }) => [keyFor(userId, users), userId])) } };
}
