import type http from "node:http";
import { type BulkPolicy, type Sandbox, startSandbox } from "../../sandbox";
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
    const status = head[0];
    let headers = head[1];
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
 * The real sandbox with its request listener wrapped: every request's arrival and answer are recorded,
 * so tests can check concurrency and pauses where they matter: at the server.
 */
export async function startInstrumentedSandbox(options: InstrumentedOptions = {}): Promise<{ sandbox: Sandbox; traffic: Traffic }> {
  const traffic = new Traffic();
  const sandbox = await startSandbox({
    token: SECRET_TOKEN,
    latencyMs: options.latencyMs,
    bulkPolicy: options.bulkPolicy,
    wrapListener: (inner) => (req, res) => {
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
    },
  });
  return { sandbox, traffic };
}
