import { KantataApiError, isKantataApiError } from "./errors";
import { parseEnvelope } from "./envelope";
import type { HttpTransport } from "./http";
import { mapWithConcurrency } from "./limiter";
import { withRetry } from "./retry";
import {
  type ApiBulkCreateBody,
  type ApiMembership,
  type ApiWorkspaceGroup,
  type Membership,
  type MembershipFilter,
  type MembershipPair,
  type WorkspaceGroup,
  pairKey,
} from "./types";

/** Kantata's documented limits. */
export const MAX_PER_PAGE = 200;
export const MAX_BULK_CREATE = 100;
/** Ids per filter parameter in one GET, keeping URLs far below common 8 KB limits. */
const MAX_FILTER_IDS = 200;

const MEMBERSHIPS_PATH = "/user_group_memberships";
const MEMBERSHIPS_KEY = "user_group_memberships";

export interface CreateOutcome {
  /** Memberships this call created (including ones a lost response had created; see createMemberships). */
  created: Membership[];
  /** Pairs that turned out to be members already. */
  existing: Membership[];
  /** Pairs Kantata refused, each with its own error. */
  failed: Array<{ pair: MembershipPair; error: KantataApiError }>;
}

export type DeleteOutcome = "deleted" | "already_gone";

const str = (value: string | number | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

function toMembership(api: ApiMembership): Membership {
  return {
    id: String(api.id),
    userId: String(api.user_id),
    workspaceGroupId: String(api.workspace_group_id),
    creatorId: str(api.creator_id),
    createdAt: api.created_at,
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const unique = (values: Iterable<string>): string[] => [...new Set(values)];

const emptyOutcome = (): CreateOutcome => ({ created: [], existing: [], failed: [] });

function mergeOutcomes(...outcomes: CreateOutcome[]): CreateOutcome {
  return {
    created: outcomes.flatMap((o) => o.created),
    existing: outcomes.flatMap((o) => o.existing),
    failed: outcomes.flatMap((o) => o.failed),
  };
}

/** The Kantata OX API as the provider needs it: memberships (list, create, delete) and groups. */
export class KantataClient {
  constructor(private readonly http: HttpTransport) {}

  /**
   * Every membership matching the filter, across all pages (200 per page). Long id lists are split
   * over several queries; results are de-duplicated by id.
   */
  async listMemberships(filter: MembershipFilter = {}): Promise<Membership[]> {
    const byId = new Map<string, Membership>();
    for (const params of filterQueries(filter)) {
      for (const api of await this.listAllPages<ApiMembership>(MEMBERSHIPS_PATH, MEMBERSHIPS_KEY, params)) {
        const membership = toMembership(api);
        byId.set(membership.id, membership);
      }
    }
    return [...byId.values()];
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
  async deleteMembership(id: string): Promise<DeleteOutcome> {
    try {
      await this.http.sendIdempotent({ method: "DELETE", path: `${MEMBERSHIPS_PATH}/${encodeURIComponent(id)}` });
      return "deleted";
    } catch (error) {
      if (isKantataApiError(error) && error.kind === "not_found") return "already_gone";
      throw error;
    }
  }

  /** Deletes many memberships with bounded concurrency; settles every one so callers know exactly what was removed. */
  deleteMemberships(ids: readonly string[], concurrency = 8): Promise<PromiseSettledResult<DeleteOutcome>[]> {
    return mapWithConcurrency(ids, concurrency, (id) => this.deleteMembership(id));
  }

  async listWorkspaceGroups(): Promise<WorkspaceGroup[]> {
    const groups = await this.listAllPages<ApiWorkspaceGroup>("/workspace_groups", "workspace_groups", {});
    return groups.map((g) => ({ id: String(g.id), name: g.name }));
  }

  private async listAllPages<T>(path: string, key: string, params: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const response = await this.http.sendIdempotent({
        method: "GET",
        path,
        params: { ...params, page, per_page: MAX_PER_PAGE },
      });
      const parsed = parseEnvelope<T>(response.data, key);
      items.push(...parsed.items);
      // page_count is authoritative; an empty page also ends the walk in case the total shrank meanwhile.
      if (page >= parsed.pageCount || parsed.items.length === 0) return items;
    }
  }

  private async post(pairs: readonly MembershipPair[]): Promise<Membership[]> {
    const body: ApiBulkCreateBody = {
      user_group_memberships: pairs.map((p) => ({ user_id: Number(p.userId), workspace_group_id: Number(p.workspaceGroupId) })),
    };
    const response = await this.http.send({ method: "POST", path: MEMBERSHIPS_PATH, body });
    return parseEnvelope<ApiMembership>(response.data, MEMBERSHIPS_KEY).items.map(toMembership);
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
  return new KantataApiError({ kind: "unexpected", method: "POST", path: MEMBERSHIPS_PATH, cause: error instanceof Error ? error.message : String(error) });
}

function notCreatedError(pair: MembershipPair): KantataApiError {
  return new KantataApiError({
    kind: "unexpected",
    method: "POST",
    path: MEMBERSHIPS_PATH,
    cause: `Kantata accepted the batch but did not create user ${pair.userId} in group ${pair.workspaceGroupId}`,
  });
}

/** Splits a filter into query-parameter sets with at most MAX_FILTER_IDS ids per parameter. */
function filterQueries(filter: MembershipFilter): Array<Record<string, string>> {
  const base: Record<string, string> = { order: filter.order ?? "created_at:asc" };
  let queries: Array<Record<string, string>> = [base];
  const expand = (param: string, ids: readonly string[] | undefined) => {
    if (ids === undefined) return;
    queries = queries.flatMap((q) => chunk(unique(ids), MAX_FILTER_IDS).map((part) => ({ ...q, [param]: part.join(",") })));
  };
  expand("user_ids", filter.userIds);
  expand("group_ids", filter.groupIds);
  expand("only", filter.only);
  // An empty id list matches nothing, so it yields no query at all rather than an unfiltered one.
  return queries;
}
