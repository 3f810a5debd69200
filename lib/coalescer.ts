export interface CoalescerOptions {
  /** A batch is sent once no new item has arrived for this long... */
  idleMs: number;
  /** ...or once its first item has waited this long... */
  maxWaitMs: number;
  /** ...or at once when it reaches this size. */
  maxBatch: number;
}

/** The result for each item of a batch, in the batch's order: a value or that item's own error. */
export type BatchResults<R> = Array<{ value: R } | { error: unknown }>;

interface Waiting<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Merges concurrent single-item calls into batch calls. The engine drives every resource of a stack
 * concurrently through one provider process, so N resources created "at once" can share ⌈N/100⌉ POSTs
 * instead of N. Each caller gets its own item's result or error back.
 */
export class Coalescer<I, R> {
  private queue: Array<Waiting<I, R>> = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private maxWaitTimer: NodeJS.Timeout | undefined;
  private lengthAtLastExpect = 0;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<BatchResults<R>>,
    private readonly options: CoalescerOptions,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) return this.flush();
      // The engine hands resources over a few at a time, so wait while they keep coming (bounded by maxWaitMs).
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.flush(), this.options.idleMs);
      this.maxWaitTimer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /**
   * More items are on their way (the caller sees the work that precedes them): a waiting batch that has
   * grown since the last call waits again, idleMs and maxWaitMs from now, up to maxBatch. A batch that has
   * not grown is left to its timers: its items may be all that can come (the engine's parallelism).
   */
  expectMore(): void {
    const grown = this.queue.length > this.lengthAtLastExpect;
    this.lengthAtLastExpect = this.queue.length;
    if (!grown) return;
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxWaitTimer);
    this.idleTimer = setTimeout(() => this.flush(), this.options.idleMs);
    this.maxWaitTimer = setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  private flush(): void {
    this.lengthAtLastExpect = 0;
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxWaitTimer);
    this.idleTimer = this.maxWaitTimer = undefined;
    while (this.queue.length > 0) void this.dispatch(this.queue.splice(0, this.options.maxBatch));
  }

  private async dispatch(batch: Array<Waiting<I, R>>): Promise<void> {
    let results: BatchResults<R>;
    try {
      results = await this.runBatch(batch.map((w) => w.item));
    } catch (error) {
      // The whole batch failed (e.g. 401): every caller sees the same error.
      batch.forEach((w) => w.reject(error));
      return;
    }
    batch.forEach((w, i) => {
      const result = results[i];
      if (result && "value" in result) w.resolve(result.value);
      else w.reject(result ? result.error : new Error("batch returned no result for this item"));
    });
  }
}
