/**
 * The client against accounts with rate limits, through the real engine: a WorkspaceGroupMembers of N
 * members created, changed by 1 % and destroyed, against a sandbox limited to L requests/s per token
 * (or unlimited), with the adaptive rate (the default) and with a fixed width of 8 (the client before
 * it, `KANTATA_CONCURRENCY=fixed KANTATA_MAX_CONCURRENCY=8`), side by side.
 *
 *   BENCH_RATE_SCENARIOS (default "5:1000,20:2000,100:10000,unlimited:10000")  limit:N pairs; "" skips
 *   BENCH_RATE_MODES (default "adaptive,fixed8")
 *
 * N is smaller at 5 and 20 requests/s by default so that `npm run bench` ends: a 10,000-member destroy
 * is 10,050 requests, 34 min at 5/s and 8.4 min at 20/s, per mode. `BENCH_RATE_SCENARIOS=5:10000` runs it.
 */
import type http from "node:http";
import { WorkspaceGroupMembers } from "pulumi-kantata";
import { startSandbox } from "../sandbox";
import { createEngineStack } from "../scripts/lib/pulumi";

const MODES = {
  adaptive: { label: "adaptive (default)", env: {} },
  fixed8: { label: "fixed width 8", env: { KANTATA_CONCURRENCY: "fixed", KANTATA_MAX_CONCURRENCY: "8" } },
} as const;
type Mode = keyof typeof MODES;

interface Scenario {
  /** Requests per second per token; undefined: unlimited. */
  limit: number | undefined;
  n: number;
}

export interface RateRow {
  limit: string;
  n: number;
  mode: string;
  step: string;
  requests: number;
  refused: number;
  /** Accepted requests per second between the first request's arrival and the last answer. */
  acceptedPerSecond: number;
  limitShare: number | undefined;
  maxInFlight: number;
  wallMs: number;
  /** The step's error, if it failed (e.g. a request's retry budget ran out). */
  failed?: string;
}

function parseScenarios(text: string): Scenario[] {
  return text
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part) => {
      const [limit, n] = part.split(":");
      return { limit: limit === "unlimited" ? undefined : Number(limit), n: Number(n) };
    });
}

/** Times requests at the server: the window from the first arrival to the last answer, and the most in flight. */
class Window {
  first = Infinity;
  last = 0;
  inFlight = 0;
  maxInFlight = 0;

  reset(): void {
    this.first = Infinity;
    this.last = 0;
    this.maxInFlight = this.inFlight;
  }

  wrap = (listener: http.RequestListener): http.RequestListener => {
    return (req, res) => {
      this.first = Math.min(this.first, Date.now());
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.once("close", () => {
        this.inFlight--;
        this.last = Math.max(this.last, Date.now());
      });
      listener(req, res);
    };
  };
}

const emailOf = (userId: number) => `sandbox.user.${userId}@example.com`;
/** The first user `ensureUsers` creates after the 20 named demo users. */
const FIRST_USER = 1021;

async function benchScenario(scenario: Scenario, mode: Mode, latencyMs: number, engineEnv: Record<string, string>): Promise<RateRow[]> {
  const window = new Window();
  const sandbox = await startSandbox({
    latencyMs,
    wrapListener: window.wrap,
    ...(scenario.limit !== undefined && { rateLimit: { perSecond: scenario.limit } }),
  });
  const { n } = scenario;
  const changed = Math.max(1, n / 100);
  sandbox.store.ensureUsers(20 + n + changed + 10);
  const groupId = sandbox.store.addWorkspaceGroup({ name: `rates ${n}` }).id;
  let userIds = Array.from({ length: n }, (_, i) => FIRST_USER + i);
  const engine = await createEngineStack({
    program: async () => {
      new WorkspaceGroupMembers("group", { group: groupId, members: userIds.map(emailOf), maxRemovals: changed });
    },
    baseUrl: sandbox.url,
    token: sandbox.token,
    tokenVia: "env",
    envVars: { ...engineEnv, ...MODES[mode].env },
  });
  const rows: RateRow[] = [];
  const measure = async (step: string, run: () => Promise<unknown>) => {
    sandbox.counters.reset();
    window.reset();
    const started = Date.now();
    const failed = await run().then(
      () => undefined,
      (error: Error) =>
        error.message
          .split("\n")
          .find((line) => line.includes("error:"))
          ?.trim() ?? error.message.slice(0, 200),
    );
    const wallMs = Date.now() - started;
    const { total, rateLimited } = sandbox.counters.snapshot();
    const seconds = Math.max(0.001, (window.last - window.first) / 1000);
    const acceptedPerSecond = (total - rateLimited) / seconds;
    const row: RateRow = {
      limit: scenario.limit === undefined ? "unlimited" : `${scenario.limit}/s`,
      n,
      mode: MODES[mode].label,
      step,
      requests: total,
      refused: rateLimited,
      acceptedPerSecond,
      limitShare: scenario.limit === undefined ? undefined : acceptedPerSecond / scenario.limit,
      maxInFlight: window.maxInFlight,
      wallMs,
      failed,
    };
    rows.push(row);
    console.log(formatRateRow(row));
  };
  try {
    await measure("create", () => engine.stack.up());
    userIds = [...userIds.slice(changed), ...Array.from({ length: changed }, (_, i) => FIRST_USER + n + i)];
    await measure("1 % change", () => engine.stack.up());
    await measure("destroy", () => engine.stack.destroy());
  } finally {
    await engine.dispose();
    await sandbox.stop();
  }
  return rows;
}

export const RATE_HEADER =
  "| limit | N | client | step | requests | 429 | 429 share | accepted/s | share of limit | most in flight | wall s |\n" +
  "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|";

export function formatRateRow(r: RateRow): string {
  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  return `| ${r.limit} | ${r.n} | ${r.mode} | ${r.step} | ${r.requests} | ${r.refused} | ${percent(r.refused / Math.max(1, r.requests))} | ${r.acceptedPerSecond.toFixed(1)} | ${r.limitShare === undefined ? "–" : percent(r.limitShare)} | ${r.maxInFlight} | ${(r.wallMs / 1000).toFixed(1)}${r.failed ? ` (failed: ${r.failed.replace(/\|/g, "/")})` : ""} |`;
}

export async function benchRates(latencyMs: number, engineEnv: Record<string, string>): Promise<RateRow[]> {
  const scenarios = parseScenarios(process.env.BENCH_RATE_SCENARIOS ?? "5:1000,20:2000,100:10000,unlimited:10000");
  const modes = (process.env.BENCH_RATE_MODES ?? "adaptive,fixed8").split(",").filter((m): m is Mode => m in MODES);
  const rows: RateRow[] = [];
  for (const scenario of scenarios) for (const mode of modes) rows.push(...(await benchScenario(scenario, mode, latencyMs, engineEnv)));
  return rows;
}
