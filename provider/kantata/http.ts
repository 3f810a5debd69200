import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";
import { type KantataApiError, errorFromResponse, errorFromTransport } from "./errors";
import type { KantataSettings } from "./config";
import { Gate } from "./gate";
import { seconds } from "./logger";
import { AdaptiveRate, type Answer, type Cut, FixedWidth, type Start } from "./rateControl";
import { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryPolicy, withRetry } from "./retry";

export interface TransportOptions {
  /** Replaces the default policy (tests use millisecond backoffs); its budget then wins over settings.retryBudgetMs. */
  retryPolicy?: RetryPolicy;
  /** Called as each attempt is sent, retries included (the report counts its requests against their bound). */
  onAttempt?: () => void;
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
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

const withRequestId = (error: KantataApiError): string => (error.requestId ? ` (request id ${error.requestId})` : "");

/** "DELETE /user_group_memberships/{id}": requests of one kind, whose latencies compare. */
const routeOf = (method: string, path: string): string => `${method} ${path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`;

/**
 * Sends requests to Kantata: auth and JSON headers, keep-alive, the gate (how many in flight, how fast,
 * pauses), and error normalisation. Every failure leaves here as a KantataApiError without request
 * headers. One transport is one account's connection: its keep-alive agents, its gate and the rate its
 * control has learnt are its own, so everything that shares a client (every resource of a provider
 * process, through its context) shares one limit, and nothing outlives the client.
 */
export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly gate: Gate;
  private readonly log: KantataSettings["logger"];
  private readonly adaptive: boolean;
  private readonly onAttempt: () => void;
  readonly retryPolicy: RetryPolicy;

  constructor(settings: KantataSettings, options: TransportOptions = {}) {
    this.adaptive = settings.concurrency === "adaptive";
    this.gate = new Gate(this.adaptive ? new AdaptiveRate(settings.maxConcurrency) : new FixedWidth(settings.maxConcurrency));
    this.log = settings.logger;
    this.onAttempt = options.onAttempt ?? (() => {});
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
      // No socket cap: the gate alone bounds requests in flight (so it never exceeds maxConcurrency
      // sockets anyway). A cap here would be a second, hidden queue in which a request's timeout already ticks.
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
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

  /** The most requests in flight at once: callers with many independent requests offer this many to the gate. */
  get maxConcurrency(): number {
    return this.gate.control.ceiling;
  }

  /** One attempt; throws a KantataApiError for any non-2xx answer or transport failure. `retry` lets it go ahead of first attempts. */
  async send(spec: RequestSpec, options: { retry?: boolean } = {}): Promise<HttpResponse> {
    const { method, path } = spec;
    return this.gate.run(async (start) => {
      this.onAttempt();
      let response;
      try {
        response = await this.axios.request({ method, url: path, params: spec.params, data: spec.body });
      } catch (error) {
        this.answered(start, { kind: "silent" }, spec);
        throw errorFromTransport(error, method, path);
      }
      if (response.status >= 200 && response.status < 300) {
        this.answered(start, { kind: "answered", route: routeOf(method, path), latencyMs: Date.now() - start.at }, spec);
        return { status: response.status, data: response.data as unknown, request: { method, path } };
      }
      const error = errorFromResponse({ status: response.status, headers: { ...response.headers }, data: response.data }, method, path);
      this.answered(start, answerOf(error, Date.now() - start.at), spec);
      // The server named a wait: nobody should send before it is over, whether or not this request is retried.
      if (error.retryAfterMs !== undefined) this.pauseAll(error, error.retryAfterMs);
      throw error;
    }, options);
  }

  /** `send` with the retry policy: for requests that are safe to repeat (GET, PUT, DELETE). */
  sendIdempotent(spec: RequestSpec): Promise<HttpResponse> {
    return withRetry(this.retryPolicy, (attempt) => this.send(spec, { retry: attempt > 1 }));
  }

  private answered(start: Start, answer: Answer, spec: RequestSpec): void {
    const cut = this.gate.control.answered(start, answer, Date.now());
    if (cut !== undefined) this.log(`kantata: ${cutReason(cut, spec)}; slowing to ${formatRate(cut.perSecond)}`);
  }

  private onRetry({ error, nextAttempt, delayMs, remainingMs }: RetryEvent): void {
    // Fixed width: a 429 without Retry-After has everyone wait as long as this request backs off.
    // Adaptive: the 429 already cut the rate every request shares, which slows everyone by just enough.
    if (!this.adaptive && error.kind === "rate_limited" && error.retryAfterMs === undefined) this.pauseAll(error, delayMs);
    const answer = error.status !== undefined ? `${error.status} (${error.kind})` : error.kind;
    this.log(
      `kantata: retrying ${error.method} ${error.path} after ${answer}${withRequestId(error)}: attempt ${nextAttempt} in ${seconds(delayMs)}, ${seconds(remainingMs)} of the retry budget left then`,
    );
  }

  private pauseAll(error: KantataApiError, requestedMs: number): void {
    // No request may retry past the budget, so a longer pause would only hold everyone back for nothing
    // (a Retry-After of an hour would hang the whole deployment for an hour).
    const ms = Math.min(requestedMs, this.retryPolicy.maxElapsedMs);
    if (!this.gate.pause(ms)) return;
    this.log(
      `kantata: Kantata OX answered ${error.status ?? error.kind} to ${error.method} ${error.path}; pausing all requests for ${seconds(ms)}${withRequestId(error)}`,
    );
  }
}

/**
 * What an error answer tells the law. A 429 with Retry-After is the server pacing us itself: the pause
 * honours it, and a cut on top would second-guess it (with Retry-After: 0 on every other request, the
 * rate would fall to its floor for nothing).
 */
function answerOf(error: KantataApiError, latencyMs: number): Answer {
  if (error.kind !== "rate_limited") return { kind: "answered", route: routeOf(error.method, error.path), latencyMs };
  return error.retryAfterMs === undefined ? { kind: "refused" } : { kind: "silent" };
}

function cutReason(cut: Cut, spec: RequestSpec): string {
  return cut.reason === "429"
    ? `Kantata OX answered 429 to ${spec.method} ${spec.path}`
    : `${routeOf(spec.method, spec.path)} is taking more than twice as long as it did`;
}

const formatRate = (perSecond: number): string => `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)} requests/s`;
