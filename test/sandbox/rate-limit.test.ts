import { type Admission, type RateLimit, RateLimiter } from "../../sandbox/rateLimit";

/** A clock the test moves by hand, in ms. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

function limiterAt(limit: RateLimit | undefined) {
  const clock = manualClock();
  return { clock, limiter: new RateLimiter(limit, clock.now) };
}

/** How many of `count` back-to-back requests of `key` are accepted (slots released at once). */
function acceptedOf(limiter: RateLimiter, count: number, key = "token"): number {
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    const admission = limiter.admit(key);
    if (admission.admitted) {
      accepted++;
      admission.release();
    }
  }
  return accepted;
}

function refusal(admission: Admission): { reason: string; retryAfterSeconds: number } {
  if (admission.admitted) throw new Error("expected a refusal");
  return { reason: admission.reason, retryAfterSeconds: admission.retryAfterSeconds };
}

describe("the token bucket", () => {
  test("at a steady pace it accepts perSecond requests per second, once the burst is spent", () => {
    const { clock, limiter } = limiterAt({ perSecond: 10 });
    expect(acceptedOf(limiter, 10)).toBe(10);
    let accepted = 0;
    // A request every 10 ms for 5 s: ten times faster than the limit.
    for (let i = 0; i < 500; i++) {
      clock.advance(10);
      accepted += acceptedOf(limiter, 1);
    }
    expect(accepted).toBe(50);
  });

  test("a full bucket takes a burst of `burst` requests at one instant, and refuses the next", () => {
    const { limiter } = limiterAt({ perSecond: 2, burst: 5 });
    expect(acceptedOf(limiter, 8)).toBe(5);
  });

  test("the burst defaults to one second's worth, and to 1 below one request per second", () => {
    expect(acceptedOf(limiterAt({ perSecond: 4 }).limiter, 10)).toBe(4);
    expect(acceptedOf(limiterAt({ perSecond: 0.5 }).limiter, 10)).toBe(1);
  });

  test("refills one token per 1/perSecond, and never above the burst however long it idles", () => {
    const { clock, limiter } = limiterAt({ perSecond: 2, burst: 3 });
    expect(acceptedOf(limiter, 3)).toBe(3);
    clock.advance(499);
    expect(acceptedOf(limiter, 1)).toBe(0);
    clock.advance(1);
    expect(acceptedOf(limiter, 1)).toBe(1);
    clock.advance(3_600_000);
    expect(acceptedOf(limiter, 10)).toBe(3);
  });

  test("each token has its own bucket", () => {
    const { limiter } = limiterAt({ perSecond: 1, burst: 2 });
    expect(acceptedOf(limiter, 5, "first")).toBe(2);
    expect(acceptedOf(limiter, 5, "second")).toBe(2);
    expect(acceptedOf(limiter, 1, "")).toBe(1);
  });

  test("a refusal says when a token will be there, in whole seconds rounded up", () => {
    const { clock, limiter } = limiterAt({ perSecond: 0.25, burst: 1 });
    expect(acceptedOf(limiter, 1)).toBe(1);
    expect(refusal(limiter.admit("token"))).toEqual({ reason: "rate", retryAfterSeconds: 4 });
    clock.advance(1500);
    expect(refusal(limiter.admit("token")).retryAfterSeconds).toBe(3);
    clock.advance(2400);
    expect(refusal(limiter.admit("token")).retryAfterSeconds).toBe(1);
    clock.advance(100);
    expect(acceptedOf(limiter, 1)).toBe(1);
  });

  test("a clock that steps back earns no tokens and takes none away", () => {
    const { clock, limiter } = limiterAt({ perSecond: 1, burst: 2 });
    expect(acceptedOf(limiter, 1)).toBe(1);
    clock.advance(-60_000);
    expect(acceptedOf(limiter, 3)).toBe(1);
  });
});

describe("maxConcurrent", () => {
  test("refuses a token's request while maxConcurrent of its requests are in flight, and accepts again after a release", () => {
    const { limiter } = limiterAt({ perSecond: 100, maxConcurrent: 2 });
    const [a, b] = [limiter.admit("token"), limiter.admit("token")];
    expect(refusal(limiter.admit("token"))).toEqual({ reason: "concurrency", retryAfterSeconds: 1 });
    expect(limiter.admit("other").admitted).toBe(true);
    if (!a.admitted || !b.admitted) throw new Error("expected both admitted");
    a.release();
    a.release(); // a second release of the same request frees nothing more
    expect(limiter.admit("token").admitted).toBe(true);
    expect(limiter.admit("token").admitted).toBe(false);
  });

  test("a refused request takes no token from the bucket", () => {
    const { limiter } = limiterAt({ perSecond: 1, burst: 2, maxConcurrent: 1 });
    const first = limiter.admit("token");
    expect(refusal(limiter.admit("token")).reason).toBe("concurrency");
    if (first.admitted) first.release();
    expect(limiter.admit("token").admitted).toBe(true);
  });

  test("requests admitted before a cap is set count against it", () => {
    const { limiter } = limiterAt(undefined);
    const early = limiter.admit("token");
    limiter.set({ perSecond: 100, maxConcurrent: 1 });
    expect(refusal(limiter.admit("token")).reason).toBe("concurrency");
    if (early.admitted) early.release();
    expect(limiter.admit("token").admitted).toBe(true);
  });
});

describe("set() and checks", () => {
  test("without a limit everything is admitted; set() refills every bucket; sendsRetryAfter follows the limit", () => {
    const { limiter } = limiterAt(undefined);
    expect(acceptedOf(limiter, 1000)).toBe(1000);
    limiter.set({ perSecond: 1, retryAfter: true });
    expect(limiter.sendsRetryAfter).toBe(true);
    expect(acceptedOf(limiter, 3)).toBe(1);
    limiter.set({ perSecond: 1 });
    expect(limiter.sendsRetryAfter).toBe(false);
    expect(acceptedOf(limiter, 3)).toBe(1);
  });

  test.each<RateLimit>([
    { perSecond: 0 },
    { perSecond: -1 },
    { perSecond: Number.NaN },
    { perSecond: Number.POSITIVE_INFINITY },
    { perSecond: 5, burst: 0.5 },
    { perSecond: 5, maxConcurrent: 0 },
    { perSecond: 5, maxConcurrent: 1.5 },
  ])("%j is a RangeError", (limit) => {
    expect(() => new RateLimiter(limit)).toThrow(RangeError);
    expect(() => new RateLimiter(undefined).set(limit)).toThrow(RangeError);
  });
});
