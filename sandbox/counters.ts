import type { FaultKind } from "./faults";

export interface CounterSnapshot {
  /** Every request received, faulted or not. */
  total: number;
  byMethod: Record<string, number>;
  /** Keyed "METHOD template", e.g. "DELETE /user_group_memberships/{id}"; requests matching no route count under "METHOD (no route)". */
  byRoute: Record<string, number>;
  /** Requests an injected fault answered or dropped; they are counted in the fields above too. */
  faulted: number;
  faultedByKind: Partial<Record<FaultKind, number>>;
}

const empty = (): CounterSnapshot => ({ total: 0, byMethod: {}, byRoute: {}, faulted: 0, faultedByKind: {} });

const increment = <K extends string>(counts: Partial<Record<K, number>>, key: K): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Counts requests so tests and benchmarks can assert how much traffic a client made. */
export class RequestCounters {
  private counts = empty();

  record(method: string, template: string | undefined): void {
    this.counts.total++;
    increment(this.counts.byMethod, method);
    increment(this.counts.byRoute, `${method} ${template ?? "(no route)"}`);
  }

  recordFault(kind: FaultKind): void {
    this.counts.faulted++;
    increment(this.counts.faultedByKind, kind);
  }

  /** A copy: later requests do not change it. */
  snapshot(): CounterSnapshot {
    const { total, byMethod, byRoute, faulted, faultedByKind } = this.counts;
    return { total, byMethod: { ...byMethod }, byRoute: { ...byRoute }, faulted, faultedByKind: { ...faultedByKind } };
  }

  reset(): void {
    this.counts = empty();
  }
}
