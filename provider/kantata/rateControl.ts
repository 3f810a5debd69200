/**
 * How fast the client sends: the control law, pure (every method takes the time; nothing here sleeps).
 *
 * Kantata limits each account without publishing the numbers, and a 429 carries no Retry-After, so the
 * client finds the limit from the answers, as TCP does (AIMD) and Envoy's adaptive concurrency does
 * (a latency gradient). The controlled variable is a **rate**, not a number in flight: at 5 requests/s
 * and 50 ms per request the right concurrency would be a quarter of a request, which only pacing can
 * express. What is in flight is bounded separately by the ceiling (`kantata:maxConcurrency`).
 *
 *   start        10 requests/s, slow start
 *   slow start   each success the pace held back: rate += min(1 / (2 × its latency), rate / 2)  (doubles every ~1.4 round trips)
 *   afterwards   each success the pace held back: rate ×= 1 + 1/512   (+25 % over ~114 requests)
 *   429          rate = 0.8 × min(rate, 1.25 × the rate really sent); 0.5 × on leaving slow start; never below 0.5/s.
 *                After a storm of 429s (nothing served between cuts) the rate grows as in slow start back
 *                to the rate after the storm's first cut
 *   latency      a route's smoothed latency above 2 × its floor (and 50 ms above it), higher than at the last
 *                such cut: cut as for a 429, up to 4 times in a row. Still high 30 s later: the account got
 *                slower for everyone, not because of us; that latency becomes the floor and the rate goes back.
 *
 * A signal counts only for a request started after the last cut: answers to requests sent at the old
 * rate say nothing about the new one (TCP's "once per window"). The rate grows only when the pace is
 * what held a request back, never while the ceiling or the program's own pace limits what is sent, so
 * it never runs ahead of what was really tried.
 *
 * Why these numbers: a cut to 0.8 keeps the sawtooth between 0.8 and 1 × the limit (90 % on average
 * against a limit without burst; a token bucket's burst fills the troughs and gives ~100 %), and one or
 * two 429s per cycle of ~114 requests is under 2 % refused. test/unit/rateControl.test.ts holds the law
 * to ≥ 85 % of the limit with ≤ 3 % refused against simulated accounts.
 */

export const ADAPTIVE_LAW = {
  initialPerSecond: 10,
  minPerSecond: 0.5,
  /** In slow start each paced success adds 1/(this × its latency): TCP's slow start, at half its speed. */
  slowStartRoundTrips: 2,
  increase: 1 / 512,
  decrease: 0.8,
  /** A cut starts from the rate really sent, times this, when that is below the pace (the ceiling or the program held it lower). */
  sentHeadroom: 1.25,
  slowStartDecrease: 0.5,
  latencyTolerance: 2,
  /** …and at least this much above it: a fast API's latency doubles with a busy machine's scheduling alone. */
  latencyMarginMs: 50,
  /** Weight of a new sample in a route's smoothed latency: one slow answer among fast ones moves it by a sixteenth. */
  latencySmoothing: 1 / 16,
  /** Latency cuts in a row at most; then wait for the latency to come down… */
  latencyCuts: 4,
  /** …this long at most: still high then, it is the account's new normal (the floor moves up, the cuts are undone). */
  newNormalAfterMs: 30_000,
  /** Pace time left unused may be caught up for this long: timers fire late, and answers come in clumps. */
  catchUpMs: 10,
} as const;

/** The answer to a request, as the law hears it. */
export type Answer =
  /** Any answer but a 429: the account served it. `route` is e.g. "DELETE /user_group_memberships/{id}". */
  | { kind: "answered"; route: string; latencyMs: number }
  /** 429 without Retry-After: the account's limit, which the law has to find. */
  | { kind: "refused" }
  /** Nothing the law can use: no answer (timeout, reset), or a 429 that named its own wait (the gate's pause honours it). */
  | { kind: "silent" };

/** A request's start as the control recorded it: when, and whether the pace (not a lack of slots) had held it back. */
export interface Start {
  at: number;
  held: boolean;
}

/** A cut of the rate, for the log. */
export interface Cut {
  reason: "429" | "latency";
  perSecond: number;
}

/** What the gate asks of a control: how many in flight at most, when the next may start; and what came back. */
export interface RateControl {
  readonly ceiling: number;
  /** The pace in requests per second (Infinity: none). */
  readonly perSecond: number;
  /** The earliest time (ms, the caller's clock) the next request may start; a time already past means now. */
  nextStartAt(): number;
  /** A request starts at `now`. */
  started(now: number, held: boolean): Start;
  /** Its answer; returns the cut it caused, if any. */
  answered(start: Start, answer: Answer, now: number): Cut | undefined;
}

function assertCeiling(ceiling: number): void {
  if (!Number.isInteger(ceiling) || ceiling < 1) throw new RangeError(`the concurrency ceiling must be a positive integer, got ${ceiling}`);
}

interface RouteLatency {
  smoothedMs: number;
  floorMs: number;
  /** Latency cuts since the latency was last near the floor, the smoothed latency at the last one, and since when it is high. */
  cuts: number;
  atCutMs: number;
  highSince: number | undefined;
}

/** The law above. */
export class AdaptiveRate implements RateControl {
  private rate: number = ADAPTIVE_LAW.initialPerSecond;
  private slowStart = true;
  /** The rate after the first cut of a run of 429s with nothing served between them; below it, the rate grows as in slow start. */
  private recoverTo = 0;
  private servedSinceCut = true;
  /** Signals from requests started before this time are about an older rate. */
  private lastCutAt = -Infinity;
  private paceAt = -Infinity;
  /** Smoothed time between starts: what was really sent, which is less than the rate when the ceiling or the program limits it. */
  private lastStartAt: number | undefined;
  private startGapMs: number | undefined;
  /** Per route: requests of different kinds take different times, so each is compared with its own floor. */
  private readonly latency = new Map<string, RouteLatency>();
  /** The rate before the current run of latency cuts, restored if they turn out to be a false alarm. */
  private rateBeforeLatencyCuts: number | undefined;

  constructor(readonly ceiling: number) {
    assertCeiling(ceiling);
  }

  get perSecond(): number {
    return this.rate;
  }

  nextStartAt(): number {
    return this.paceAt;
  }

  started(now: number, held: boolean): Start {
    if (this.lastStartAt !== undefined) {
      const gap = now - this.lastStartAt;
      this.startGapMs = this.startGapMs === undefined ? gap : this.startGapMs + (gap - this.startGapMs) * ADAPTIVE_LAW.latencySmoothing;
    }
    this.lastStartAt = now;
    this.paceAt = Math.max(this.paceAt, now - ADAPTIVE_LAW.catchUpMs) + 1000 / this.rate;
    return { at: now, held };
  }

  answered(start: Start, answer: Answer, now: number): Cut | undefined {
    if (answer.kind === "silent") return undefined;
    const current = start.at >= this.lastCutAt;
    if (answer.kind === "refused") return current ? this.cut("429", now) : undefined;
    const latency = this.observeLatency(answer.route, answer.latencyMs, current, now);
    if (latency === "rising") return this.cut("latency", now);
    if (latency === "new normal") {
      // The cuts did not bring the latency down, so it was not us: undo them.
      this.rate = Math.max(this.rate, this.rateBeforeLatencyCuts ?? this.rate);
      this.rateBeforeLatencyCuts = undefined;
      return undefined;
    }
    if (current) this.servedSinceCut = true;
    if (latency === "normal" && start.held && current) this.grow(answer.latencyMs);
    return undefined;
  }

  private grow(latencyMs: number): void {
    if (!this.slowStart && this.rate >= this.recoverTo) {
      this.rate *= 1 + ADAPTIVE_LAW.increase;
      return;
    }
    // At most +50 % per success: below one request per round trip, a round trip says little.
    const step = Math.min(1000 / (ADAPTIVE_LAW.slowStartRoundTrips * Math.max(1, latencyMs)), this.rate / 2);
    this.rate = this.slowStart ? this.rate + step : Math.min(this.recoverTo, this.rate + step);
  }

  /**
   * Updates the route's smoothed latency and floor. "normal": near the floor. "rising": well above it
   * and higher than at the last latency cut: cut (at most `latencyCuts` times in a row). "high": well
   * above, but sent before the last cut, or lower than then (a queue draining), or the cuts are spent:
   * neither grow nor cut. "new normal": high for `newNormalAfterMs` despite the cuts, so not because of
   * us: the floor moves up and the cuts are undone.
   */
  private observeLatency(route: string, latencyMs: number, current: boolean, now: number): "normal" | "high" | "rising" | "new normal" {
    const seen = this.latency.get(route) ?? { smoothedMs: latencyMs, floorMs: latencyMs, cuts: 0, atCutMs: 0, highSince: undefined };
    this.latency.set(route, seen);
    seen.smoothedMs += (latencyMs - seen.smoothedMs) * ADAPTIVE_LAW.latencySmoothing;
    seen.floorMs = Math.min(seen.floorMs, seen.smoothedMs);
    const wellAbove =
      seen.smoothedMs > ADAPTIVE_LAW.latencyTolerance * seen.floorMs && seen.smoothedMs - seen.floorMs > ADAPTIVE_LAW.latencyMarginMs;
    if (!wellAbove || now - (seen.highSince ?? now) >= ADAPTIVE_LAW.newNormalAfterMs) {
      const newNormal = wellAbove;
      if (newNormal) seen.floorMs = seen.smoothedMs;
      Object.assign(seen, { cuts: 0, atCutMs: 0, highSince: undefined });
      return newNormal ? "new normal" : "normal";
    }
    seen.highSince ??= now;
    if (!current || seen.cuts >= ADAPTIVE_LAW.latencyCuts || seen.smoothedMs < seen.atCutMs) return "high";
    if (seen.cuts === 0) this.rateBeforeLatencyCuts = this.rate;
    seen.cuts++;
    seen.atCutMs = seen.smoothedMs;
    return "rising";
  }

  private cut(reason: Cut["reason"], now: number): Cut {
    const factor = this.slowStart ? ADAPTIVE_LAW.slowStartDecrease : ADAPTIVE_LAW.decrease;
    // Cut from what was really sent: a rate the ceiling kept from being reached would take many cuts to matter.
    const sent = this.startGapMs === undefined || this.startGapMs <= 0 ? Infinity : 1000 / this.startGapMs;
    this.rate = Math.max(ADAPTIVE_LAW.minPerSecond, Math.min(this.rate, ADAPTIVE_LAW.sentHeadroom * sent) * factor);
    this.slowStart = false;
    // A storm of 429s (nothing served between the cuts) drives the rate to the floor; once it is over,
    // the rate climbs back fast to near where the storm began instead of creeping up for an hour.
    if (this.servedSinceCut) this.recoverTo = this.rate;
    this.servedSinceCut = false;
    this.lastCutAt = now;
    // The pace restarts from now at the new rate, rather than keeping a start booked at the old one.
    this.paceAt = now + 1000 / this.rate;
    return { reason, perSecond: this.rate };
  }
}

/** The configured width, no pace, no adaptation: the client before the adaptive law (`kantata:concurrency fixed`). */
export class FixedWidth implements RateControl {
  readonly perSecond = Infinity;

  constructor(readonly ceiling: number) {
    assertCeiling(ceiling);
  }

  nextStartAt(): number {
    return -Infinity;
  }

  started(now: number, held: boolean): Start {
    return { at: now, held };
  }

  answered(): undefined {
    return undefined;
  }
}
