import {
  type KantataClient,
  type SettingsSources,
  type User,
  type WalkProgress,
  clientFromSettings,
  resolveSettings,
} from "../../provider/kantata";
import type { TransportOptions } from "../../provider/kantata/http";
import { plural as words, safeSource } from "./text";
import type { AccountSnapshot, SnapshotUser } from "./model";

/**
 * Reads the live account for the report: every group, every membership with its user side-loaded, and
 * the users of the creators (and of members whose user did not come side-loaded) by id.
 *
 * Cost: ⌈G/200⌉ GETs of /workspace_groups (at least one) + ⌈M/200⌉ GETs of /user_group_memberships
 * (at least one) + ⌈L/200⌉ GETs of /users?only=, where L is the ids not side-loaded: creators, and
 * members whose user is gone. On the company account every membership was made by one person, so L is
 * 1. The requests are counted where they are sent (retries included) and reported against that bound.
 */

/** What the report reads through: the client's groups, the side-loaded walk and look-ups by id. */
export type ReportSource = Pick<KantataClient, "listWorkspaceGroups" | "listMembersWithUsers" | "findUsersById">;

export interface ReadOptions {
  /** The base URL, for the header (any user info, query or fragment is dropped). */
  account: string;
  onProgress?: (progress: WalkProgress) => void;
  /** The number of requests sent so far, when the source counts them (see {@link createReportSource}). */
  requestsMade?: () => number;
}

const PAGE = 200;
const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));

export async function readAccount(source: ReportSource, options: ReadOptions): Promise<AccountSnapshot> {
  const before = options.requestsMade?.() ?? 0;
  const groups = await source.listWorkspaceGroups();
  const { memberships, users } = await source.listMembersWithUsers({}, options.onProgress);
  const wanted = new Set<number>();
  for (const m of memberships) {
    if (!users.has(m.userId)) wanted.add(m.userId);
    if (m.creatorId !== undefined && !users.has(m.creatorId)) wanted.add(m.creatorId);
  }
  const ids = [...wanted].sort((a, b) => a - b);
  const found: User[] = ids.length === 0 ? [] : await source.findUsersById(ids);
  const all = new Map<number, SnapshotUser>(users);
  for (const user of found) all.set(user.id, user);

  const lookups = Math.ceil(ids.length / PAGE);
  const bound = pages(groups.length) + pages(memberships.length) + lookups;
  const detail = [
    words(pages(memberships.length), "membership page"),
    words(pages(groups.length), "group page"),
    `${words(lookups, "user look-up")} (${words(ids.length, "id")} not side-loaded: creators and unreadable members)`,
  ].join(", ");
  return {
    account: safeSource(options.account),
    groups: groups.map(({ id, name }) => ({ id, name })),
    memberships,
    users: all,
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
