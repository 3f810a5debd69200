import fc from "fast-check";
import { mapWithConcurrency } from "../../lib/async";
import { Gate } from "../../provider/kantata/gate";
import { AdaptiveRate, FixedWidth } from "../../provider/kantata/rateControl";

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

describe("the gate at a fixed width", () => {
  it("never runs more than the width at once, and does reach that many (real concurrent tasks)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 30 }),
        async (width, durations) => {
          const gate = new Gate(new FixedWidth(width));
          const probe = concurrencyProbe();
          const results = await Promise.allSettled(durations.map((ms, i) => gate.run(() => probe.task(i, ms))));
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
    const gate = new Gate(new FixedWidth(3));
    const probe = concurrencyProbe();
    const all: Array<Promise<unknown>> = [];
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 7; i++) all.push(gate.run(() => probe.task(i, 1 + ((wave + i) % 4))).catch(() => undefined));
      await tick(2);
    }
    await Promise.all(all);
    expect(probe.max).toBe(3);
    expect(probe.started).toBe(35);
  });
});

describe("the gate's order and pauses", () => {
  it("starts retries before first attempts that queued earlier", async () => {
    const gate = new Gate(new FixedWidth(1));
    const order: string[] = [];
    const blocker = gate.run(() => tick(5));
    const queued = [
      gate.run(async () => void order.push("first 1")),
      gate.run(async () => void order.push("first 2")),
      gate.run(async () => void order.push("retry"), { retry: true }),
    ];
    await Promise.all([blocker, ...queued]);
    expect(order).toEqual(["retry", "first 1", "first 2"]);
  });

  it("starts nothing during a pause, and everything after it", async () => {
    // On Jest's clock: on the real one, a busy machine put 4 ms between pausing and reading the clock.
    jest.useFakeTimers();
    try {
      const gate = new Gate(new FixedWidth(4));
      const paused = Date.now();
      expect(gate.pause(100)).toBe(true);
      expect(gate.pause(50)).toBe(false);
      const started = Promise.all(Array.from({ length: 3 }, () => gate.run(async () => Date.now())));
      await jest.advanceTimersByTimeAsync(100);
      expect((await started).map((at) => at - paused)).toEqual([100, 100, 100]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("paces starts at the adaptive control's rate (10/s before anything is known), with every slot free", async () => {
    // On Jest's clock: on the real one a late timer under load moved a start by a few ms either way.
    jest.useFakeTimers();
    try {
      const gate = new Gate(new AdaptiveRate(8));
      const started = Promise.all(Array.from({ length: 4 }, () => gate.run(async () => Date.now())));
      await jest.advanceTimersByTimeAsync(400);
      const startedAt = await started;
      // 100 ms apart; the first start of an idle gate counts as up to 10 ms late (the pace it may catch up).
      expect(startedAt.slice(1).map((at, i) => at - startedAt[i])).toEqual([90, 100, 100]);
    } finally {
      jest.useRealTimers();
    }
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
