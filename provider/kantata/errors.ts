import { isAxiosError } from "axios";
import { KantataError, isKantataError } from "../../lib/errors";

/** One entry of Kantata's `{"errors": [...]}` body. `index` is inferred for bulk requests (undocumented). */
export interface KantataErrorDetail {
  type: string;
  message: string;
  field?: string;
  index?: number;
}

/** What went wrong, in the terms callers decide on. Never decide by message text. */
export type KantataErrorKind =
  | "bad_request" // 400
  | "unauthorized" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "validation" // 422
  | "rate_limited" // 429
  | "unavailable" // 5xx
  | "timeout"
  | "network"
  | "unexpected";

const RETRYABLE: ReadonlySet<KantataErrorKind> = new Set(["rate_limited", "unavailable", "timeout", "network"]);

export interface KantataApiErrorInit {
  kind: KantataErrorKind;
  method: string;
  path: string;
  status?: number;
  details?: KantataErrorDetail[];
  requestId?: string;
  retryAfterMs?: number;
  cause?: string;
}

/**
 * The one error type of the Kantata client. It carries status, Kantata's error details and the request
 * id, and deliberately nothing else from the HTTP exchange: axios errors hold request headers (the
 * bearer token), so they are never attached or wrapped.
 */
export class KantataApiError extends KantataError {
  override readonly name = "KantataApiError";
  readonly code = "api";
  readonly kind: KantataErrorKind;
  readonly status?: number;
  readonly method: string;
  readonly path: string;
  readonly details: KantataErrorDetail[];
  readonly requestId?: string;
  /** Server-requested delay (from `Retry-After`), if any. */
  readonly retryAfterMs?: number;
  /** What went wrong and what to do, without the request it happened to: for lists of many failures that name the request once. */
  readonly reason: string;

  constructor(init: KantataApiErrorInit) {
    super(describe(init, context(init)));
    this.reason = describe(init, "");
    this.kind = init.kind;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** An API error from any copy of this class (a serialized provider and a required one hold different copies). */
export function isKantataApiError(error: unknown): error is KantataApiError {
  return isKantataError(error, "api");
}

/** " (GET /users, HTTP 401, request id abc)": the request an error happened to. */
function context(init: KantataApiErrorInit): string {
  const where = `${init.method} ${init.path}`;
  const suffix = [init.status !== undefined ? `HTTP ${init.status}` : undefined, init.requestId && `request id ${init.requestId}`]
    .filter(Boolean)
    .join(", ");
  return suffix ? ` (${where}, ${suffix})` : ` (${where})`;
}

function describe(init: KantataApiErrorInit, context: string): string {
  const apiSays = init.details?.length ? init.details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join("; ") : undefined;
  switch (init.kind) {
    case "unauthorized":
      return `Kantata OX rejected the API token (401${apiSays ? `: ${apiSays}` : ""}). Check that kantata:apiToken or KANTATA_API_TOKEN holds a valid, unrevoked OAuth token for this account and base URL${context}.`;
    case "forbidden":
      return `Kantata OX refused the request (403). The token's user must be an Account Administrator to manage group memberships${context}.`;
    case "not_found":
      return `Kantata OX found no such object or route (404${apiSays ? `: ${apiSays}` : ""}). Check the ids and that kantata:baseUrl ends in /api/v1${context}.`;
    case "validation":
      return `Kantata OX rejected the data: ${apiSays ?? "validation failed"}${context}.`;
    case "bad_request":
      return `Kantata OX could not parse the request: ${apiSays ?? "bad request"}${context}.`;
    case "rate_limited":
    case "unavailable":
      return `Kantata OX is busy (${init.status ?? "no response"}) and still was after retrying; try again in a few minutes${context}.`;
    case "timeout":
      return `Kantata OX did not answer in time; try again, or check connectivity to kantata:baseUrl${context}.`;
    case "network":
      return `Could not reach Kantata OX (${init.cause ?? "network error"}); check kantata:baseUrl and connectivity${context}.`;
    case "unexpected":
      return `Kantata OX answered unexpectedly${apiSays ? `: ${apiSays}` : ""}${init.cause ? ` (${init.cause})` : ""}${context}.`;
  }
}

function kindForStatus(status: number): KantataErrorKind {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 422) return "validation";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  return "unexpected";
}

/** Parses `Retry-After` (delta-seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseDetails(body: unknown): KantataErrorDetail[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return (errors as unknown[]).map((entry) => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as {
      type?: unknown;
      message?: unknown;
      field?: unknown;
      index?: unknown;
    };
    return {
      type: typeof e.type === "string" ? e.type : "unknown",
      message: typeof e.message === "string" ? e.message : "",
      ...(typeof e.field === "string" && { field: e.field }),
      ...(typeof e.index === "number" && Number.isInteger(e.index) && { index: e.index }),
    };
  });
}

const TIMEOUT_CODES = new Set(["ECONNABORTED", "ETIMEDOUT", "ERR_CANCELED"]);

/** A non-2xx answer from Kantata. */
export function errorFromResponse(
  response: { status: number; headers: Record<string, unknown>; data: unknown },
  method: string,
  path: string,
): KantataApiError {
  const { status, headers } = response;
  return new KantataApiError({
    kind: kindForStatus(status),
    status,
    method,
    path,
    details: parseDetails(response.data),
    requestId: typeof headers["x-request-id"] === "string" ? headers["x-request-id"] : undefined,
    retryAfterMs: parseRetryAfter(headers["retry-after"]),
  });
}

/**
 * A request that got no answer (reset, refused, timed out). Only the error code is kept: the axios
 * error itself holds the request headers, bearer token included.
 */
export function errorFromTransport(error: unknown, method: string, path: string): KantataApiError {
  const code = isAxiosError(error) ? (error.code ?? "unknown") : undefined;
  if (code !== undefined) {
    return new KantataApiError({ kind: TIMEOUT_CODES.has(code) ? "timeout" : "network", method, path, cause: code });
  }
  return new KantataApiError({ kind: "unexpected", method, path, cause: error instanceof Error ? error.name : typeof error });
}
