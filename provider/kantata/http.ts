import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";
import { BackPressure } from "./backPressure";
import { type KantataApiError, errorFromResponse, errorFromTransport } from "./errors";
import type { KantataSettings } from "./config";
import { Limiter } from "./limiter";
import { seconds } from "./logger";
import { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryPolicy, withRetry } from "./retry";

export interface TransportOptions {
  /** Replaces the shared limiter (tests). */
  limiter?: Limiter;
  /** Replaces the default policy (tests use millisecond backoffs); its budget then wins over settings.retryBudgetMs. */
  retryPolicy?: RetryPolicy;
}

export interface RequestSpec {
  method: "GET" | "POST" | "DELETE";
  path: string;
  params?: Record<string, string | number>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  data: unknown;
  /** The request it answers, for errors about the body. */
  request: Pick<RequestSpec, "method" | "path">;
}

interface SharedPool {
  limiter: Limiter;
  agents: { httpAgent: http.Agent; httpsAgent: https.Agent };
}

/**
 * What every client of one process shares, so that all resources of a deployment together stay within
 * one bound. Pools (limiter + keep-alive agents) are keyed by base URL and width, so clients resolved
 * from the same settings share one — even though each `resolveSettings` call builds a new object — and a
 * client asking for another width gets exactly that width instead of silently inheriting the first one
 * seen. Back-pressure is keyed by base URL alone: a 429 concerns the account, whatever width asked.
 * Kept in module state on purpose: the provider process lives for one deployment, with one config.
 */
const pools = new Map<string, SharedPool>();
const pauses = new Map<string, BackPressure>();

function sharedPool(settings: KantataSettings): SharedPool {
  const key = `${settings.baseUrl} ${settings.maxConcurrency}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    // No socket cap: the limiter alone bounds requests in flight (so it never exceeds maxConcurrency
    // sockets anyway). A cap here would be a second, hidden queue in which a request's timeout already ticks.
    const agentOptions = { keepAlive: true };
    pool = {
      limiter: new Limiter(settings.maxConcurrency),
      agents: { httpAgent: new http.Agent(agentOptions), httpsAgent: new https.Agent(agentOptions) },
    };
    pools.set(key, pool);
  }
  return pool;
}

function sharedBackPressure(baseUrl: string): BackPressure {
  let pause = pauses.get(baseUrl);
  if (pause === undefined) pauses.set(baseUrl, (pause = new BackPressure()));
  return pause;
}

const withRequestId = (error: KantataApiError): string => (error.requestId ? ` (request id ${error.requestId})` : "");

/**
 * Sends requests to Kantata: auth and JSON headers, keep-alive, the shared concurrency limit, shared
 * back-pressure, and error normalisation. Every failure leaves here as a KantataApiError without
 * request headers.
 */
export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly limiter: Limiter;
  private readonly backPressure: BackPressure;
  private readonly log: KantataSettings["logger"];
  readonly retryPolicy: RetryPolicy;

  constructor(settings: KantataSettings, options: TransportOptions = {}) {
    const pool = sharedPool(settings);
    this.limiter = options.limiter ?? pool.limiter;
    this.backPressure = sharedBackPressure(settings.baseUrl);
    this.log = settings.logger;
    const policy = options.retryPolicy ?? { ...DEFAULT_RETRY_POLICY, maxElapsedMs: settings.retryBudgetMs };
    this.retryPolicy = {
      ...policy,
      onRetry: (event) => {
        this.onRetry(event);
        policy.onRetry?.(event);
      },
    };
    this.axios = axios.create({
      baseURL: settings.baseUrl,
      timeout: settings.requestTimeoutMs,
      ...pool.agents,
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "User-Agent": "pulumi-kantata",
      },
      // Interpret every status ourselves; axios's own errors would carry our headers.
      validateStatus: () => true,
      // Build the header per request from the ApiToken, so the raw token is never stored in axios defaults.
      transformRequest: [
        (data, headers) => {
          headers.set("Authorization", `Bearer ${settings.token.reveal()}`);
          return data === undefined ? undefined : JSON.stringify(data);
        },
      ],
    });
  }

  /** One attempt; throws a KantataApiError for any non-2xx answer or transport failure. */
  async send(spec: RequestSpec): Promise<HttpResponse> {
    const { method, path } = spec;
    return this.limiter.run(async () => {
      // Inside the slot: a pause that began while this request queued for the limiter still holds it back.
      await this.backPressure.wait();
      let response;
      try {
        response = await this.axios.request({ method, url: path, params: spec.params, data: spec.body });
      } catch (error) {
        throw errorFromTransport(error, method, path);
      }
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, data: response.data as unknown, request: { method, path } };
      }
      const error = errorFromResponse({ status: response.status, headers: { ...response.headers }, data: response.data }, method, path);
      // The server named a wait: nobody should send before it is over, whether or not this request is retried.
      if (error.retryAfterMs !== undefined) this.pauseAll(error, error.retryAfterMs);
      throw error;
    });
  }

  /** `send` with the retry policy: for requests that are safe to repeat (GET, DELETE). */
  sendIdempotent(spec: RequestSpec): Promise<HttpResponse> {
    return withRetry(this.retryPolicy, () => this.send(spec));
  }

  private onRetry({ error, nextAttempt, delayMs, remainingMs }: RetryEvent): void {
    // A 429 without Retry-After: everyone waits as long as this request backs off.
    if (error.kind === "rate_limited" && error.retryAfterMs === undefined) this.pauseAll(error, delayMs);
    const answer = error.status !== undefined ? `${error.status} (${error.kind})` : error.kind;
    this.log(
      `kantata: retrying ${error.method} ${error.path} after ${answer}${withRequestId(error)}: attempt ${nextAttempt} in ${seconds(delayMs)}, ${seconds(remainingMs)} of the retry budget left then`,
    );
  }

  private pauseAll(error: KantataApiError, requestedMs: number): void {
    // No request may retry past the budget, so a longer pause would only hold everyone back for nothing
    // (a Retry-After of an hour would hang the whole deployment for an hour).
    const ms = Math.min(requestedMs, this.retryPolicy.maxElapsedMs);
    if (!this.backPressure.pause(ms)) return;
    this.log(
      `kantata: Kantata OX answered ${error.status ?? error.kind} to ${error.method} ${error.path}; pausing all requests for ${seconds(ms)}${withRequestId(error)}`,
    );
  }
}
