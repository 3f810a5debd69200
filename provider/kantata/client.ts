import { KantataApiError, isKantataApiError } from "./errors";
import { type Unchecked, optional, pageInfo, parseEnvelope, sideLoaded, wireId, wireText } from "./envelope";
import type { HttpResponse, HttpTransport } from "./http";
import { mapWithConcurrency } from "../../lib/async";
import { withRetry } from "./retry";
import {
  type ApiBulkCreateBody,
  type ApiMembership,
  type ApiUser,
  type ApiWorkspaceGroup,
  type ApiWorkspaceGroupBody,
  GROUP_DETAIL_FIELDS,
  GROUP_DETAIL_WIRE_NAMES,
  type Membership,
  type MembershipFilter,
  type MembershipPair,
  type User,
  type WorkspaceGroup,
  type WorkspaceGroupFields,
  foldGroupName,
  pairKey,
} from "./types";

/** Kantata's documented limits. */
export const MAX_PER_PAGE = 200;
export const MAX_BULK_CREATE = 100;
/** Ids (or addresses) per filter parameter in one GET: Kantata's documented maximum for `by_email_addresses`. */
export const MAX_FILTER_VALUES = 200;

const MEMBERSHIPS_PATH = "/user_group_memberships";
const MEMBERSHIPS_KEY = "user_group_memberships";
const USERS_PATH = "/users";
const USERS_KEY = "users";
const GROUPS_PATH = "/workspace_groups";
const GROUPS_KEY = "workspace_groups";

export interface CreateOutcome {
  /** Memberships this call created (including ones a lost response had created; see createMemberships). */
  created: Membership[];
  /** Pairs that turned out to be members already. */
  existing: Membership[];
  /** Pairs Kantata refused, each with its own error. */
  failed: Array<{ pair: MembershipPair; error: KantataApiError }>;
}

export type DeleteOutcome = "deleted" | "already_gone";

// The wire objects, checked field by field: an id that is missing or not a number would otherwise
// become NaN or 0 (Number(null)) and name the wrong membership, user or group.
function toMembership(api: Unchecked<ApiMembership>): Membership {
  return {
    id: wireId(api.id, "id"),
    userId: wireId(api.user_id, "user_id"),
    workspaceGroupId: wireId(api.workspace_group_id, "workspace_group_id"),
    creatorId: optional(api.creator_id, (id) => wireId(id, "creator_id")),
    createdAt: optional(api.created_at, (at) => wireText(at, "created_at")),
  };
}

const toUser = (api: Unchecked<ApiUser>): User => ({
  id: wireId(api.id, "id"),
  email: optional(api.email_address, (email) => wireText(email, "email_address")) ?? "",
  fullName: optional(api.full_name, (name) => wireText(name, "full_name")) ?? "",
});
function toGroup(api: Unchecked<ApiWorkspaceGroup>): WorkspaceGroup {
  const group: WorkspaceGroup = { id: wireId(api.id, "id"), name: wireText(api.name, "name"), company: api.company === true };
  for (const field of GROUP_DETAIL_FIELDS) {
    const value = api[GROUP_DETAIL_WIRE_NAMES[field]];
    if (typeof value === "string") group[field] = value;
  }
  const createdAt = optional(api.created_at, (at) => wireText(at, "created_at"));
  if (createdAt !== undefined) group.createdAt = createdAt;
  return group;
}

/** The fields given, by Kantata's names; what is left out does not change. */
function groupBody(fields: WorkspaceGroupFields): ApiWorkspaceGroupBody {
  const body: ApiWorkspaceGroupBody["workspace_group"] = {};
  if (fields.name !== undefined) body.name = fields.name;
  if (fields.company !== undefined) body.company = fields.company;
  for (const field of GROUP_DETAIL_FIELDS) {
    const value = fields[field];
    if (value !== undefined) body[GROUP_DETAIL_WIRE_NAMES[field]] = value;
  }
  return { workspace_group: body };
}

/** How far a long read has come: pages and memberships read, and the total Kantata counts. */
export interface WalkProgress {
  pages: number;
  read: number;
  total: number;
}

/** Memberships with their users side-loaded: who is in a group, by email, in the same requests. */
export interface GroupMembers {
  memberships: Membership[];
  /** The members' user records, by user id (absent for a user Kantata did not side-load, e.g. one deleted). */
  users: Map<number, User>;
}

/** Which pages of a list to read, 1-based and inclusive: a reader that has the first, or wants only it. */
interface PageRange {
  from?: number;
  to?: number;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

const emptyOutcome = (): CreateOutcome => ({ created: [], existing: [], failed: [] });

function mergeOutcomes(...outcomes: CreateOutcome[]): CreateOutcome {
  return {
    created: outcomes.flatMap((o) => o.created),
    existing: outcomes.flatMap((o) => o.existing),
    failed: outcomes.flatMap((o) => o.failed),
  };
}

/** The Kantata OX API as the provider needs it: memberships (list, create, delete), groups (list, create, update, delete) and users. */
export class KantataClient {
  constructor(private readonly http: HttpTransport) {}

  /**
   * Every membership matching the filter, across all pages (200 per page). Long id lists are split
   * over several queries; results are de-duplicated by id.
   */
  async listMemberships(filter: MembershipFilter = {}): Promise<Membership[]> {
    return (await this.walkMemberships(filter, false)).memberships;
  }

  /**
   * One group's memberships (⌈N/200⌉ GETs) with the members' users side-loaded, at no extra request;
   * from page `fromPage` on, for a reader who has the pages before it (see firstGroupMembersPage).
   */
  listGroupMembers(workspaceGroupId: number, fromPage = 1): Promise<GroupMembers> {
    return this.walkMemberships({ groupIds: [workspaceGroupId] }, true, undefined, { from: fromPage });
  }

  /**
   * The first page of one group's memberships (the 200 oldest, users side-loaded) and how many pages
   * the group has: one GET, for a reader who may not need the rest.
   */
  firstGroupMembersPage(workspaceGroupId: number): Promise<GroupMembers & { pageCount: number }> {
    return this.walkMemberships({ groupIds: [workspaceGroupId] }, true, undefined, { from: 1, to: 1 });
  }

  /**
   * Memberships of these groups (200 group ids per query), or of every group without `groupIds`, with
   * the members' users side-loaded (`include=user`): ⌈M/200⌉ GETs per query. `onProgress` hears after
   * every page, for long reads.
   */
  listMembersWithUsers(filter: { groupIds?: readonly number[] } = {}, onProgress?: (progress: WalkProgress) => void): Promise<GroupMembers> {
    return this.walkMemberships(filter, true, onProgress);
  }

  /**
   * The one walk of /user_group_memberships: every query of the filter, its pages (all of them unless
   * `pages` says which), users side-loaded when asked; `pageCount` is the most pages a query has.
   */
  private async walkMemberships(
    filter: MembershipFilter,
    withUsers: boolean,
    onProgress?: (progress: WalkProgress) => void,
    pages?: PageRange,
  ): Promise<GroupMembers & { pageCount: number }> {
    const memberships = new Map<number, Membership>();
    const users = new Map<number, User>();
    const progress: WalkProgress = { pages: 0, read: 0, total: 0 };
    let pageCount = 0;
    for (const query of filterQueries(filter)) {
      let first = true;
      const queryPages = await this.eachPage(
        MEMBERSHIPS_PATH,
        withUsers ? { ...query, include: "user" } : query,
        (page) => {
          const envelope = parseEnvelope(page, MEMBERSHIPS_KEY, toMembership);
          for (const membership of envelope.items) memberships.set(membership.id, membership);
          if (withUsers) for (const user of sideLoaded(page, USERS_KEY, toUser)) users.set(user.id, user);
          if (first) progress.total += envelope.count;
          first = false;
          progress.pages++;
          progress.read += envelope.items.length;
          onProgress?.({ ...progress });
        },
        pages,
      );
      pageCount = Math.max(pageCount, queryPages);
    }
    return { memberships: [...memberships.values()], users, pageCount };
  }

  /**
   * Users of the account with these email addresses (case-insensitive, exact), 200 addresses per GET.
   * Kantata hides disabled users (people who left) unless `includeDisabled` asks for them too.
   */
  async findUsersByEmail(emails: readonly string[], options: { includeDisabled?: boolean } = {}): Promise<User[]> {
    const shown: Record<string, string> = options.includeDisabled ? { show_disabled: "true" } : {};
    return this.listUsers(chunk(unique(emails), MAX_FILTER_VALUES).map((part) => ({ by_email_addresses: part.join(","), ...shown })));
  }

  /**
   * Users of the account with these ids, 200 per GET; ids that no longer exist are simply absent, and so
   * are disabled users unless `includeDisabled` asks for them too.
   */
  async findUsersById(ids: readonly number[], options: { includeDisabled?: boolean } = {}): Promise<User[]> {
    const shown: Record<string, string> = options.includeDisabled ? { show_disabled: "true" } : {};
    return this.listUsers(chunk(unique(ids), MAX_FILTER_VALUES).map((part) => ({ only: part.join(","), ...shown })));
  }

  /** Which of these users exist and are active (not disabled): the ids `findUsersById` finds, 200 per GET. */
  async activeUserIds(ids: readonly number[]): Promise<Set<number>> {
    return new Set((await this.findUsersById(ids)).map((user) => user.id));
  }

  /**
   * How many users the account has: one GET of a one-row page, whose `count` is the total. Disabled
   * users count only with `includeDisabled`, so the two counts differ exactly when some user is disabled.
   */
  async countUsers(options: { includeDisabled?: boolean } = {}): Promise<number> {
    const response = await this.http.sendIdempotent({
      method: "GET",
      path: USERS_PATH,
      params: { on_my_account: "true", ...(options.includeDisabled && { show_disabled: "true" }), page: 1, per_page: 1 },
    });
    return parseEnvelope(response, USERS_KEY, toUser).count;
  }

  /** Every user of the account (⌈U/200⌉ GETs): for suggestions, and for many one-by-one look-ups. */
  async listAllUsers(): Promise<User[]> {
    return this.listUsers([{}]);
  }

  /** The token's own user. Memberships it creates carry its id as `creator_id`. */
  async currentUser(): Promise<User> {
    const response = await this.http.sendIdempotent({ method: "GET", path: `${USERS_PATH}/me` });
    const [user] = parseEnvelope(response, USERS_KEY, toUser).items;
    if (user === undefined)
      throw new KantataApiError({ kind: "unexpected", method: "GET", path: `${USERS_PATH}/me`, cause: "the response named no user" });
    return user;
  }

  /**
   * Workspace groups, every page. With `matching`, only those whose name is similar to it (Kantata's
   * "similar" is loose: callers compare names exactly themselves).
   */
  async listWorkspaceGroups(filter: { matching?: string; only?: readonly number[] } = {}): Promise<WorkspaceGroup[]> {
    const params: Record<string, string> = {};
    if (filter.matching !== undefined) params.matching = filter.matching;
    if (filter.only !== undefined) {
      if (filter.only.length === 0) return [];
      params.only = unique(filter.only).join(",");
    }
    const groups: WorkspaceGroup[] = [];
    await this.eachPage(GROUPS_PATH, params, (page) => groups.push(...parseEnvelope(page, GROUPS_KEY, toGroup).items));
    return groups;
  }

  /** One workspace group by id, or undefined once it no longer exists (`only` never answers 404). */
  async findWorkspaceGroup(id: number): Promise<WorkspaceGroup | undefined> {
    return (await this.listWorkspaceGroups({ only: [id] }))[0];
  }

  /** The workspace group with exactly this name, ignoring case (Kantata's uniqueness rule), or undefined. */
  async findWorkspaceGroupByName(name: string): Promise<WorkspaceGroup | undefined> {
    const wanted = foldGroupName(name);
    // `matching` is "similar to": compare exactly, ignoring case, as Kantata does for uniqueness.
    return (await this.listWorkspaceGroups({ matching: name.trim() })).find((group) => foldGroupName(group.name) === wanted);
  }

  /**
   * Creates a workspace group (one POST). Never repeats the POST blindly: a failure whose outcome is
   * unknown (timeout, reset, 429, 5xx) is retried only after looking the name up, and a group found by
   * it is the one the lost response created — names are unique, and the caller checked just before that
   * none held it. A name that is taken is Kantata's 422 on `name`, thrown as it is.
   */
  async createWorkspaceGroup(fields: WorkspaceGroupFields & { name: string }): Promise<WorkspaceGroup> {
    return withRetry(this.http.retryPolicy, async (attempt) => {
      if (attempt > 1) {
        const created = await this.findWorkspaceGroupByName(fields.name);
        if (created) return created;
      }
      return this.oneGroup(await this.http.send({ method: "POST", path: GROUPS_PATH, body: groupBody(fields) }));
    });
  }

  /** Sets these fields of a group (one PUT, safe to repeat); answers the group as it now is. */
  async updateWorkspaceGroup(id: number, fields: WorkspaceGroupFields): Promise<WorkspaceGroup> {
    return this.oneGroup(await this.http.sendIdempotent({ method: "PUT", path: `${GROUPS_PATH}/${id}`, body: groupBody(fields) }));
  }

  /** Deletes a group (Kantata removes its memberships with it). 404 means it is gone already, which is what we wanted. */
  async deleteWorkspaceGroup(id: number): Promise<DeleteOutcome> {
    try {
      await this.http.sendIdempotent({ method: "DELETE", path: `${GROUPS_PATH}/${id}` });
      return "deleted";
    } catch (error) {
      if (isKantataApiError(error) && error.kind === "not_found") return "already_gone";
      throw error;
    }
  }

  /** The memberships that exist for exactly these (user, group) pairs. */
  async findPairs(pairs: readonly MembershipPair[]): Promise<Membership[]> {
    if (pairs.length === 0) return [];
    const wanted = new Set(pairs.map(pairKey));
    const live = await this.listMemberships({
      userIds: unique(pairs.map((p) => p.userId)),
      groupIds: unique(pairs.map((p) => p.workspaceGroupId)),
    });
    return live.filter((m) => wanted.has(pairKey(m)));
  }

  /** One filtered read: the memberships that exist for these pairs, and the pairs still missing. */
  async splitByExistence(pairs: readonly MembershipPair[]): Promise<{ found: Membership[]; missing: MembershipPair[] }> {
    const found = await this.findPairs(pairs);
    const foundKeys = new Set(found.map(pairKey));
    return { found, missing: pairs.filter((p) => !foundKeys.has(pairKey(p))) };
  }

  /**
   * Creates memberships in bulk POSTs of at most 100. Never repeats a POST blindly: after a failure
   * whose outcome is unknown (timeout, reset, 429, 5xx) it re-lists the pairs and only creates what is
   * still missing. Items Kantata refuses (422) are isolated and reported per pair, so one bad user never
   * blocks the rest — whether the API rejects a whole batch or applies the valid part of it. It does not
   * throw: a batch that still fails after retries is reported, with every later one, under `failed`.
   */
  async createMemberships(pairs: readonly MembershipPair[]): Promise<CreateOutcome> {
    const outcomes: CreateOutcome[] = [];
    const batches = chunk(pairs, MAX_BULK_CREATE);
    for (const [index, batch] of batches.entries()) {
      try {
        outcomes.push(await this.createBatch(batch));
      } catch (error) {
        // Retries are spent (or the token was refused): report this batch and the rest as failed instead
        // of throwing, so callers keep what earlier batches created.
        const apiError = isKantataApiError(error) ? error : toUnexpected(error);
        const { found, missing } = await this.splitByExistence(batch).catch(() => ({ found: [], missing: batch }));
        const failed = [...missing, ...batches.slice(index + 1).flat()].map((pair) => ({ pair, error: apiError }));
        outcomes.push({ created: found, existing: [], failed });
        break;
      }
    }
    return mergeOutcomes(...outcomes);
  }

  /** Deletes one membership. 404 means someone else already removed it, which is what we wanted. */
  async deleteMembership(id: number): Promise<DeleteOutcome> {
    try {
      await this.http.sendIdempotent({ method: "DELETE", path: `${MEMBERSHIPS_PATH}/${id}` });
      return "deleted";
    } catch (error) {
      if (isKantataApiError(error) && error.kind === "not_found") return "already_gone";
      throw error;
    }
  }

  /**
   * Deletes many memberships, one DELETE each (the API has no bulk delete), settling every one so callers
   * know exactly what was removed. As many are offered at once as the transport may have in flight: its
   * gate decides how fast they go, and the queue stays short, so no retry budget is spent waiting in it.
   */
  deleteMemberships(ids: readonly number[]): Promise<PromiseSettledResult<DeleteOutcome>[]> {
    return mapWithConcurrency(ids, this.http.maxConcurrency, (id) => this.deleteMembership(id));
  }

  private async listUsers(queries: Array<Record<string, string>>): Promise<User[]> {
    const byId = new Map<number, User>();
    for (const query of queries) {
      // Without on_my_account=true Kantata hides users who share no project with the token's user.
      await this.eachPage(USERS_PATH, { ...query, on_my_account: "true" }, (page) => {
        for (const user of parseEnvelope(page, USERS_KEY, toUser).items) byId.set(user.id, user);
      });
    }
    return [...byId.values()];
  }

  /**
   * Walks the pages of a list (every one, or those of `pages`), 200 rows each, handing each answer to
   * `onPage` (items and side-loads); returns how many pages the list has, as its last answer said.
   */
  private async eachPage(
    path: string,
    params: Record<string, string>,
    onPage: (page: HttpResponse) => void,
    { from = 1, to = Infinity }: PageRange = {},
  ): Promise<number> {
    for (let page = from; ; page++) {
      const response = await this.http.sendIdempotent({ method: "GET", path, params: { ...params, page, per_page: MAX_PER_PAGE } });
      onPage(response);
      const { pageCount, rows } = pageInfo(response);
      // page_count is authoritative; an empty page also ends the walk in case the total shrank meanwhile.
      if (page >= pageCount || rows === 0 || page >= to) return pageCount;
    }
  }

  /** The one group a create or an update answers with. */
  private oneGroup(response: HttpResponse): WorkspaceGroup {
    const [group] = parseEnvelope(response, GROUPS_KEY, toGroup).items;
    if (group === undefined)
      throw new KantataApiError({
        ...response.request,
        kind: "unexpected",
        status: response.status,
        cause: "the response named no workspace group",
      });
    return group;
  }

  private async post(pairs: readonly MembershipPair[]): Promise<Membership[]> {
    const body: ApiBulkCreateBody = {
      user_group_memberships: pairs.map((p) => ({ user_id: p.userId, workspace_group_id: p.workspaceGroupId })),
    };
    const response = await this.http.send({ method: "POST", path: MEMBERSHIPS_PATH, body });
    return parseEnvelope(response, MEMBERSHIPS_KEY, toMembership).items;
  }

  /**
   * POSTs one batch, retrying transient failures safely: each retry first re-lists the pending pairs
   * (a lost response may hide a committed create) and only POSTs the ones still missing. Pairs found
   * on such a re-list count as created: the caller planned them as missing just before.
   */
  private async postSafely(pairs: readonly MembershipPair[]): Promise<Membership[]> {
    const created: Membership[] = [];
    let pending = [...pairs];
    await withRetry(this.http.retryPolicy, async (attempt) => {
      if (attempt > 1) {
        const { found, missing } = await this.splitByExistence(pending);
        created.push(...found);
        pending = missing;
        if (pending.length === 0) return;
      }
      created.push(...(await this.post(pending)));
      pending = [];
    });
    return created;
  }

  private async createBatch(pairs: readonly MembershipPair[]): Promise<CreateOutcome> {
    try {
      const created = await this.postSafely(pairs);
      // An API that applies the valid part of a batch may leave some pairs out of its answer.
      const answered = new Set(created.map(pairKey));
      const unanswered = pairs.filter((p) => !answered.has(pairKey(p)));
      return { ...(await this.explainRejected(unanswered, undefined)), created };
    } catch (error) {
      if (!isKantataApiError(error) || error.kind !== "validation") throw error;
      return this.isolateRejected(pairs, error);
    }
  }

  /**
   * A 422 refused the batch. Members-already are the usual cause: set them aside and retry the rest.
   * Otherwise drop the elements the error points at (`index`, if Kantata sends it), or split the batch
   * in halves until each refused pair stands alone. Every step shrinks the batch, so this terminates.
   */
  private async isolateRejected(pairs: readonly MembershipPair[], error: KantataApiError): Promise<CreateOutcome> {
    if (pairs.length === 1) return this.explainRejected(pairs, error);
    const { found, missing } = await this.splitByExistence(pairs);
    if (missing.length < pairs.length) {
      const retried = missing.length > 0 ? await this.createBatch(missing) : emptyOutcome();
      return mergeOutcomes({ ...emptyOutcome(), existing: found }, retried);
    }
    const pointedAt = new Set(error.details.map((d) => d.index).filter((i): i is number => i !== undefined && i < pairs.length));
    if (pointedAt.size > 0) {
      const refused = pairs.filter((_, i) => pointedAt.has(i)).map((pair) => ({ pair, error }));
      return mergeOutcomes({ ...emptyOutcome(), failed: refused }, await this.createBatch(pairs.filter((_, i) => !pointedAt.has(i))));
    }
    const middle = Math.ceil(pairs.length / 2);
    return mergeOutcomes(await this.createBatch(pairs.slice(0, middle)), await this.createBatch(pairs.slice(middle)));
  }

  /** Pairs that were not created: those that exist are members already; the rest failed with `error`. */
  private async explainRejected(pairs: readonly MembershipPair[], error: KantataApiError | undefined): Promise<CreateOutcome> {
    const { found, missing } = await this.splitByExistence(pairs);
    return { created: [], existing: found, failed: missing.map((pair) => ({ pair, error: error ?? notCreatedError(pair) })) };
  }
}

function toUnexpected(error: unknown): KantataApiError {
  return new KantataApiError({
    kind: "unexpected",
    method: "POST",
    path: MEMBERSHIPS_PATH,
    cause: error instanceof Error ? error.message : String(error),
  });
}

function notCreatedError(pair: MembershipPair): KantataApiError {
  return new KantataApiError({
    kind: "unexpected",
    method: "POST",
    path: MEMBERSHIPS_PATH,
    cause: `Kantata accepted the batch but did not create user ${pair.userId} in group ${pair.workspaceGroupId}`,
  });
}

/** Splits a filter into query-parameter sets with at most MAX_FILTER_VALUES ids per parameter. */
function filterQueries(filter: MembershipFilter): Array<Record<string, string>> {
  const base: Record<string, string> = { order: filter.order ?? "created_at:asc" };
  let queries: Array<Record<string, string>> = [base];
  const expand = (param: string, ids: readonly number[] | undefined) => {
    if (ids === undefined) return;
    queries = queries.flatMap((q) => chunk(unique(ids), MAX_FILTER_VALUES).map((part) => ({ ...q, [param]: part.join(",") })));
  };
  expand("user_ids", filter.userIds);
  expand("group_ids", filter.groupIds);
  expand("only", filter.only);
  // An empty id list matches nothing, so it yields no query at all rather than an unfiltered one.
  return queries;
}
