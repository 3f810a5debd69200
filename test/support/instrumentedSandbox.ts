import http from "node:http";
import type { AddressInfo } from "node:net";
import { type BulkPolicy, type Sandbox, SANDBOX_HOST, Store } from "../../sandbox";
import { RequestCounters } from "../../sandbox/counters";
import { FaultInjector, assertLatency } from "../../sandbox/faults";
import { API_BASE_PATH } from "../../sandbox/routes";
import { type LiveSettings, createRequestListener } from "../../sandbox/server";
import { SECRET_TOKEN } from "./sandbox";

/** One request as the server saw it: when it arrived, when its answer was sent, and the status. */
export interface Arrival {
  method: string;
  path: string;
  arrivedAt: number;
  answeredAt?: number;
  status?: number;
}

/** What the sandbox's own listener saw, measured around it: timing and concurrency, server-side. */
export class Traffic {
  arrivals: Arrival[] = [];
  inFlight = 0;
  maxInFlight = 0;

  reset(): void {
    this.arrivals = [];
    this.maxInFlight = this.inFlight;
  }
}

export interface InstrumentedOptions {
  latencyMs?: number;
  bulkPolicy?: BulkPolicy;
  /**
   * Removes `index` from every 422 body: a Kantata that refuses a bulk create without saying which
   * element was wrong (the field is undocumented), so the client can only find it by splitting.
   */
  stripErrorIndex?: boolean;
}

/** Rewrites the sandbox's 422 bodies on their way out (see InstrumentedOptions.stripErrorIndex). */
function stripIndexFrom422(res: http.ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: http.OutgoingHttpHeaders) => http.ServerResponse;
  const end = res.end.bind(res) as (payload?: string) => http.ServerResponse;
  let head: [number, http.OutgoingHttpHeaders] | undefined;
  res.writeHead = ((status: number, headers: http.OutgoingHttpHeaders = {}) => {
    head = [status, headers];
    return res;
  }) as typeof res.writeHead;
  res.end = ((payload?: string) => {
    if (head === undefined) return end(payload);
    let [status, headers] = head;
    if (status === 422 && typeof payload === "string") {
      const body = JSON.parse(payload) as { errors?: Array<Record<string, unknown>> };
      body.errors?.forEach((error) => delete error.index);
      payload = JSON.stringify(body);
      headers = { ...headers, "Content-Length": Buffer.byteLength(payload) };
    }
    writeHead(status, headers);
    return end(payload);
  }) as typeof res.end;
}

/**
 * The real sandbox request listener (store, auth, faults, handlers) behind a server that records every
 * request's arrival and answer, so tests can check concurrency and pauses where they matter: at the server.
 */
export async function startInstrumentedSandbox(options: InstrumentedOptions = {}): Promise<{ sandbox: Sandbox; traffic: Traffic }> {
  const tokens = { admin: SECRET_TOKEN, nonAdmin: "instrumented-non-admin" };
  const settings: LiveSettings = { latencyMs: options.latencyMs ?? 0, bulkPolicy: options.bulkPolicy ?? "all-or-nothing" };
  const store = Store.open();
  const counters = new RequestCounters();
  const faults = new FaultInjector(1);
  const traffic = new Traffic();
  const inner = createRequestListener({ store, tokens, counters, faults, settings });

  const server = http.createServer((req, res) => {
    const arrival: Arrival = { method: req.method ?? "GET", path: new URL(req.url ?? "/", "http://x").pathname, arrivedAt: Date.now() };
    traffic.arrivals.push(arrival);
    traffic.maxInFlight = Math.max(traffic.maxInFlight, ++traffic.inFlight);
    const answered = () => {
      if (arrival.answeredAt !== undefined) return;
      arrival.answeredAt = Date.now();
      arrival.status = res.headersSent ? res.statusCode : undefined;
      traffic.inFlight--;
    };
    res.once("finish", answered);
    res.once("close", answered);
    if (options.stripErrorIndex) stripIndexFrom422(res);
    inner(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, SANDBOX_HOST, resolve));
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  const sandbox: Sandbox = {
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
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
  return { sandbox, traffic };
}
