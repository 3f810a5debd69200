import type { KantataClient } from "./client";
import { type BatchResults, Coalescer } from "../../lib/coalescer";
import { type Membership, type MembershipPair, pairKey } from "./types";

export type PairCreateResult = { created: Membership } | { existing: Membership };

export interface MembershipBatcherOptions {
  /** How long a batch waits for one more request, and at most in all (see Coalescer). */
  idleMs?: number;
  maxWaitMs?: number;
  /** false sends every read and create on its own (one request each), e.g. to measure what coalescing saves. */
  coalesce?: boolean;
}

/**
 * One-pair reads and creates for individual UserGroupMembership resources, coalesced: concurrent
 * finds become one filtered GET (paged), concurrent creates become bulk POSTs of up to 100.
 */
export class MembershipBatcher {
  private readonly finds: Coalescer<MembershipPair, Membership | undefined>;
  private readonly creates: Coalescer<MembershipPair, PairCreateResult>;

  constructor(client: KantataClient, options: MembershipBatcherOptions = {}) {
    const coalesce = options.coalesce ?? true;
    // A few tens of ms per batch is cheap next to the requests it saves (each ≥ one network round trip).
    const timing = coalesce ? { idleMs: options.idleMs ?? 200, maxWaitMs: options.maxWaitMs ?? 2000 } : { idleMs: 0, maxWaitMs: 0 };
    const limit = (maxBatch: number) => (coalesce ? maxBatch : 1);
    this.finds = new Coalescer(
      async (pairs) => {
        const live = new Map((await client.findPairs(pairs)).map((m) => [pairKey(m), m]));
        return pairs.map((pair) => ({ value: live.get(pairKey(pair)) }));
      },
      // findPairs splits long id lists over several queries itself.
      { ...timing, maxBatch: limit(1000) },
    );
    this.creates = new Coalescer((pairs) => createDistinct(client, pairs), { ...timing, maxBatch: limit(100) });
  }

  find(pair: MembershipPair): Promise<Membership | undefined> {
    return this.finds.submit(pair);
  }

  create(pair: MembershipPair): Promise<PairCreateResult> {
    return this.creates.submit(pair);
  }

  /**
   * Another single is being checked, so its create may follow: the engine checks one resource at a time
   * and starts each create as its check ends, so with `--parallel N` creates trickle in at the pace of the
   * checks. Waiting creates wait for it (up to 100 a POST) instead of leaving after 2 s.
   */
  expectCreates(): void {
    this.creates.expectMore();
  }
}

/**
 * Creates each distinct pair once. When two resources declare the same pair, the first gets the created
 * membership and the others see it as existing — exactly what they would have seen one after another.
 */
async function createDistinct(client: KantataClient, pairs: MembershipPair[]): Promise<BatchResults<PairCreateResult>> {
  const distinct = [...new Map(pairs.map((p) => [pairKey(p), p])).values()];
  const outcome = await client.createMemberships(distinct);
  const created = new Map(outcome.created.map((m) => [pairKey(m), m]));
  const existing = new Map(outcome.existing.map((m) => [pairKey(m), m]));
  const failed = new Map(outcome.failed.map((f) => [pairKey(f.pair), f.error]));
  return pairs.map((pair) => {
    const key = pairKey(pair);
    const fresh = created.get(key);
    if (fresh) {
      created.delete(key);
      existing.set(key, fresh);
      return { value: { created: fresh } };
    }
    const member = existing.get(key);
    if (member) return { value: { existing: member } };
    return { error: failed.get(key) ?? new Error(`no result for user ${pair.userId} in group ${pair.workspaceGroupId}`) };
  });
}
