import { KantataError } from "../lib/errors";
import { safeSource } from "../lib/urls";
import {
  type KantataClient,
  type SettingsSources,
  type User,
  type WalkProgress,
  type WorkspaceGroup,
  clientFromSettings,
  resolveSettings,
} from "../provider/kantata";
import type { TransportOptions } from "../provider/kantata/http";
import { foldName, normalizeEmail, parseUserRef } from "../provider/identity/references";
import { closestMatch } from "../provider/identity/suggest";
import type { MembershipMode } from "../provider/plan/memberships";
import { type AccessFile, type AccessGroup, formatAccessFile } from "./accessFile";

/**
 * `kantata-access export`: an existing account's groups (their names and notes) and memberships as an
 * access file, so an account managed by hand can be put under code without retyping it. The output is what `parseAccessFile`
 * reads, and is deterministic (groups by name, members sorted, lower-cased addresses): exporting an
 * unchanged account twice differs only in the "Exported at" line, and a later export diffs against
 * the file in review as exactly the people who moved.
 *
 * Cost: ⌈G/200⌉ GETs of /workspace_groups, plus ONE walk of /user_group_memberships with the users
 * side-loaded (`include=user`): ⌈M/200⌉ GETs for --all, or per 200 group ids for --group. A member
 * whose user did not come side-loaded (deleted, or hidden) costs one batched `GET /users?only=` for
 * all such members together; a member still unknown after it is exported by id, with a comment.
 */

export interface ExportOptions {
  /** Group names to export (exact, ignoring case); undefined exports every group. */
  groups?: readonly string[];
  /** The mode written for every exported group. */
  mode?: MembershipMode;
  /** When the export was taken: the header's only non-deterministic line. Default now. */
  exportedAt?: Date;
  /** Where it was read from, for the header: the base URL only (never the token). */
  source: string;
  /** Told after each page of memberships read. */
  onProgress?: (progress: WalkProgress) => void;
  /** Also write each group as a file of its own, for an access folder (load.ts). */
  split?: boolean;
}

/** What an export reads: the client's groups, users and the side-loaded membership walk. */
export type ExportSource = Pick<KantataClient, "listWorkspaceGroups" | "findUsersById" | "listMembersWithUsers">;

export class UnknownGroupError extends KantataError {
  override readonly name = "UnknownGroupError";
  readonly code = "input";
  constructor(
    readonly unknown: Array<{ name: string; closest?: string }>,
    groupCount: number,
  ) {
    super(
      unknown.map(({ name, closest }) => `no workspace group is named "${name}"${closest ? `; did you mean "${closest}"?` : ""}`).join("\n") +
        ` (the account has ${groupCount} ${groupCount === 1 ? "group" : "groups"}; names are matched exactly, ignoring case)`,
    );
  }
}

export interface ExportResult {
  /** The access file's text. */
  text: string;
  /** With `split`: one file per group, named after it (lower-case, `-` for anything else; `-2`… on a clash). */
  files?: Array<{ name: string; text: string }>;
  file: AccessFile;
  groups: number;
  members: number;
  /** Members exported by user id because no address could be read for them. */
  byId: number;
}

const count = (n: number): string => n.toLocaleString("en-US");

/** Reads the account and returns the access file. Throws the client's KantataApiError, or UnknownGroupError. */
export async function exportAccess(source: ExportSource, options: ExportOptions): Promise<ExportResult> {
  const mode = options.mode ?? "additive";
  const allGroups = await source.listWorkspaceGroups();
  const groups = options.groups === undefined ? allGroups : pickGroups(allGroups, options.groups);
  const ids = groups.map((g) => g.id);
  // --all reads every membership unfiltered: one walk, whatever the number of groups.
  const { memberships, users } =
    ids.length === 0
      ? { memberships: [], users: new Map<number, User>() }
      : await source.listMembersWithUsers(options.groups === undefined ? {} : { groupIds: ids }, options.onProgress);

  const missing = [...new Set(memberships.map((m) => m.userId).filter((id) => !users.has(id)))];
  if (missing.length > 0) for (const user of await source.findUsersById(missing)) users.set(user.id, user);

  const wanted = new Map(groups.map((g) => [g.id, g]));
  const membersOf = new Map<number, Array<string | number>>(groups.map((g) => [g.id, []]));
  /** Why a member is listed by id, by "group name" + id. */
  const why = new Map<string, string>();
  for (const membership of memberships) {
    const group = wanted.get(membership.workspaceGroupId);
    if (group === undefined) continue; // a group created between the two reads; the next export has it
    const user = users.get(membership.userId);
    const email = user?.email ?? "";
    const ref = parseUserRef(email);
    if (user !== undefined && ref?.kind === "email") {
      membersOf.get(group.id)!.push(normalizeEmail(email));
      continue;
    }
    membersOf.get(group.id)!.push(membership.userId);
    why.set(
      `${group.name}\u0000${membership.userId}`,
      user === undefined
        ? "user not found in Kantata (deleted?): kept by id, check before applying"
        : `user has ${email === "" ? "no email address" : `an unusable email address ${JSON.stringify(email)}`}: kept by id`,
    );
  }

  // Each group's notes too: the file's first `up` takes every group on as it is, with no write.
  const accessGroups: AccessGroup[] = groups.map((g) => ({
    name: g.name,
    mode,
    ...(g.notes !== undefined && g.notes !== "" && { notes: g.notes }),
    members: membersOf.get(g.id)!,
  }));
  const members = accessGroups.reduce((n, g) => n + g.members.length, 0);
  const file: AccessFile = { groups: accessGroups };
  const exportedAt = (options.exportedAt ?? new Date()).toISOString();
  const header = [
    "Kantata OX workspace group memberships, exported by `kantata-access export`.",
    `Source: ${safeSource(options.source)}`,
    `Exported at: ${exportedAt}`,
    `${count(accessGroups.length)} ${accessGroups.length === 1 ? "group" : "groups"}, ${count(members)} ${members === 1 ? "member" : "members"}${why.size > 0 ? ` (${count(why.size)} by user id)` : ""}; mode ${mode} for every group.`,
  ];
  const memberComment = (group: string, member: string | number) => why.get(`${group}\u0000${member}`);
  const text = formatAccessFile(file, { header, memberComment });
  const files = options.split ? splitFiles(accessGroups, header.slice(0, 3), memberComment) : undefined;
  return { text, ...(files && { files }), file, groups: accessGroups.length, members, byId: why.size };
}

/** One file per group, in name order, each with the export's header (but its counts). */
function splitFiles(
  groups: readonly AccessGroup[],
  header: string[],
  memberComment: (group: string, member: string | number) => string | undefined,
): Array<{ name: string; text: string }> {
  const taken = new Set<string>();
  return [...groups]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((group) => {
      const base =
        group.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-+|-+$/g, "") || "group";
      let name = `${base}.yaml`;
      for (let n = 2; taken.has(name); n++) name = `${base}-${n}.yaml`;
      taken.add(name);
      return { name, text: formatAccessFile({ groups: [group] }, { header, memberComment }) };
    });
}

/** The groups named, in the account's spelling; every unknown name is reported at once. */
function pickGroups(all: readonly WorkspaceGroup[], names: readonly string[]): WorkspaceGroup[] {
  const byName = new Map(all.map((g) => [foldName(g.name), g]));
  const picked = new Map<number, WorkspaceGroup>();
  const unknown: Array<{ name: string; closest?: string }> = [];
  for (const name of names) {
    const group = byName.get(foldName(name));
    if (group) picked.set(group.id, group);
    else
      unknown.push({
        name,
        closest: closestMatch(
          name,
          all.map((g) => g.name),
        ),
      });
  }
  if (unknown.length > 0) throw new UnknownGroupError(unknown, all.length);
  return [...picked.values()];
}

/** The client an export reads through, with the base URL for the header. Settings resolve as the provider's do. */
export function createExportSource(sources: SettingsSources, options: TransportOptions = {}): ExportSource & { baseUrl: string } {
  const settings = resolveSettings(sources);
  return Object.assign(clientFromSettings(settings, options), { baseUrl: settings.baseUrl });
}

/** "read 2,000 of 9,000 memberships": every `every` pages, and at the end of a walk of more than `every` pages. */
export function progressReporter(write: (line: string) => void, every = 10): (progress: WalkProgress) => void {
  return (p) => {
    const done = p.read >= p.total;
    if (p.pages % every === 0 || (done && p.pages > every)) write(`read ${count(p.read)} of ${count(p.total)} memberships`);
  };
}
