import { Coalescer, type CoalescerOptions } from "../../lib/coalescer";

/**
 * Coalesced look-ups by key whose requests also carry keys expected to be asked soon. The engine calls
 * `check` for one resource at a time, so a coalescer alone never sees two single resources' keys at once;
 * the program tells the provider what is coming (`expect`), and the request that one unknown key makes
 * fills its free places (up to `maxBatch`) with expected keys not yet answered, in the order expected.
 * Answers are kept for the process, so a key answered ahead costs no request when its own turn comes.
 * Only a key asked for starts a request: expecting alone never does.
 */
export class LookAhead<V> {
  private readonly expected = new Set<string>();
  private readonly answers = new Map<string, Promise<V | undefined>>();
  private readonly coalescer: Coalescer<string, V | undefined>;

  constructor(
    lookUp: (keys: string[]) => Promise<Map<string, V>>,
    private readonly options: CoalescerOptions,
  ) {
    this.coalescer = new Coalescer(async (batch) => {
      const keys = this.withExpected(batch);
      const found = lookUp(keys);
      // The keys that ride along are answered by the same request; the batch's own are answered below.
      const asked = new Set(batch);
      for (const key of keys)
        if (!asked.has(key))
          this.remember(
            key,
            found.then((map) => map.get(key)),
          );
      const map = await found;
      return batch.map((key) => ({ value: map.get(key) }));
    }, options);
  }

  /** Keys the next look-ups may carry. A key answered already, or known otherwise, is left out. */
  expect(keys: Iterable<string>): void {
    for (const key of keys) if (!this.answers.has(key)) this.expected.add(key);
  }

  /** A key resolved without this look-up (from state): no request needs to carry it. */
  known(key: string): void {
    this.expected.delete(key);
  }

  find(key: string): Promise<V | undefined> {
    let answer = this.answers.get(key);
    if (answer === undefined) this.remember(key, (answer = this.coalescer.submit(key)));
    return answer;
  }

  /**
   * The batch, then as many expected keys not yet answered as fit in the request: those expected after
   * the batch's first key first (its neighbours in the program, whose checks come next), then the others.
   */
  private withExpected(batch: readonly string[]): string[] {
    const keys = new Set(batch);
    const expected = [...this.expected];
    const at = Math.max(0, expected.indexOf(batch[0] ?? ""));
    for (const key of [...expected.slice(at), ...expected.slice(0, at)]) {
      if (keys.size >= this.options.maxBatch) break;
      if (!this.answers.has(key)) keys.add(key);
    }
    for (const key of keys) this.expected.delete(key);
    return [...keys];
  }

  /** A failed answer is forgotten, so the key is asked again next time. */
  private remember(key: string, answer: Promise<V | undefined>): void {
    this.answers.set(key, answer);
    answer.catch(() => {
      if (this.answers.get(key) === answer) this.answers.delete(key);
    });
  }
}
