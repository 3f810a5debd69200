import { sleep } from "../../lib/async";

/**
 * A pause shared by every request to one Kantata account (octokit's throttling plugin works the same
 * way): after a 429, or any answer with Retry-After, requests that would start before the pause ends
 * wait for it instead of collecting 429s of their own.
 */
export class BackPressure {
  private pausedUntil = 0;

  /**
   * Holds back every request that would start in the next `ms`. Returns true when this began a pause or
   * moved its end later (a new pause to report); false when an earlier pause already covers it.
   */
  pause(ms: number, now = Date.now()): boolean {
    const until = now + ms;
    if (until <= this.pausedUntil) return false;
    this.pausedUntil = until;
    return true;
  }

  /** Milliseconds until requests may start again; 0 when not paused. */
  remainingMs(now = Date.now()): number {
    return Math.max(0, this.pausedUntil - now);
  }

  /** Resolves once no pause is in force; a pause extended meanwhile is waited out too. */
  async wait(): Promise<void> {
    for (let left = this.remainingMs(); left > 0; left = this.remainingMs()) await sleep(left);
  }
}
