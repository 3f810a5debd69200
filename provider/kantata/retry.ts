import { sleep } from "../../lib/async";
import { type KantataApiError, isKantataApiError } from "./errors";

/**
 * Bounds for retrying. Kantata says "busy" (429, 503) when it wants us to slow down, not to stop, so
 * those are retried for as long as the time budget lasts. Failures without any answer (timeouts,
 * resets, refused connections) may mean the host is gone: they also get a bounded number of attempts.
 */
export interface RetryPolicy {
  /** Attempts, including the first, for timeouts and network errors. 429 and 503 are bounded by time only. */
  maxAttempts: number;
  /** The time budget: nothing is retried once this much has passed since the first attempt. */
  maxElapsedMs: number;
  /** First backoff; doubles every attempt. */
  baseDelayMs: number;
  /** Upper bound of a single backoff (a larger Retry-After is still honoured within maxElapsedMs). */
  maxDelayMs: number;
  /**
   * Called before each retry's wait. The transport uses it to log the retry and to pause every request
   * after a 429; it rides on the policy so that callers of `withRetry` need not know about it.
   */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** The error of the attempt that just failed. */
  error: KantataApiError;
  /** The number of the attempt that comes next (2 for the first retry). */
  nextAttempt: number;
  /** How long `withRetry` now waits. */
  delayMs: number;
  /** Budget left once that wait is over. */
  remainingMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxElapsedMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
};

/**
 * Delay before retry number `retry` (1-based): the server's Retry-After when it gave one, otherwise
 * "full jitter" exponential backoff, which spreads out the many resources of one deployment that
 * hit the same 429 at the same moment.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

/** "Slow down" answers: retried until the time budget runs out, however many attempts that takes. */
const BUSY_KINDS: ReadonlySet<string> = new Set(["rate_limited", "unavailable"]);

/**
 * What to do after attempt `attemptNumber` failed with `error`, `elapsedMs` after the first attempt
 * started: wait `delayMs` and try again, or give up (throw the error).
 */
export function retryDecision(
  policy: RetryPolicy,
  error: unknown,
  attemptNumber: number,
  elapsedMs: number,
  random = Math.random,
): { retry: false } | { retry: true; delayMs: number; remainingMs: number } {
  if (!isKantataApiError(error) || !error.retryable) return { retry: false };
  if (!BUSY_KINDS.has(error.kind) && attemptNumber >= policy.maxAttempts) return { retry: false };
  const remaining = policy.maxElapsedMs - elapsedMs;
  if (remaining <= 0) return { retry: false };
  if (error.retryAfterMs !== undefined) {
    // The server named the wait. Sleeping past the budget only to fail later helps nobody: give up now.
    if (error.retryAfterMs > remaining) return { retry: false };
    return { retry: true, delayMs: error.retryAfterMs, remainingMs: remaining - error.retryAfterMs };
  }
  // Our own backoff is only a guess: shorten it to the budget, so the last attempt lands at its end
  // rather than giving up early because one jittered delay happened to be long.
  const delayMs = Math.min(backoffDelay(policy, attemptNumber, undefined, random), remaining);
  return { retry: true, delayMs, remainingMs: remaining - delayMs };
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy's bounds are used
 * up (then the last error is thrown). `attempt` receives the 1-based attempt number so callers can make
 * a repeated attempt safe — a create re-lists before it POSTs again.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (attemptNumber: number) => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      const decision = retryDecision(policy, error, attemptNumber, Date.now() - started);
      if (!decision.retry) throw error;
      policy.onRetry?.({
        error: error as KantataApiError,
        nextAttempt: attemptNumber + 1,
        delayMs: decision.delayMs,
        remainingMs: decision.remainingMs,
      });
      await sleep(decision.delayMs);
    }
  }
}
