import { Coalescer, type CoalescerOptions } from "../../lib/coalescer";

/** A coalescer whose batches are recorded, each item answered with `answer(item)` (itself by default). */
function recording(options: CoalescerOptions, answer = (n: number) => n): { coalescer: Coalescer<number, number>; batches: number[][] } {
  const batches: number[][] = [];
  const coalescer = new Coalescer<number, number>(async (items) => {
    batches.push(items);
    return items.map((n) => ({ value: answer(n) }));
  }, options);
  return { coalescer, batches };
}

describe("the request coalescer", () => {
  it("merges concurrent submissions into batches of at most maxBatch and routes each result back", async () => {
    const { coalescer, batches } = recording({ idleMs: 5, maxWaitMs: 50, maxBatch: 100 }, (n) => n * 10);
    const results = await Promise.all(Array.from({ length: 250 }, (_, i) => coalescer.submit(i)));
    expect(results).toEqual(Array.from({ length: 250 }, (_, i) => i * 10));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it("expectMore keeps a growing batch open past idleMs and maxWaitMs; one that stopped growing leaves on its timers", () => {
    jest.useFakeTimers();
    try {
      const { coalescer, batches } = recording({ idleMs: 20, maxWaitMs: 50, maxBatch: 100 });
      // An item every 30 ms (slower than idleMs), each announced by the work before it: 10 items, 300 ms.
      for (let i = 0; i < 10; i++) {
        void coalescer.submit(i);
        jest.advanceTimersByTime(15);
        coalescer.expectMore();
        jest.advanceTimersByTime(15);
      }
      expect(batches).toEqual([]);
      coalescer.expectMore(); // more work, but no new item: the engine runs no more at once
      jest.advanceTimersByTime(20);
      expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("keeps a batch open while items keep arriving faster than idleMs", async () => {
    const { coalescer, batches } = recording({ idleMs: 20, maxWaitMs: 1000, maxBatch: 100 });
    const submitted: Array<Promise<number>> = [];
    for (let i = 0; i < 5; i++) {
      submitted.push(coalescer.submit(i));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(submitted);
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
  });

  it("still flushes by maxWaitMs when items keep arriving faster than idleMs", async () => {
    jest.useFakeTimers();
    try {
      const started = Date.now();
      const batches: Array<{ at: number; items: number[] }> = [];
      const coalescer = new Coalescer<number, number>(
        async (items) => {
          batches.push({ at: Date.now() - started, items });
          return items.map((n) => ({ value: n }));
        },
        { idleMs: 20, maxWaitMs: 50, maxBatch: 1000 },
      );
      // One item every 5 ms for 200 ms: the idle timer never gets to fire, only maxWaitMs can end a batch.
      const submitted: Array<Promise<number>> = [];
      for (let i = 0; i < 40; i++) {
        submitted.push(coalescer.submit(i));
        await jest.advanceTimersByTimeAsync(5);
      }
      await jest.advanceTimersByTimeAsync(100);
      await expect(Promise.all(submitted)).resolves.toEqual(Array.from({ length: 40 }, (_, i) => i));
      const range = (from: number) => Array.from({ length: 10 }, (_, i) => from + i);
      expect(batches).toEqual([
        { at: 50, items: range(0) },
        { at: 100, items: range(10) },
        { at: 150, items: range(20) },
        { at: 200, items: range(30) },
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("gives each item its own error, and every item the batch's error when the whole batch fails", async () => {
    const perItem = new Coalescer<number, number>(async (items) => items.map((n) => (n % 2 ? { error: new Error(`odd ${n}`) } : { value: n })), {
      idleMs: 1,
      maxWaitMs: 10,
      maxBatch: 10,
    });
    await expect(perItem.submit(2)).resolves.toBe(2);
    const [even, odd] = await Promise.allSettled([perItem.submit(4), perItem.submit(5)]);
    expect(even).toEqual({ status: "fulfilled", value: 4 });
    expect(odd).toMatchObject({ status: "rejected", reason: new Error("odd 5") });

    const whole = new Coalescer<number, number>(async () => Promise.reject(new Error("401")), { idleMs: 1, maxWaitMs: 10, maxBatch: 10 });
    const settled = await Promise.allSettled([whole.submit(1), whole.submit(2)]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  });
});
