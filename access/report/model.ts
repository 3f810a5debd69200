import { DEFAULT_TIME_ZONE, type Day, EXPIRY_WARNING_DAYS, dayIn, expiresSoon, hasExpired } from "../../lib/calendar";
import { normalizeEmail } from "../../provider/identity/references";
import { plural } from "./text";

/**
 * The access report's model: who has access to which workspace group, since when, added by whom,
 * through code or by hand, and whether that is what the reviewed file says. Built by one pure function,
 * {@link buildReport}, from three views that the command reads (the account, `access.yaml`, the stack's
 * state); the HTML, CSV and JSON renderers take only the model, so the three files always say the same.
 *
 * Determinism: nothing here reads a clock or the environment. Every list is sorted (groups and people
 * by name ignoring case, then by id), so the same inputs give byte-identical files.
 *
 * What the features after the first report add, each filled by the command and optional here: a member's
 * end date and reason (`DeclaredMember.until`/`reason`, from access.yaml, judged on `ReportInputs.today`
 * with lib/calendar.ts as the provider and `review` judge them), the file's rules judged against the
 * account as it is (`ReportInputs.rules`, by provider/plan/rules.ts, see rules.ts), members who are
 * disabled users (`AccountSnapshot.disabledUserIds`, see snapshot.ts), groups as code
 * (`StateResource.kind === "WorkspaceGroup"`, see stack.ts) and each group's notes (`SnapshotGroup.notes`).
 * A fact not given counts 0, and `checks` says plainly that it was not checked.
 */

export const REPORT_SCHEMA_VERSION = 1;

// ---------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------

export interface SnapshotGroup {
  id: number;
  name: string;
  /** The group's notes in Kantata, when it has any (text from the account: hostile). */
  notes?: string;
}

/** A membership as the client reads it: `createdAt` is "when the user was assigned", `creatorId` "the user that assigned". */
export interface SnapshotMembership {
  id: number;
  userId: number;
  workspaceGroupId: number;
  creatorId?: number;
  createdAt?: string;
}

export interface SnapshotUser {
  id: number;
  email: string;
  fullName: string;
}

/** The live account, read in one side-loaded walk. */
export interface AccountSnapshot {
  /** Where it was read from: the base URL, never the token. */
  account: string;
  groups: readonly SnapshotGroup[];
  memberships: readonly SnapshotMembership[];
  /** Every user that could be read: members (side-loaded or looked up) and creators. A member missing here "can no longer be read". */
  users: ReadonlyMap<number, SnapshotUser>;
  /** Members known to be disabled users (people who left). Undefined: not checked. */
  disabledUserIds?: ReadonlySet<number>;
  /** What reading it cost, when counted. */
  requests?: RequestCount;
}

/** Requests made against the bound the command promises: ⌈memberships/200⌉ + ⌈groups/200⌉ + the user look-ups (see snapshot.ts). */
export interface RequestCount {
  made: number;
  bound: number;
  /** The bound's terms, in words: "45 membership pages, 1 group page, 1 user look-up (3 ids)". */
  detail: string;
}

export type Mode = "additive" | "authoritative";

/** A person as `access.yaml` names them, and until when. */
export interface DeclaredMember {
  /** An email address (any case) or a user id, as written. */
  person: string | number;
  /** The last day with access (`YYYY-MM-DD`, a day in the file's time zone), as `access.yaml`'s `until`. Absent: no end. */
  until?: Day;
  /** Why the access is granted, when the file says. */
  reason?: string;
}

export interface DeclaredGroup {
  /** As written; matched to the account's groups exactly, ignoring case. */
  name: string;
  mode: Mode;
  members: readonly DeclaredMember[];
}

/** What the reviewed file declares. */
export interface DeclaredView {
  /** The file, as given on the command line. */
  file: string;
  /** The commit that last changed it, when it is in a git work tree. */
  commit?: string;
  /** True when the file differs from that commit (uncommitted changes). */
  modified?: boolean;
  /** The IANA time zone end dates are days in (`timeZone:`); UTC when absent. */
  timeZone?: string;
  groups: readonly DeclaredGroup[];
}

/** The resource kinds whose state the report reads: member sets, single memberships, and groups as code. */
export type ResourceKind = "WorkspaceGroupMembers" | "UserGroupMembership" | "WorkspaceGroup";

export interface StateResource {
  kind: ResourceKind;
  /** The resource's name in the program (the URN's last part). */
  name: string;
  urn: string;
}

/** A group a resource of the stack manages: its member set (WorkspaceGroupMembers) or the group itself (WorkspaceGroup). */
export interface StateGroup {
  groupId: number;
  name: string;
  /** For a member set; absent for resources that manage no member set. */
  mode?: Mode;
  resource: StateResource;
}

/** A membership a resource of the stack manages. */
export interface StateMembership {
  groupId: number;
  userId: number;
  /** How state keys the person: the normalised email, or the id's decimal form. */
  person: string;
  /** True when the member was there before the resource took it on (`preexisting`, or `adopted`). */
  adopted: boolean;
  resource: StateResource;
}

/** What the stack manages, from `pulumi stack export`. */
export interface StateView {
  stack: string;
  groups: readonly StateGroup[];
  memberships: readonly StateMembership[];
}

/** One rule of the access file that the account breaks now (judged by provider/plan/rules.ts, see rules.ts). */
export interface RuleViolation {
  /** The rule's kind: "separate", "allowedDomains" or "maxMembers". */
  rule: string;
  /** The group it concerns, when it concerns one. */
  group?: string;
  /** Every group of the account it looked at, as Kantata spells them. */
  groups?: string[];
  /** The rule's `reason`, when the file gives one. */
  reason?: string;
  /** The people who break it: normalised emails, or "user <id>"; empty for maxMembers. */
  people: string[];
  /** One sentence an auditor can read: the rule, its reason, the groups and the people. */
  message: string;
}

/** Rule results (`--access` with `rules:`); absent means no rules were declared, so none were checked. */
export interface RuleEvaluation {
  /** How many rules were declared and checked. */
  checked: number;
  violations: readonly RuleViolation[];
}

export interface ReportInputs {
  snapshot: AccountSnapshot;
  declared?: DeclaredView;
  state?: StateView;
  rules?: RuleEvaluation;
  /** The time of the snapshot, as the header shows it (inject it for byte-identical files). */
  generatedAt: Date;
  tool: { name: string; version: string };
  /**
   * The day end dates are judged against, as the provider and `review` judge them: `accessToday` of the
   * file's time zone (KANTATA_ACCESS_TODAY when set), which the command passes. Default: the day of
   * `generatedAt` in the file's time zone. Access expires the day after `until`, and is expiring when that
   * day is within EXPIRY_WARNING_DAYS (lib/calendar.ts).
   */
  today?: Day;
}

// ---------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------

/**
 * How a membership stands towards code: "code" a resource manages it (or, without state, the file
 * declares it); "adopted" a resource took it over from a person; "outside" nothing in code manages
 * it; "unknown" neither the stack nor the file was given.
 */
export type Management = "code" | "adopted" | "outside" | "unknown";
export const MANAGEMENTS: readonly Management[] = ["code", "adopted", "outside", "unknown"];

/** Where "managed by code" comes from: the stack's state (what was applied), the access file (what is declared), or nowhere. */
export type ManagementBasis = "stack" | "access-file" | "none";

/** "readable": the user's record was read; "unreadable": it can no longer be read (deleted, or hidden); "disabled": known disabled. */
export type UserStatus = "readable" | "unreadable" | "disabled";

/** The person who assigned a membership (`creator_id`). */
export interface AddedBy {
  userId: number | null;
  email: string | null;
  name: string | null;
}

export interface MemberRow {
  membershipId: number;
  userId: number;
  /** Normalised (lower-case); null when the user can't be read. */
  email: string | null;
  name: string | null;
  status: UserStatus;
  /** `created_at`: when the user was assigned, as Kantata sends it. */
  since: string | null;
  addedBy: AddedBy;
  management: Management;
  /** The resource that manages it, when the stack was read. */
  resource: string | null;
  /** Whether access.yaml declares it; null without an access file. */
  declared: boolean | null;
  /** The declared last day of access (`until`); null when none is declared. */
  expires: string | null;
  /** The last day has passed (judged on the report's day, in the file's time zone). */
  expired: boolean;
  /** Not expired, and access ends within EXPIRY_WARNING_DAYS (14) days. */
  expiring: boolean;
  /** Why the access is granted (`reason` beside `until`); null when the file gives none. */
  expiryReason: string | null;
}

export interface GroupReport {
  id: number;
  name: string;
  /** The group's notes in Kantata; absent when it has none. */
  notes?: string;
  /** Managed by code: declared in access.yaml or managed by a resource of the stack. */
  managed: boolean;
  /** The declared (or, without a file, recorded) mode; null when not managed. */
  mode: Mode | null;
  /** Resources of the stack that manage the group or its members, sorted by name. */
  resources: StateResource[];
  counts: { members: number } & Record<Management, number> & { drift: number };
  members: MemberRow[];
}

export interface PersonReport {
  userId: number;
  email: string | null;
  name: string | null;
  status: UserStatus;
  /** Ids of the groups the person is in, in the report's group order. */
  groups: number[];
}

export type DriftKind = "missing-member" | "undeclared-member" | "expired-member" | "missing-group";

export interface DriftItem {
  kind: DriftKind;
  group: string;
  groupId: number | null;
  /** Normalised email, or "user <id>"; null for a missing group. */
  person: string | null;
  userId: number | null;
  /** One sentence: what differs and what the next `pulumi up` does about it. */
  detail: string;
}

/** A person whose user record can no longer be read, or who is disabled, while they still hold memberships. */
export interface DisabledUser {
  userId: number;
  email: string | null;
  reason: "unreadable" | "disabled";
  /** Names of the groups they are still in, sorted. */
  groups: string[];
}

export interface Check {
  checked: boolean;
  /** Why not, or what was checked, in one sentence. */
  note: string;
}

export interface ReportModel {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  header: {
    account: string;
    generatedAt: string;
    tool: { name: string; version: string };
    accessFile: { path: string; commit: string | null; modified: boolean } | null;
    stack: string | null;
    managementBasis: ManagementBasis;
    requests: RequestCount | null;
  };
  summary: {
    groups: number;
    groupsManaged: number;
    groupsNotManaged: number;
    people: number;
    memberships: number;
    management: Record<Management, number>;
    drift: number;
    ruleViolations: number;
    expiring: number;
    expired: number;
    disabledUsers: number;
  };
  checks: { drift: Check; rules: Check; expiry: Check; disabledUsers: Check };
  groups: GroupReport[];
  people: PersonReport[];
  drift: DriftItem[];
  ruleViolations: RuleViolation[];
  disabledUsers: DisabledUser[];
}

// ---------------------------------------------------------------------------------------------------
// Building it
// ---------------------------------------------------------------------------------------------------

/** Stable everywhere (no locale data): ignoring case first, then exact, so "ada" and "Ada" keep one order. */
export function compareText(a: string, b: string): number {
  const fa = a.toLowerCase();
  const fb = b.toLowerCase();
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const fold = (name: string): string => name.trim().toLowerCase();
const pair = (groupId: number, userId: number): string => `${groupId}:${userId}`;
const personLabel = (email: string | null, userId: number): string => email ?? `user ${userId}`;

/** Members sorted by email (people who can't be read last), then user id. */
function compareMembers(a: { email: string | null; userId: number }, b: { email: string | null; userId: number }): number {
  if (a.email !== null && b.email !== null && a.email !== b.email) return compareText(a.email, b.email);
  if (a.email === null && b.email !== null) return 1;
  if (a.email !== null && b.email === null) return -1;
  return a.userId - b.userId;
}

/** Who should be in a group, for drift and for "declared": one entry per declared person. */
interface IntentEntry {
  email: string | null;
  userId: number | null;
  member: DeclaredMember;
}
interface Intent {
  entries: IntentEntry[];
  byEmail: Map<string, IntentEntry>;
  byId: Map<number, IntentEntry>;
}

function intentOf(entries: IntentEntry[]): Intent {
  const intent: Intent = { entries, byEmail: new Map(), byId: new Map() };
  for (const entry of entries) {
    if (entry.email !== null) intent.byEmail.set(entry.email, entry);
    if (entry.userId !== null) intent.byId.set(entry.userId, entry);
  }
  return intent;
}

/** The file's people for a group: by email as written (normalised), or by id. */
const intentOfFile = (group: DeclaredGroup): Intent =>
  intentOf(
    group.members.map((member) =>
      typeof member.person === "number"
        ? { email: null, userId: member.person, member }
        : { email: normalizeEmail(member.person), userId: null, member },
    ),
  );

/** Without a file, a group the stack manages should hold what the stack manages in it (by user id, as state records). */
function intentOfState(state: StateView, groupId: number): Intent | undefined {
  if (!state.groups.some((g) => g.groupId === groupId) && !state.memberships.some((m) => m.groupId === groupId)) return undefined;
  return intentOf(
    state.memberships
      .filter((m) => m.groupId === groupId)
      .map((m) => ({ email: m.person.includes("@") ? m.person : null, userId: m.userId, member: { person: m.userId } })),
  );
}

/** The report model. Pure: the same inputs give the same model. */
export function buildReport(inputs: ReportInputs): ReportModel {
  const { snapshot, declared, state } = inputs;
  const timeZone = declared?.timeZone ?? DEFAULT_TIME_ZONE;
  const today = inputs.today ?? dayIn(timeZone, inputs.generatedAt);
  const basis: ManagementBasis = state ? "stack" : declared ? "access-file" : "none";

  const groupsById = new Map(snapshot.groups.map((g) => [g.id, g]));
  const declaredByName = new Map((declared?.groups ?? []).map((group) => [fold(group.name), group]));

  const stateByPair = new Map<string, StateMembership>();
  const stateGroupsById = new Map<number, StateGroup[]>();
  const resourcesByGroup = new Map<number, Map<string, StateResource>>();
  const addResource = (groupId: number, resource: StateResource) => {
    const map = resourcesByGroup.get(groupId) ?? new Map<string, StateResource>();
    map.set(resource.urn, resource);
    resourcesByGroup.set(groupId, map);
  };
  for (const m of state?.memberships ?? []) {
    stateByPair.set(pair(m.groupId, m.userId), m);
    addResource(m.groupId, m.resource);
  }
  for (const g of state?.groups ?? []) {
    stateGroupsById.set(g.groupId, [...(stateGroupsById.get(g.groupId) ?? []), g]);
    addResource(g.groupId, g.resource);
  }

  const userOf = (id: number): SnapshotUser | undefined => snapshot.users.get(id);
  const statusOf = (id: number): UserStatus =>
    snapshot.disabledUserIds?.has(id) ? "disabled" : userOf(id) === undefined ? "unreadable" : "readable";
  const emailOf = (id: number): string | null => {
    const email = userOf(id)?.email;
    return email ? normalizeEmail(email) : null;
  };

  const membershipsByGroup = new Map<number, SnapshotMembership[]>();
  for (const m of snapshot.memberships) {
    if (!groupsById.has(m.workspaceGroupId)) continue; // a group created between the two reads: the next report has it
    const list = membershipsByGroup.get(m.workspaceGroupId) ?? [];
    list.push(m);
    membershipsByGroup.set(m.workspaceGroupId, list);
  }

  const drift: DriftItem[] = [];
  const sortedGroups = [...snapshot.groups].sort((a, b) => compareText(a.name, b.name) || a.id - b.id);
  const seenDeclaredGroups = new Set<string>();
  let expiring = 0;
  let expired = 0;

  const groups: GroupReport[] = sortedGroups.map((group) => {
    const decl = declaredByName.get(fold(group.name));
    if (decl) seenDeclaredGroups.add(fold(group.name));
    const stateGroups = stateGroupsById.get(group.id) ?? [];
    const mode: Mode | null = decl?.mode ?? stateGroups.find((g) => g.mode !== undefined)?.mode ?? null;
    const resources = [...(resourcesByGroup.get(group.id)?.values() ?? [])].sort(
      (a, b) => compareText(a.name, b.name) || compareText(a.urn, b.urn),
    );
    const managed = decl !== undefined || resources.length > 0;
    const intent = decl ? intentOfFile(decl) : declared === undefined && state !== undefined ? intentOfState(state, group.id) : undefined;
    const matched = new Set<IntentEntry>();

    const members: MemberRow[] = (membershipsByGroup.get(group.id) ?? []).map((m) => {
      const email = emailOf(m.userId);
      const user = userOf(m.userId);
      const creator = m.creatorId === undefined ? undefined : userOf(m.creatorId);
      const entry = intent && ((email !== null ? intent.byEmail.get(email) : undefined) ?? intent.byId.get(m.userId));
      if (entry) matched.add(entry);
      const inState = stateByPair.get(pair(group.id, m.userId));
      const management: Management = state
        ? inState
          ? inState.adopted
            ? "adopted"
            : "code"
          : "outside"
        : declared !== undefined
          ? decl !== undefined && entry !== undefined
            ? "code"
            : "outside"
          : "unknown";
      const until = entry?.member.until;
      const isExpired = until !== undefined && hasExpired(until, today);
      const isExpiring = until !== undefined && expiresSoon(until, today);
      if (isExpired) expired++;
      else if (isExpiring) expiring++;
      // The provider leaves someone whose access ended out of the group: still being in it is a difference.
      if (isExpired && decl)
        drift.push({
          kind: "expired-member",
          group: group.name,
          groupId: group.id,
          person: personLabel(email, m.userId),
          userId: m.userId,
          detail: `access ended on ${until} (the access file's end date) but still a member in the account; ${
            mode === "authoritative" || management === "code" || management === "adopted"
              ? "the next pulumi up removes this membership"
              : "pulumi up removes it only where the stack manages it (additive mode)"
          }`,
        });
      if (intent && entry === undefined && mode === "authoritative")
        drift.push({
          kind: "undeclared-member",
          group: group.name,
          groupId: group.id,
          person: personLabel(email, m.userId),
          userId: m.userId,
          detail: `in the account but not ${decl ? "declared in the access file" : "managed by the stack"}; the group is authoritative, so the next pulumi up removes this membership`,
        });
      return {
        membershipId: m.id,
        userId: m.userId,
        email,
        name: user?.fullName || null,
        status: statusOf(m.userId),
        since: m.createdAt ?? null,
        addedBy: {
          userId: m.creatorId ?? null,
          email: creator?.email ? normalizeEmail(creator.email) : null,
          name: creator?.fullName || null,
        },
        management,
        resource: inState?.resource.name ?? null,
        declared: declared === undefined ? null : decl !== undefined && entry !== undefined,
        expires: until ?? null,
        expired: isExpired,
        expiring: isExpiring,
        expiryReason: entry?.member.reason ?? null,
      };
    });
    members.sort(compareMembers);

    for (const entry of intent?.entries ?? []) {
      // Someone whose access has ended is left out of the group by the provider: not missing.
      if (matched.has(entry) || (entry.member.until !== undefined && hasExpired(entry.member.until, today))) continue;
      drift.push({
        kind: "missing-member",
        group: group.name,
        groupId: group.id,
        person: entry.email ?? personLabel(entry.userId === null ? null : emailOf(entry.userId), entry.userId ?? 0),
        userId: entry.userId,
        detail: decl
          ? "declared in the access file but not a member in the account; the next pulumi up adds this membership"
          : "managed by the stack but not a member in the account (removed by hand since the last pulumi up, which adds it back)",
      });
    }

    const counts = { members: members.length, code: 0, adopted: 0, outside: 0, unknown: 0, drift: 0 };
    for (const row of members) counts[row.management]++;
    return {
      id: group.id,
      name: group.name,
      ...(group.notes !== undefined && { notes: group.notes }),
      managed,
      mode,
      resources,
      counts,
      members,
    };
  });

  for (const [name, group] of declaredByName)
    if (!seenDeclaredGroups.has(name))
      drift.push({
        kind: "missing-group",
        group: group.name,
        groupId: null,
        person: null,
        userId: null,
        detail: `declared in the access file, but the account has no workspace group of that name (${plural(group.members.length, "member")} declared)`,
      });

  drift.sort(
    (a, b) =>
      compareText(a.group, b.group) ||
      compareText(a.kind, b.kind) ||
      compareMembers({ email: a.person, userId: a.userId ?? 0 }, { email: b.person, userId: b.userId ?? 0 }),
  );
  const driftByGroup = new Map<number, number>();
  for (const item of drift) if (item.groupId !== null) driftByGroup.set(item.groupId, (driftByGroup.get(item.groupId) ?? 0) + 1);
  for (const group of groups) group.counts.drift = driftByGroup.get(group.id) ?? 0;

  const people = peopleOf(groups);
  const disabledUsers: DisabledUser[] = people
    .filter((p) => p.status !== "readable")
    .map((p) => ({
      userId: p.userId,
      email: p.email,
      reason: p.status === "disabled" ? "disabled" : "unreadable",
      groups: p.groups.map((id) => groupsById.get(id)!.name),
    }));

  const management = { code: 0, adopted: 0, outside: 0, unknown: 0 };
  for (const group of groups) for (const m of MANAGEMENTS) management[m] += group.counts[m];
  const ruleViolations = [...(inputs.rules?.violations ?? [])]
    .map((v) => ({ ...v, people: [...v.people].sort(compareText) }))
    .sort((a, b) => compareText(a.rule, b.rule) || compareText(a.group ?? "", b.group ?? "") || compareText(a.message, b.message));
  const anyExpiry = declared?.groups.some((g) => g.members.some((m) => m.until !== undefined)) ?? false;
  const groupsManaged = groups.filter((g) => g.managed).length;

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    header: {
      account: snapshot.account,
      generatedAt: inputs.generatedAt.toISOString(),
      tool: { ...inputs.tool },
      accessFile: declared ? { path: declared.file, commit: declared.commit ?? null, modified: declared.modified ?? false } : null,
      stack: state?.stack ?? null,
      managementBasis: basis,
      requests: snapshot.requests ?? null,
    },
    summary: {
      groups: groups.length,
      groupsManaged,
      groupsNotManaged: groups.length - groupsManaged,
      people: people.length,
      memberships: groups.reduce((n, g) => n + g.members.length, 0),
      management,
      drift: drift.length,
      ruleViolations: ruleViolations.length,
      expiring,
      expired,
      disabledUsers: disabledUsers.length,
    },
    checks: {
      drift: declared
        ? { checked: true, note: `against the access file ${declared.file}` }
        : state
          ? { checked: true, note: `against what stack ${state.stack} manages (no access file given)` }
          : { checked: false, note: "not checked: no access file (--access) or stack (--stack) given" },
      rules: inputs.rules
        ? { checked: true, note: `${plural(inputs.rules.checked, "rule")} checked` }
        : { checked: false, note: "not checked: no rules declared" },
      expiry: anyExpiry
        ? {
            checked: true,
            note: `end dates from the access file, judged on ${today} (${timeZone}); expiring means access ends within ${EXPIRY_WARNING_DAYS} days`,
          }
        : { checked: false, note: declared ? "not checked: no expiry declared in the access file" : "not checked: no access file given" },
      disabledUsers: snapshot.disabledUserIds
        ? { checked: true, note: "users that can no longer be read, and disabled users" }
        : { checked: true, note: "users that can no longer be read; disabled users not checked (Kantata hides them only from user look-ups)" },
    },
    groups,
    people,
    drift,
    ruleViolations,
    disabledUsers,
  };
}

/** Everyone with at least one membership, sorted like members, with their groups in report order. */
function peopleOf(groups: readonly GroupReport[]): PersonReport[] {
  const byId = new Map<number, PersonReport>();
  for (const group of groups)
    for (const m of group.members) {
      const person = byId.get(m.userId) ?? { userId: m.userId, email: m.email, name: m.name, status: m.status, groups: [] };
      person.groups.push(group.id);
      byId.set(m.userId, person);
    }
  return [...byId.values()].sort(compareMembers);
}
