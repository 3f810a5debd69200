import fc from "fast-check";
import { mapWithConcurrency } from "../../lib/async";
import { Limiter } from "../../provider/kantata/limiter";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts how many tasks run at the same moment; each task really awaits a timer. */
function concurrencyProbe() {
  let active = 0;
  const probe = {
    max: 0,
    started: 0,
    task: async <T>(value: T, ms: number): Promise<T> => {
      active++;
      probe.started++;
      probe.max = Math.max(probe.max, active);
      try {
        await tick(ms);
        if (ms % 3 === 0) throw new Error(`task ${String(value)} failed`);
        return value;
      } finally {
        active--;
      }
    },
  };
  return probe;
}

describe("the limiter", () => {
  it("never runs more than maxConcurrent tasks at once, and does reach that many (real concurrent tasks)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 30 }),
        async (width, durations) => {
          const limiter = new Limiter(width);
          const probe = concurrencyProbe();
          const results = await Promise.allSettled(durations.map((ms, i) => limiter.run(() => probe.task(i, ms))));
          expect(probe.max).toBeLessThanOrEqual(width);
          expect(probe.max).toBe(Math.min(width, durations.length));
          expect(probe.started).toBe(durations.length);
          results.forEach((r, i) =>
            expect(r).toEqual(
              durations[i] % 3 === 0 ? { status: "rejected", reason: new Error(`task ${i} failed`) } : { status: "fulfilled", value: i },
            ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("keeps the bound when tasks are added while others finish", async () => {
    const limiter = new Limiter(3);
    const probe = concurrencyProbe();
    const all: Array<Promise<unknown>> = [];
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 7; i++) all.push(limiter.run(() => probe.task(i, 1 + ((wave + i) % 4))).catch(() => undefined));
      await tick(2);
    }
    await Promise.all(all);
    expect(probe.max).toBe(3);
    expect(probe.started).toBe(35);
  });
});

describe("mapWithConcurrency", () => {
  it("runs at most `concurrency` workers at once, settles every item in input order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 }),
        async (concurrency, durations) => {
          const probe = concurrencyProbe();
          const results = await mapWithConcurrency(durations, concurrency, (ms, i) => probe.task(i, ms));
          expect(probe.max).toBeLessThanOrEqual(concurrency);
          expect(probe.max).toBe(Math.min(concurrency, durations.length));
          expect(results).toEqual(
            durations.map((ms, i) =>
              ms % 3 === 0 ? { status: "rejected", reason: new Error(`task ${i} failed`) } : { status: "fulfilled", value: i },
            ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
