import {
  type KantataClient,
  type SettingsSources,
  type User,
  type WalkProgress,
  clientFromSettings,
  resolveSettings,
} from "../../provider/kantata";
import type { TransportOptions } from "../../provider/kantata/http";
import { safeSource } from "../../lib/urls";
import { plural as words } from "./text";
import type { AccountSnapshot, SnapshotUser } from "./model";

/**
 * Reads the live account for the report: every group (with its notes), every membership with its user
 * side-loaded, the users of the creators (and of members whose user did not come side-loaded) by id,
 * and which members are disabled users (people who left).
 *
 * Cost: ⌈G/200⌉ GETs of /workspace_groups (at least one) + ⌈M/200⌉ GETs of /user_group_memberships
 * (at least one) + ⌈L/200⌉ GETs of /users?only=, where L is the ids not side-loaded: creators, and
 * members whose user is gone. On the company account every membership was made by one person, so L is
 * 1. Then disabled users: 2 one-row GETs count the account's users with and without `show_disabled`;
 * equal counts mean nobody is disabled, and that is all. Otherwise Kantata hides disabled users only
 * from /users, not from side-loads, so ⌈P/200⌉ GETs of /users?only= ask which of the P side-loaded
 * members are still active (the others are disabled: the provider's refresh asks the same way), and
 * ⌈U/200⌉ GETs with `show_disabled=true` ask which of the U members that could not be read are
 * disabled rather than gone. The requests are counted where they are sent (retries included) and
 * reported against that bound.
 */

/** What the report reads through: the client's groups, the side-loaded walk, look-ups by id, and user counts. */
export type ReportSource = Pick<
  KantataClient,
  "listWorkspaceGroups" | "listMembersWithUsers" | "findUsersById" | "activeUserIds" | "countUsers"
>;

export interface ReadOptions {
  /** The base URL, for the header (any user info, query or fragment is dropped). */
  account: string;
  onProgress?: (progress: WalkProgress) => void;
  /** The number of requests sent so far, when the source counts them (see {@link createReportSource}). */
  requestsMade?: () => number;
}

const PAGE = 200;
const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));
const sortedIds = (ids: Iterable<number>): number[] => [...new Set(ids)].sort((a, b) => a - b);

export async function readAccount(source: ReportSource, options: ReadOptions): Promise<AccountSnapshot> {
  const before = options.requestsMade?.() ?? 0;
  const groups = await source.listWorkspaceGroups();
  const { memberships, users } = await source.listMembersWithUsers({}, options.onProgress);
  const wanted = new Set<number>();
  for (const m of memberships) {
    if (!users.has(m.userId)) wanted.add(m.userId);
    if (m.creatorId !== undefined && !users.has(m.creatorId)) wanted.add(m.creatorId);
  }
  const ids = sortedIds(wanted);
  const found: User[] = ids.length === 0 ? [] : await source.findUsersById(ids);
  const all = new Map<number, SnapshotUser>(users);
  for (const user of found) all.set(user.id, user);

  // Disabled users: only when the account has any (two one-row counts tell).
  const disabledUserIds = new Set<number>();
  const [everyone, active] = await Promise.all([source.countUsers({ includeDisabled: true }), source.countUsers()]);
  const anyDisabled = everyone > active;
  const members = anyDisabled ? sortedIds(memberships.map((m) => m.userId)) : [];
  const sideLoaded = members.filter((id) => users.has(id));
  const unreadable = members.filter((id) => !all.has(id));
  if (sideLoaded.length > 0) {
    const stillActive = await source.activeUserIds(sideLoaded);
    for (const id of sideLoaded) if (!stillActive.has(id)) disabledUserIds.add(id);
  }
  if (unreadable.length > 0)
    for (const user of await source.findUsersById(unreadable, { includeDisabled: true })) {
      all.set(user.id, user);
      disabledUserIds.add(user.id);
    }

  const lookups = Math.ceil(ids.length / PAGE);
  const activeChecks = Math.ceil(sideLoaded.length / PAGE);
  const disabledLookups = Math.ceil(unreadable.length / PAGE);
  const bound = pages(groups.length) + pages(memberships.length) + lookups + 2 + activeChecks + disabledLookups;
  const detail = [
    words(pages(memberships.length), "membership page"),
    words(pages(groups.length), "group page"),
    `${words(lookups, "user look-up")} (${words(ids.length, "id")} not side-loaded: creators and unreadable members)`,
    anyDisabled
      ? `2 user counts (${words(everyone - active, "disabled user")} in the account), ${words(activeChecks, "active check")} (${words(sideLoaded.length, "member")}) and ${words(disabledLookups, "disabled look-up")} (${words(unreadable.length, "unreadable member")})`
      : "2 user counts (no disabled user in the account)",
  ].join(", ");
  return {
    account: safeSource(options.account),
    groups: groups.map(({ id, name, notes }) => ({ id, name, ...(notes !== undefined && notes !== "" && { notes }) })),
    memberships,
    users: all,
    disabledUserIds,
    ...(options.requestsMade && { requests: { made: options.requestsMade() - before, bound, detail } }),
  };
}

/** The client a report reads through, with its base URL and a request counter. Settings resolve as the provider's do. */
export function createReportSource(
  sources: SettingsSources,
  options: TransportOptions = {},
): ReportSource & { baseUrl: string; requestsMade: () => number } {
  const settings = resolveSettings(sources);
  let sent = 0;
  const client = clientFromSettings(settings, { ...options, onAttempt: () => sent++ });
  return Object.assign(client, { baseUrl: settings.baseUrl, requestsMade: () => sent });
}
