import { isKantataApiError } from "./errors";

/** Bounds for retrying 429 / 5xx / network failures. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Give up once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  /** First backoff; doubles every attempt. */
  baseDelayMs: number;
  /** Upper bound of a single backoff (a larger Retry-After is still honoured within maxElapsedMs). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxElapsedMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
      if (!isKantataApiError(error) || !error.retryable || attemptNumber >= policy.maxAttempts) throw error;
      const delay = backoffDelay(policy, attemptNumber, error.retryAfterMs);
      if (Date.now() - started + delay > policy.maxElapsedMs) throw error;
      await sleep(delay);
    }
  }
}
