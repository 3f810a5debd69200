import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { assertAdmin, authenticate, bearerToken, type Tokens } from "./auth";
import type { RequestCounters } from "./counters";
import { errorBody } from "./envelope";
import { ApiError, systemError } from "./errors";
import { type FaultInjector, faultReply, pause, tooManyRequests } from "./faults";
import type { BulkPolicy, Reply } from "./handler";
import type { RateLimiter } from "./rateLimit";
import { type RouteMatch, apiPath, matchRoute } from "./routes";
import type { Store } from "./store";

/** Knobs that may change while the sandbox runs; read afresh by every request. */
export interface LiveSettings {
  latencyMs: number;
  bulkPolicy: BulkPolicy;
}

export interface ServerParts {
  store: Store;
  tokens: Tokens;
  counters: RequestCounters;
  faults: FaultInjector;
  limiter: RateLimiter;
  settings: LiveSettings;
  /** Aborted by stop(): pending delays end at once and their responses are never sent. */
  stopping: AbortSignal;
}

interface ParsedRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  match: RouteMatch | undefined;
  authorization: string | undefined;
  rawBody: string;
}

/**
 * Every request: id header → read body → count → rate limit → latency → fault? → auth → route →
 * handler → reply. Faults come before auth on purpose: rate limiters and load balancers answer before
 * the API does. A "slow" fault is the exception: the handler runs as usual and only the reply is held
 * back.
 *
 * The rate limiter comes first of all, as a gateway stands in front of everything else: a refused
 * request is answered at once, without the latency (gateways refuse fast), without a fault draw (so it
 * does not shift which later requests the seed fails) and without touching the store. An accepted
 * request holds its concurrency slot until its response is closed: latency, faults and a "slow"
 * delay all count as being handled.
 */
export function createRequestListener(parts: ServerParts): RequestListener {
  return (req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      // Only a sandbox bug gets here; answer it visibly rather than leave the client hanging.
      if (res.headersSent) return void res.destroy();
      send(res, { status: 500, body: errorBody([{ type: "system", message: `sandbox error: ${String(error)}` }]) });
    });
  };
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("X-Request-Id", randomUUID());
  const request = await parseRequest(req);
  const template = request.match?.route.template;
  parts.counters.record(request.method, template);
  const admission = parts.limiter.admit(bearerToken(request.authorization) ?? "");
  if (!admission.admitted) {
    parts.counters.recordRateLimited(request.method, template, admission.reason);
    return send(res, tooManyRequests(parts.limiter.sendsRetryAfter ? admission.retryAfterSeconds : undefined));
  }
  // "close" comes once the response is sent, and also when the connection ends first (reset, stop()).
  res.once("close", admission.release);
  if (!(await pause(parts.settings.latencyMs, parts.stopping))) return;

  const fault = parts.faults.pick({ method: request.method, path: apiPath(request.pathname) ?? request.pathname, template });
  if (fault === undefined) return send(res, dispatch(parts, request));
  parts.counters.recordFault(fault.kind);
  if (fault.kind === "reset") return void req.socket.destroy();
  if (fault.kind === "slow") {
    const reply = dispatch(parts, request);
    if (await pause(fault.delayMs, parts.stopping)) send(res, reply);
    return;
  }
  if (fault.kind === "503-after-commit") dispatch(parts, request);
  send(res, faultReply(fault.kind, fault.retryAfterSeconds));
}

async function parseRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const path = apiPath(url.pathname);
  return {
    method,
    pathname: url.pathname,
    query: url.searchParams,
    match: path === undefined ? undefined : matchRoute(method, path),
    authorization: req.headers.authorization,
    rawBody: await readBody(req),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw systemError(400, "The request body is not valid JSON");
  }
}

/** Auth, routing and the handler; every ApiError becomes Kantata's error body. */
function dispatch(parts: ServerParts, request: ParsedRequest): Reply {
  try {
    const caller = authenticate(request.authorization, parts.tokens);
    const { match } = request;
    if (match === undefined) throw systemError(404, `No route matches ${request.method} ${request.pathname}`);
    if (match.route.adminOnly) assertAdmin(caller, match.route.template);
    return match.route.handler({
      store: parts.store,
      caller,
      params: match.params,
      query: request.query,
      body: parseJson(request.rawBody),
      bulkPolicy: parts.settings.bulkPolicy,
    });
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, body: errorBody(error.details) };
    throw error;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  const contentHeaders =
    payload === undefined ? {} : { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(payload) };
  res.writeHead(reply.status, { ...reply.headers, ...contentHeaders });
  res.end(payload);
}
