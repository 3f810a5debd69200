import type { FaultKind } from "./faults";
import type { RateLimitReason } from "./rateLimit";

export interface CounterSnapshot {
  /** Every request received: faulted, refused by the rate limiter, or neither. */
  total: number;
  byMethod: Record<string, number>;
  /** Keyed "METHOD template", e.g. "DELETE /user_group_memberships/{id}"; requests matching no route count under "METHOD (no route)". */
  byRoute: Record<string, number>;
  /** Requests an injected fault answered or dropped; they are counted in the fields above too. */
  faulted: number;
  faultedByKind: Partial<Record<FaultKind, number>>;
  /** Requests the rate limiter refused with 429 (not injected faults); counted in total, byMethod and byRoute too. */
  rateLimited: number;
  /** The refused requests by the same keys as `byRoute`. */
  rateLimitedByRoute: Record<string, number>;
  rateLimitedByReason: Partial<Record<RateLimitReason, number>>;
}

const empty = (): CounterSnapshot => ({
  total: 0,
  byMethod: {},
  byRoute: {},
  faulted: 0,
  faultedByKind: {},
  rateLimited: 0,
  rateLimitedByRoute: {},
  rateLimitedByReason: {},
});

const increment = <K extends string>(counts: Partial<Record<K, number>>, key: K): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const routeKey = (method: string, template: string | undefined): string => `${method} ${template ?? "(no route)"}`;

/** Counts requests so tests and benchmarks can assert how much traffic a client made. */
export class RequestCounters {
  private counts = empty();

  record(method: string, template: string | undefined): void {
    this.counts.total++;
    increment(this.counts.byMethod, method);
    increment(this.counts.byRoute, routeKey(method, template));
  }

  recordFault(kind: FaultKind): void {
    this.counts.faulted++;
    increment(this.counts.faultedByKind, kind);
  }

  /** A request already counted by {@link record} that the rate limiter refused. */
  recordRateLimited(method: string, template: string | undefined, reason: RateLimitReason): void {
    this.counts.rateLimited++;
    increment(this.counts.rateLimitedByRoute, routeKey(method, template));
    increment(this.counts.rateLimitedByReason, reason);
  }

  /** A copy: later requests do not change it. */
  snapshot(): CounterSnapshot {
    const c = this.counts;
    return {
      total: c.total,
      byMethod: { ...c.byMethod },
      byRoute: { ...c.byRoute },
      faulted: c.faulted,
      faultedByKind: { ...c.faultedByKind },
      rateLimited: c.rateLimited,
      rateLimitedByRoute: { ...c.rateLimitedByRoute },
      rateLimitedByReason: { ...c.rateLimitedByReason },
    };
  }

  reset(): void {
    this.counts = empty();
  }
}
