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
  /** Replaces this transport's limiter (tests). */
  limiter?: Limiter;
  /** Replaces the default policy (tests use millisecond backoffs); its budget then wins over settings.retryBudgetMs. */
  retryPolicy?: RetryPolicy;
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

/**
 * Sends requests to Kantata: auth and JSON headers, keep-alive, the concurrency limit, back-pressure,
 * and error normalisation. Every failure leaves here as a KantataApiError without request headers.
 * One transport is one account's connection: its keep-alive agents, its limiter and its pause after a
 * 429 are its own, so everything that shares a client (every resource of a provider process, through
 * its context) shares one bound, and nothing outlives the client.
 */
export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly limiter: Limiter;
  private readonly backPressure: BackPressure;
  private readonly log: KantataSettings["logger"];
  readonly retryPolicy: RetryPolicy;

  constructor(settings: KantataSettings, options: TransportOptions = {}) {
    this.limiter = options.limiter ?? new Limiter(settings.maxConcurrency);
    this.backPressure = new BackPressure();
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
      // No socket cap: the limiter alone bounds requests in flight (so it never exceeds maxConcurrency
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

  /** `send` with the retry policy: for requests that are safe to repeat (GET, PUT, DELETE). */
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
