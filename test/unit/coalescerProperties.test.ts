import fc from "fast-check";
import { type BatchResults, Coalescer } from "../../lib/coalescer";

/**
 * Properties of the Coalescer under arbitrary arrival patterns, on jest's fake clock so that waits are
 * measured exactly. Items are small integers, so the same item often appears several times: the
 * coalescer must pass duplicates through (de-duplication is the batcher's job, not its own).
 */
const POISON = 7; // a batch holding this item fails as a whole, like a 401
const failsAlone = (item: number) => item % 4 === 3; // this item gets its own error

interface Batch {
  no: number;
  at: number;
  items: number[];
}

const arrivals = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 15 }), item: fc.integer({ min: 0, max: 7 }) }), {
  minLength: 1,
  maxLength: 60,
});
const options = fc.record({
  idleMs: fc.integer({ min: 1, max: 30 }),
  maxWaitMs: fc.integer({ min: 1, max: 80 }),
  maxBatch: fc.integer({ min: 1, max: 8 }),
});

beforeAll(() => jest.useFakeTimers());
afterAll(() => jest.useRealTimers());

it("every caller gets exactly its own result or error; batches keep order, duplicates and the size and wait bounds", async () => {
  await fc.assert(
    fc.asyncProperty(arrivals, options, fc.integer({ min: 0, max: 20 }), async (schedule, opts, batchLatency) => {
      const batches: Batch[] = [];
      const coalescer = new Coalescer<number, string>(async (items): Promise<BatchResults<string>> => {
        const no = batches.push({ no: batches.length, at: Date.now(), items: [...items] }) - 1;
        // Batches take a while and overlap with later ones, as real POSTs do.
        await new Promise((resolve) => setTimeout(resolve, (no % 3) * batchLatency));
        if (items.includes(POISON)) throw new Error(`batch ${no} failed`);
        return items.map((item, i) =>
          failsAlone(item) ? { error: new Error(`error ${no}/${i}/${item}`) } : { value: `value ${no}/${i}/${item}` },
        );
      }, opts);

      const calls: Array<{ item: number; at: number; outcome?: { value: string } | { error: unknown } }> = [];
      for (const { gap, item } of schedule) {
        await jest.advanceTimersByTimeAsync(gap);
        const call: (typeof calls)[number] = { item, at: Date.now() };
        calls.push(call);
        coalescer.submit(item).then(
          (value) => void (call.outcome = { value }),
          (error: unknown) => void (call.outcome = { error }),
        );
      }
      await jest.advanceTimersByTimeAsync(opts.maxWaitMs + opts.idleMs + 3 * batchLatency + 10);

      // Items reach runBatch as given: same order, duplicates included, nothing lost or added.
      expect(batches.flatMap((b) => b.items)).toEqual(calls.map((c) => c.item));
      let position = 0;
      for (const batch of batches) {
        expect(batch.items.length).toBeGreaterThanOrEqual(1);
        expect(batch.items.length).toBeLessThanOrEqual(opts.maxBatch);
        batch.items.forEach((item, i) => {
          const call = calls[position++];
          // No item waits longer than maxWaitMs (exact: the clock is fake).
          expect(batch.at - call.at).toBeLessThanOrEqual(opts.maxWaitMs);
          const expected = batch.items.includes(POISON)
            ? { error: new Error(`batch ${batch.no} failed`) }
            : failsAlone(item)
              ? { error: new Error(`error ${batch.no}/${i}/${item}`) }
              : { value: `value ${batch.no}/${i}/${item}` };
          expect(call.outcome).toEqual(expected);
        });
      }
    }),
    { numRuns: 150 },
  );
});
