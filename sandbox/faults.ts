import { setTimeout as sleep } from "node:timers/promises";
import { errorBody } from "./envelope";
import type { Reply } from "./handler";
import { mulberry32 } from "./random";

// Re-exported for code that imported it from here before it had its own module.
export { mulberry32 } from "./random";

/**
 * What the sandbox does to requests on purpose: latency and faults. Every fault kind but
 * "503-after-commit" and "slow" strikes before the handler runs, so a faulted POST creates nothing.
 * "503-after-commit" lets the handler commit and then answers 503: the request was applied but its
 * response was lost, which a client must not answer with a blind retry of a create.
 * "slow" lets the handler commit and sends its real response only after a delay: set the delay above
 * the client's timeout and the client gives up on a request that did happen.
 */
export const FAULT_KINDS = ["429", "429-retry-after", "503", "reset", "503-after-commit", "slow"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const DEFAULT_RETRY_AFTER_SECONDS = 1;
/** Delay of a "slow" response unless configured; meant to be set above the client's timeout. */
export const DEFAULT_SLOW_MS = 5_000;

/** Random faults: each request fails with probability `rate`, with a kind drawn evenly from `kinds`. */
export interface FaultConfig {
  rate: number;
  kinds: readonly FaultKind[];
  /** `Retry-After` of "429-retry-after"; default 1. */
  retryAfterSeconds?: number;
  /** Delay of "slow" responses in ms; default {@link DEFAULT_SLOW_MS}. */
  slowMs?: number;
}

/**
 * Which requests a scripted fault applies to. `method` is compared case-insensitively; `path` is either
 * a concrete path below /api/v1 without `.json` ("/user_group_memberships/90001") or a route template
 * ("/user_group_memberships/{id}"). Omitted fields match everything.
 */
export interface FaultMatch {
  method?: string;
  path?: string;
}

export interface FailNextOptions extends FaultMatch {
  retryAfterSeconds?: number;
  /** Delay of a "slow" response in ms; default {@link DEFAULT_SLOW_MS}. */
  delayMs?: number;
}

export interface Fault {
  kind: FaultKind;
  retryAfterSeconds: number;
  /** How long a "slow" fault holds the response back. */
  delayMs: number;
}

/** The request a fault is picked for. */
export interface FaultTarget {
  method: string;
  path: string;
  template?: string;
}

export function assertLatency(ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
}

/**
 * Waits `ms` (latency, a slow response); 0 sets no timer at all. Resolves false, at once, when
 * `stopping` aborts: a stopped sandbox must not keep timers, or the process, alive.
 */
export async function pause(ms: number, stopping: AbortSignal): Promise<boolean> {
  if (stopping.aborted) return false;
  if (ms <= 0) return true;
  return sleep(ms, true, { signal: stopping }).catch(() => false);
}

interface ScriptedFault {
  remaining: number;
  fault: Fault;
  match: FaultMatch;
}

const matches = (match: FaultMatch, target: FaultTarget): boolean =>
  (match.method === undefined || match.method.toUpperCase() === target.method) &&
  (match.path === undefined || match.path === target.path || match.path === target.template);

function assertRetryAfter(seconds: number): void {
  if (!(Number.isSafeInteger(seconds) && seconds >= 0)) throw new RangeError(`Retry-After must be a whole number of seconds, got ${seconds}`);
}

function assertConfig(config: FaultConfig): void {
  if (!(config.rate >= 0 && config.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${config.rate}`);
  if (config.rate > 0 && config.kinds.length === 0) throw new RangeError("a fault rate above 0 needs at least one fault kind");
  assertRetryAfter(config.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
  assertLatency(config.slowMs ?? DEFAULT_SLOW_MS);
}

/** Decides, per request, whether to fail it: scripted faults first, then seeded random ones. */
export class FaultInjector {
  private readonly seed: number;
  private random: () => number;
  private config: FaultConfig | undefined;
  private script: ScriptedFault[] = [];

  constructor(seed: number, config?: FaultConfig) {
    this.seed = seed;
    this.random = mulberry32(seed);
    this.set(config);
  }

  /** Replaces the random faults (undefined turns them off) and restarts the seeded sequence. */
  set(config: FaultConfig | undefined): void {
    if (config !== undefined) assertConfig(config);
    this.config = config;
    this.random = mulberry32(this.seed);
  }

  /** Forces the next `count` requests matching `options` to fail with `kind`. Scripts queue in call order. */
  failNext(count: number, kind: FaultKind, options: FailNextOptions = {}): void {
    if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`failNext: count must be a positive integer, got ${count}`);
    const { retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS, delayMs = DEFAULT_SLOW_MS, ...match } = options;
    assertRetryAfter(retryAfterSeconds);
    assertLatency(delayMs);
    this.script.push({ remaining: count, fault: { kind, retryAfterSeconds, delayMs }, match });
  }

  /** Removes random and scripted faults. */
  clear(): void {
    this.script = [];
    this.set(undefined);
  }

  pick(target: FaultTarget): Fault | undefined {
    // Exactly one draw per request, whatever happens, so scripted faults never shift which later requests the seed fails.
    const draw = this.random();
    const scripted = this.script.find((entry) => matches(entry.match, target));
    if (scripted !== undefined) {
      if (--scripted.remaining === 0) this.script.splice(this.script.indexOf(scripted), 1);
      return scripted.fault;
    }
    const config = this.config;
    if (config === undefined || draw >= config.rate) return undefined;
    return {
      // draw / rate is uniform in [0, 1) here, so it also picks the kind evenly.
      kind: config.kinds[Math.floor((draw / config.rate) * config.kinds.length)],
      retryAfterSeconds: config.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      delayMs: config.slowMs ?? DEFAULT_SLOW_MS,
    };
  }
}

const TOO_MANY_REQUESTS = errorBody([{ type: "system", message: "Too Many Requests: retry after a small delay" }]);
const UNAVAILABLE = errorBody([{ type: "system", message: "Service Unavailable (injected by the sandbox)" }]);

/** A 429 with Kantata's "slow down" body; `Retry-After` only when given (Kantata documents none). Shared with the rate limiter. */
export const tooManyRequests = (retryAfterSeconds?: number): Reply =>
  retryAfterSeconds === undefined
    ? { status: 429, body: TOO_MANY_REQUESTS }
    : { status: 429, headers: { "Retry-After": String(retryAfterSeconds) }, body: TOO_MANY_REQUESTS };

/** The response of the faults that replace the handler's ("reset" drops the connection, "slow" delays the real one). */
export function faultReply(kind: Exclude<FaultKind, "reset" | "slow">, retryAfterSeconds: number): Reply {
  switch (kind) {
    case "429":
      return tooManyRequests();
    case "429-retry-after":
      return tooManyRequests(retryAfterSeconds);
    case "503":
    case "503-after-commit":
      return { status: 503, body: UNAVAILABLE };
  }
}
