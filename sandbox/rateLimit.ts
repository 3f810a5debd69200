/**
 * Rate limits like a real account's: Kantata limits requests per account without publishing numbers,
 * and its 429 carries no `Retry-After`. The sandbox keeps one token bucket per bearer token (a
 * provider uses one token per account, so that is per account; a test's separate clients can hold
 * separate tokens and be limited apart), plus an optional cap on requests of one token being handled
 * at once. Requests without a token share one bucket: the limiter stands where a gateway does, in
 * front of authentication, so it limits whatever credential it is shown.
 *
 * Everything reads the injected clock, so tests step time instead of sleeping.
 */

export interface RateLimit {
  /** Tokens added to a bucket per second: the steady rate of accepted requests. Any positive number. */
  perSecond: number;
  /** Bucket capacity, the largest burst (at least 1). Default one second's worth: `max(1, perSecond)`. */
  burst?: number;
  /** Requests of one token being handled at once (from acceptance until the response is sent); more are refused. Default no cap. */
  maxConcurrent?: number;
  /** Send `Retry-After` (whole seconds, rounded up) on refusals. Default false, like Kantata. */
  retryAfter?: boolean;
}

export const RATE_LIMIT_REASONS = ["rate", "concurrency"] as const;
/** "rate": the token's bucket was empty. "concurrency": it had `maxConcurrent` requests in flight. */
export type RateLimitReason = (typeof RATE_LIMIT_REASONS)[number];

export interface Accepted {
  admitted: true;
  /** Ends the request's concurrency slot; safe to call more than once. */
  release: () => void;
}

export interface Refused {
  admitted: false;
  reason: RateLimitReason;
  /** When to try again, in whole seconds, at least 1. */
  retryAfterSeconds: number;
}

export type Admission = Accepted | Refused;

/** Refusals for concurrency cannot know when a slot frees; 1 s is the smallest whole-second hint that is not "now". */
const CONCURRENCY_RETRY_AFTER_SECONDS = 1;
/** Slack for the float arithmetic of refills, so that exactly one token's time yields a whole token. */
const EPSILON = 1e-9;

export function assertRateLimit(limit: RateLimit): void {
  const { perSecond, burst, maxConcurrent } = limit;
  if (!(Number.isFinite(perSecond) && perSecond > 0)) throw new RangeError(`rate limit: perSecond must be a positive number, got ${perSecond}`);
  if (burst !== undefined && !(Number.isFinite(burst) && burst >= 1))
    throw new RangeError(`rate limit: burst must be a number of at least 1, got ${burst}`);
  if (maxConcurrent !== undefined && !(Number.isSafeInteger(maxConcurrent) && maxConcurrent >= 1)) {
    throw new RangeError(`rate limit: maxConcurrent must be a positive integer, got ${maxConcurrent}`);
  }
}

interface Bucket {
  tokens: number;
  /** Clock reading of the last refill, in ms. */
  at: number;
}

export class RateLimiter {
  private limit: RateLimit | undefined;
  private buckets = new Map<string, Bucket>();
  /** Counted whether or not a limit is set, so a cap set at run time sees the requests already in flight. */
  private readonly inFlight = new Map<string, number>();

  /** `now` returns milliseconds; only differences matter. */
  constructor(
    limit: RateLimit | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.set(limit);
  }

  /** Replaces the limit (undefined: none). Buckets start full again; requests in flight stay counted. */
  set(limit: RateLimit | undefined): void {
    if (limit !== undefined) assertRateLimit(limit);
    this.limit = limit === undefined ? undefined : { ...limit };
    this.buckets = new Map();
  }

  /** Whether refusals carry `Retry-After`. */
  get sendsRetryAfter(): boolean {
    return this.limit?.retryAfter === true;
  }

  /** Accepts the request (taking a token and a concurrency slot) or refuses it, taking nothing. */
  admit(key: string): Admission {
    const limit = this.limit;
    if (limit !== undefined) {
      const bucket = this.refilled(key, limit);
      if (bucket.tokens < 1 - EPSILON) {
        const waitSeconds = (1 - bucket.tokens) / limit.perSecond;
        return { admitted: false, reason: "rate", retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds - EPSILON)) };
      }
      if (limit.maxConcurrent !== undefined && (this.inFlight.get(key) ?? 0) >= limit.maxConcurrent) {
        return { admitted: false, reason: "concurrency", retryAfterSeconds: CONCURRENCY_RETRY_AFTER_SECONDS };
      }
      bucket.tokens -= 1;
    }
    return { admitted: true, release: this.occupy(key) };
  }

  /** The key's bucket with the tokens earned since its last refill; a new key's bucket starts full. */
  private refilled(key: string, limit: RateLimit): Bucket {
    const capacity = limit.burst ?? Math.max(1, limit.perSecond);
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const full = { tokens: capacity, at: now };
      this.buckets.set(key, full);
      return full;
    }
    // A clock that steps back (wall-clock adjustments) earns nothing rather than taking tokens away.
    const elapsedMs = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs * limit.perSecond) / 1000);
    bucket.at = now;
    return bucket;
  }

  private occupy(key: string): () => void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    };
  }
}
