import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";
import { errorFromResponse, errorFromTransport } from "./errors";
import type { KantataSettings } from "./config";
import { Limiter } from "./limiter";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from "./retry";

export interface TransportOptions {
  /** Per-request timeout. Kantata itself gives up after 3 minutes. */
  timeoutMs?: number;
  limiter?: Limiter;
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
}

// One keep-alive pool and one limiter per process: every resource of a deployment shares them.
const keepAliveAgents = {
  httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};
const sharedLimiter = new Limiter(8);

/**
 * Sends requests to Kantata: auth and JSON headers, keep-alive, the shared concurrency limit, and
 * error normalisation. Every failure leaves here as a KantataApiError without request headers.
 */
export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly limiter: Limiter;
  readonly retryPolicy: RetryPolicy;

  constructor(settings: KantataSettings, options: TransportOptions = {}) {
    this.limiter = options.limiter ?? sharedLimiter;
    this.retryPolicy = options.retryPolicy ?? { ...DEFAULT_RETRY_POLICY, maxElapsedMs: settings.retryBudgetMs };
    this.axios = axios.create({
      baseURL: settings.baseUrl,
      timeout: options.timeoutMs ?? 60_000,
      ...keepAliveAgents,
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
      let response;
      try {
        response = await this.axios.request({ method, url: path, params: spec.params, data: spec.body });
      } catch (error) {
        throw errorFromTransport(error, method, path);
      }
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, data: response.data };
      }
      throw errorFromResponse({ status: response.status, headers: { ...response.headers }, data: response.data }, method, path);
    });
  }

  /** `send` with the retry policy: for requests that are safe to repeat (GET, DELETE). */
  sendIdempotent(spec: RequestSpec): Promise<HttpResponse> {
    return withRetry(this.retryPolicy, () => this.send(spec));
  }
}
