import http from "node:http";
import { setMaxListeners } from "node:events";
import type { AddressInfo } from "node:net";
import { type ExtraAdminToken, type Tokens, assertTokens } from "./auth";
import { RequestCounters } from "./counters";
import { type FaultConfig, FaultInjector, assertLatency } from "./faults";
import type { BulkPolicy } from "./handler";
import { type RateLimit, RateLimiter } from "./rateLimit";
import { API_BASE_PATH } from "./routes";
import { type LiveSettings, createRequestListener } from "./server";
import type { AccountName } from "./accounts";
import { Store } from "./store";

export { ACCOUNTS } from "./accounts";
export type { AccountName } from "./accounts";
export { ADMIN_USER_ID, NON_ADMIN_USER_ID } from "./auth";
export type { ExtraAdminToken } from "./auth";
export type { CounterSnapshot } from "./counters";
export type { ErrorBody, ErrorDetail, ErrorType, ListEnvelope, ResultRef } from "./envelope";
export { DEFAULT_SLOW_MS, FAULT_KINDS } from "./faults";
export type { FailNextOptions, FaultConfig, FaultKind, FaultMatch } from "./faults";
export type { BulkPolicy } from "./handler";
export { RATE_LIMIT_REASONS } from "./rateLimit";
export type { RateLimit, RateLimitReason } from "./rateLimit";
export { MAX_BULK_CREATE } from "./resources/memberships";
export { MAX_EMAIL_ADDRESSES } from "./resources/users";
export { DEFAULT_PER_PAGE, MAX_PER_PAGE } from "./params";
export { API_BASE_PATH } from "./routes";
export { COMPANY_EMAIL_DOMAIN, COMPANY_GROUP_COUNT, COMPANY_GROUPS, COMPANY_MEMBERSHIP_COUNT, COMPANY_USER_COUNT } from "./companyAccount";
export { DATA_FILE_NAME, Store, SYSTEM_CREATOR_ID, timestamp } from "./store";
export type {
  AccountSeed,
  MembershipRecord,
  NewMembership,
  NewUser,
  NewWorkspaceGroup,
  SeedMembership,
  SeedWorkspaceGroup,
  UserRecord,
  WorkspaceGroupChanges,
  WorkspaceGroupDetails,
  WorkspaceGroupRecord,
} from "./records";

export const SANDBOX_HOST = "127.0.0.1";
export const DEFAULT_TOKEN = "sandbox-token";
export const DEFAULT_NON_ADMIN_TOKEN = "sandbox-non-admin-token";
export const DEFAULT_SEED = 1;

export interface SandboxOptions {
  /** 0 (the default) picks a free port. The host is always 127.0.0.1. */
  port?: number;
  /** The Account Administrator's token. Default "sandbox-token". */
  token?: string;
  /** A valid token whose user is not an administrator (membership endpoints answer 403). Default "sandbox-non-admin-token". */
  nonAdminToken?: string;
  /**
   * More Account Administrators, each acting as its own user: what they create through the API carries
   * their `userId` as `creator_id`, and `GET /users/me` answers that user. Default none.
   */
  extraAdminTokens?: readonly ExtraAdminToken[];
  /** Persist to `<dataDir>/kantata-sandbox.json`, loading it on start if present. Default: memory only. */
  dataDir?: string;
  /**
   * The data a fresh sandbox starts with: "demo" (20 users, 3 empty groups) or "company" (an existing
   * company's account, see COMPANY_GROUPS; it replaces the demo seed). Ignored when `dataDir` already
   * holds a data file: that file is the data. Default "demo".
   */
  account?: AccountName;
  /** Delay before every request is handled. Default 0. */
  latencyMs?: number;
  /** Random faults. Default none. */
  faults?: FaultConfig;
  /** Seed of the random faults: the same seed and request sequence give the same faults. Default 1. */
  seed?: number;
  /** Default "all-or-nothing"; see {@link BulkPolicy}. */
  bulkPolicy?: BulkPolicy;
  /**
   * Per-token rate limit: a token bucket of `burst` (default one second's worth) refilled at
   * `perSecond`, and at most `maxConcurrent` requests of a token in flight. Refusals are 429s with the
   * usual body, at once and without `Retry-After` unless `retryAfter`. Default none.
   */
  rateLimit?: RateLimit;
  /**
   * Email addresses (any case) of users to disable once the data is loaded, as `store.disableUser`
   * does: `GET /users` hides them unless `show_disabled=true`. With `dataDir` this is written to the
   * data file, so they stay disabled after a restart without the option. An address no user has is a
   * RangeError. Default none.
   */
  disabledUsers?: readonly string[];
  /** Test instrumentation: wraps the request listener, e.g. to time every request at the server. */
  wrapListener?: (listener: http.RequestListener) => http.RequestListener;
}

export type SandboxCounters = Pick<RequestCounters, "snapshot" | "reset">;
export type SandboxFaults = Pick<FaultInjector, "set" | "failNext" | "clear">;

export interface Sandbox {
  /** The API base, e.g. "http://127.0.0.1:4010/api/v1". */
  url: string;
  token: string;
  nonAdminToken: string;
  port: number;
  /** The live data: tests may change it behind a client's back and inspect it. */
  store: Store;
  counters: SandboxCounters;
  faults: SandboxFaults;
  setLatency(ms: number): void;
  setBulkPolicy(policy: BulkPolicy): void;
  /** Replaces the rate limit (undefined removes it); every bucket starts full again. RangeError for a bad limit. */
  setRateLimit(limit: RateLimit | undefined): void;
  /**
   * Stops listening and closes every connection, idle keep-alive ones and those waiting on latency or
   * a "slow" response included; it does not wait for those delays. Safe to call twice.
   */
  stop(): Promise<void>;
}

function disableByEmail(store: Store, emailAddresses: readonly string[]): void {
  const users = emailAddresses.map((email) => {
    const user = store.findUserByEmail(email);
    if (user === undefined) throw new RangeError(`disabledUsers: no user has the email address "${email}"`);
    return user;
  });
  for (const user of users) if (user.disabled !== true) store.disableUser(user.id);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const tokens: Tokens = {
    admin: options.token ?? DEFAULT_TOKEN,
    nonAdmin: options.nonAdminToken ?? DEFAULT_NON_ADMIN_TOKEN,
    extraAdmins: [...(options.extraAdminTokens ?? [])],
  };
  assertTokens(tokens);
  const settings: LiveSettings = { latencyMs: options.latencyMs ?? 0, bulkPolicy: options.bulkPolicy ?? "all-or-nothing" };
  assertLatency(settings.latencyMs);
  const limiter = new RateLimiter(options.rateLimit);
  const store = Store.open({ dataDir: options.dataDir, account: options.account });
  disableByEmail(store, options.disabledUsers ?? []);
  const counters = new RequestCounters();
  const faults = new FaultInjector(options.seed ?? DEFAULT_SEED, options.faults);

  const stopping = new AbortController();
  // Every request waiting on latency listens for stop(): more than Node's default of 10 at once is normal.
  setMaxListeners(Infinity, stopping.signal);
  const listener = createRequestListener({ store, tokens, counters, faults, limiter, settings, stopping: stopping.signal });
  const server = http.createServer(options.wrapListener ? options.wrapListener(listener) : listener);
  // Longer than clients' usual idle timeouts, so the client closes idle sockets, not the server:
  // a server-side close can race a reused socket and fail a request, a fault nobody asked for.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, SANDBOX_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  const closeServer = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // First end the pending delays (latency, slow responses): their timers would outlive the server.
      stopping.abort();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  return {
    url: `http://${SANDBOX_HOST}:${port}${API_BASE_PATH}`,
    token: tokens.admin,
    nonAdminToken: tokens.nonAdmin,
    port,
    store,
    counters,
    faults,
    setLatency(ms) {
      assertLatency(ms);
      settings.latencyMs = ms;
    },
    setBulkPolicy(policy) {
      settings.bulkPolicy = policy;
    },
    setRateLimit(limit) {
      limiter.set(limit);
    },
    stop: () => (stopped ??= closeServer()),
  };
}
