/** Small promise helpers with one job each. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `load` called at most once while it succeeds: callers share its promise. A failed load is forgotten,
 * so the next caller asks again rather than every later caller failing on one lost request.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (cached === undefined) {
      const current = load();
      cached = current;
      current.catch(() => {
        if (cached === current) cached = undefined;
      });
    }
    return cached;
  };
}

/** Runs `worker` over `items` with at most `concurrency` at a time; results keep the input order, each settled. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await worker(items[index], index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  });
  await Promise.all(lanes);
  return results;
}
