import fc from "fast-check";
import { ADAPTIVE_LAW, AdaptiveRate, type Answer } from "../../provider/kantata/rateControl";
import { type SimulatedServer, simulate } from "../support/simulatedAccount";

// The law against simulated accounts on a fake clock: four minutes of traffic with unbounded demand,
// measured after the first minute ("steady state"). The numbers are the targets.
const DURATION_MS = 240_000;
const WARM_UP_MS = 60_000;
const RUNS = { numRuns: 25 };

const ceiling = fc.integer({ min: 4, max: 64 });
const latencyMs = fc.integer({ min: 10, max: 200 });

describe("the adaptive rate against a simulated account", () => {
  it("against a token bucket: ≥ 85 % of what the account or the ceiling allows, ≤ 3 % refused, never over the ceiling", () => {
    fc.assert(
      fc.property(ceiling, latencyMs, fc.double({ min: 2, max: 200, noNaN: true }), fc.boolean(), (width, latency, perSecond, withBurst) => {
        const server: SimulatedServer = { perSecond, burst: withBurst ? perSecond : 1, latencyMs: latency };
        const result = simulate(new AdaptiveRate(width), server, DURATION_MS, WARM_UP_MS);
        const possible = Math.min(perSecond, (width * 1000) / latency);
        expect(result.maxInFlight).toBeLessThanOrEqual(width);
        expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(0.85 * possible);
        expect(result.refusedShare).toBeLessThanOrEqual(0.03);
      }),
      RUNS,
    );
  });

  it("against a cap on requests in flight: ≥ 85 % of the cap's throughput, ≤ 3 % refused", () => {
    fc.assert(
      // Up to 800 requests/s, to keep the simulation quick.
      fc.property(ceiling, fc.integer({ min: 20, max: 200 }), fc.integer({ min: 1, max: 16 }), (width, latency, cap) => {
        const result = simulate(new AdaptiveRate(width), { maxConcurrent: cap, latencyMs: latency }, DURATION_MS, WARM_UP_MS);
        const possible = (Math.min(cap, width) * 1000) / latency;
        expect(result.maxInFlight).toBeLessThanOrEqual(width);
        expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(0.85 * possible);
        expect(result.refusedShare).toBeLessThanOrEqual(0.03);
      }),
      RUNS,
    );
  });

  it("against an unlimited account: fills the ceiling within seconds, nothing refused", () => {
    fc.assert(
      fc.property(ceiling, latencyMs, (width, latency) => {
        const result = simulate(new AdaptiveRate(width), { latencyMs: latency }, 20_000, 5_000);
        expect(result.maxInFlight).toBe(width);
        expect(result.acceptedPerSecond).toBeGreaterThanOrEqual((0.95 * width * 1000) / latency);
        expect(result.refused).toBe(0);
      }),
      RUNS,
    );
  });

  // Serving 20/s or more. Below, with the ceiling far above, the queue the ceiling allows is seconds deep and
  // drains more slowly than the smoothed latency shows: 5/s with a ceiling of 18 measured 2.8 × the floor.
  it("against an account that queues instead of refusing: latency stays under 2.5 × its floor (or 60 ms above it), throughput ≥ 75 %", () => {
    fc.assert(
      fc.property(ceiling, latencyMs, fc.integer({ min: 20, max: 200 }), (width, latency, serves) => {
        fc.pre((width * 1000) / latency > 2 * serves); // the ceiling alone would let a queue build
        const result = simulate(new AdaptiveRate(width), { servesPerSecond: serves, latencyMs: latency }, DURATION_MS, WARM_UP_MS);
        const floor = latency + 1000 / serves;
        // Well above the floor means twice it and 50 ms more (ADAPTIVE_LAW.latencyMarginMs).
        expect(result.meanLatencyMs).toBeLessThanOrEqual(Math.max(2.5 * floor, floor + 60));
        expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(0.75 * serves);
      }),
      RUNS,
    );
  });

  // The slowdown at 20 s: the law waits 30 s before taking it as the new normal, so from 60 s on it has.
  it("when the account gets slower for everyone, takes that as the new normal instead of slowing to a crawl", () => {
    fc.assert(
      fc.property(
        ceiling,
        latencyMs,
        fc.double({ min: 2, max: 200, noNaN: true }),
        fc.integer({ min: 2, max: 5 }),
        (width, latency, perSecond, slowdown) => {
          const server = { perSecond, latencyMs: latency, slowdownAtMs: 20_000, slowdown };
          const result = simulate(new AdaptiveRate(width), server, DURATION_MS, WARM_UP_MS);
          const possible = Math.min(perSecond, (width * 1000) / (latency * slowdown));
          expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(0.85 * possible);
        },
      ),
      RUNS,
    );
  });

  it("after a minute in which every request is refused, is back to ≥ 85 % of the limit within a minute", () => {
    fc.assert(
      fc.property(ceiling, latencyMs, fc.double({ min: 2, max: 200, noNaN: true }), (width, latency, perSecond) => {
        const server = { perSecond, latencyMs: latency, stormMs: [30_000, 90_000] as [number, number] };
        const result = simulate(new AdaptiveRate(width), server, DURATION_MS, 150_000);
        expect(result.acceptedPerSecond).toBeGreaterThanOrEqual(0.85 * Math.min(perSecond, (width * 1000) / latency));
      }),
      RUNS,
    );
  });
});

describe("the adaptive rate's bounds", () => {
  const answer: fc.Arbitrary<Answer> = fc.oneof(
    fc.constant<Answer>({ kind: "refused" }),
    fc.constant<Answer>({ kind: "silent" }),
    fc.record({
      kind: fc.constant("answered" as const),
      route: fc.constantFrom("GET /users", "DELETE /x/{id}"),
      latencyMs: fc.integer({ min: 1, max: 5000 }),
    }),
  );

  it("never paces below 0.5 requests/s nor books a start in the past, whatever the answers", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(answer, fc.integer({ min: 0, max: 2000 }), fc.boolean()), { maxLength: 300 }), (events) => {
        const control = new AdaptiveRate(8);
        let now = 0;
        for (const [reply, gap, held] of events) {
          now += gap;
          const start = control.started(now, held);
          expect(control.nextStartAt()).toBeGreaterThan(now - ADAPTIVE_LAW.catchUpMs);
          control.answered(start, reply, now + 1);
          expect(control.perSecond).toBeGreaterThanOrEqual(ADAPTIVE_LAW.minPerSecond);
          expect(Number.isFinite(control.perSecond)).toBe(true);
        }
      }),
    );
  });

  it("cuts once for the 429s of requests sent at the same rate, not once per 429", () => {
    const control = new AdaptiveRate(8);
    const starts = Array.from({ length: 5 }, (_, i) => control.started(i, true));
    const cuts = starts.map((start) => control.answered(start, { kind: "refused" }, 10));
    expect(cuts.filter((cut) => cut !== undefined)).toEqual([{ reason: "429", perSecond: expect.any(Number) as number }]);
  });
});
