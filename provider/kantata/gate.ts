import type { RateControl, Start } from "./rateControl";

/**
 * The one queue every request of a transport waits in. A request starts when a slot is free (at most
 * the control's ceiling in flight), the control's pace allows it, and no pause is in force (after a
 * Retry-After). Retries go ahead of first attempts: a request that already waited and was refused
 * should not queue behind everything sent since, while its retry budget runs.
 */
export class Gate {
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly retries: Array<(start: Start) => void> = [];
  private readonly fresh: Array<(start: Start) => void> = [];
  /** Since the last start, the pace (not a lack of slots, not a pause) held a request back. */
  private held = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    readonly control: RateControl,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `task` once the gate lets it start; the task receives its Start, to report its answer to the control. */
  async run<T>(task: (start: Start) => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    const start = await new Promise<Start>((resolve) => {
      (options.retry ? this.retries : this.fresh).push(resolve);
      this.pump();
    });
    try {
      return await task(start);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /** Holds back every request that would start in the next `ms`. True when this began a pause or moved its end later. */
  pause(ms: number): boolean {
    const until = this.now() + ms;
    if (until <= this.pausedUntil) return false;
    this.pausedUntil = until;
    return true;
  }

  private pump(): void {
    while (this.inFlight < this.control.ceiling && this.retries.length + this.fresh.length > 0) {
      const now = this.now();
      const paceAt = this.control.nextStartAt();
      const readyAt = Math.max(paceAt, this.pausedUntil);
      if (readyAt > now) {
        if (paceAt >= this.pausedUntil) this.held = true;
        this.wakeAt(readyAt);
        return;
      }
      const next = (this.retries.length > 0 ? this.retries : this.fresh).shift()!;
      this.inFlight++;
      const start = this.control.started(now, this.held);
      this.held = false;
      next(start);
    }
  }

  private wakeAt(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, at - this.now());
  }
}
