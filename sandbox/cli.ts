#!/usr/bin/env node
import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  ACCOUNTS,
  DEFAULT_SLOW_MS,
  type ExtraAdminToken,
  FAULT_KINDS,
  type FaultKind,
  type RateLimit,
  type SandboxOptions,
  startSandbox,
} from "./index";
import type { BulkPolicy } from "./handler";
import { UsageError, isKantataError } from "../lib/errors";

export const DEFAULT_CLI_PORT = 4010;
const BULK_POLICIES: readonly BulkPolicy[] = ["all-or-nothing", "partial"];
/** Kinds used when --fault-rate is given without --fault-kinds: the ones every client must retry. */
const DEFAULT_CLI_FAULT_KINDS: readonly FaultKind[] = ["429", "503"];

const STRING_OPTION = { type: "string" } as const;
/** May be given more than once; each value may also be a comma-separated list. */
const LIST_OPTION = { type: "string", multiple: true } as const;
/** A flag without a value; its environment variable takes true/1 or false/0. */
const SWITCH_OPTION = { type: "boolean" } as const;
const CLI_OPTIONS = {
  port: STRING_OPTION,
  "data-dir": STRING_OPTION,
  account: STRING_OPTION,
  token: STRING_OPTION,
  "non-admin-token": STRING_OPTION,
  "extra-admin-tokens": STRING_OPTION,
  "latency-ms": STRING_OPTION,
  "fault-rate": STRING_OPTION,
  "fault-kinds": STRING_OPTION,
  "slow-ms": STRING_OPTION,
  seed: STRING_OPTION,
  "bulk-policy": STRING_OPTION,
  "disable-user": LIST_OPTION,
  "rate-limit": STRING_OPTION,
  "rate-limit-burst": STRING_OPTION,
  "max-concurrent": STRING_OPTION,
  "rate-limit-retry-after": SWITCH_OPTION,
  help: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];
type Flag = Exclude<keyof typeof CLI_OPTIONS, "help">;
/** The flags that take one value. */
type TextFlag = { [K in Flag]: typeof STRING_OPTION extends (typeof CLI_OPTIONS)[K] ? K : never }[Flag];
type ListFlag = { [K in Flag]: typeof LIST_OPTION extends (typeof CLI_OPTIONS)[K] ? K : never }[Flag];
type SwitchFlag = { [K in Flag]: typeof SWITCH_OPTION extends (typeof CLI_OPTIONS)[K] ? K : never }[Flag];

/** The environment variable a flag falls back to: --data-dir → KANTATA_SANDBOX_DATA_DIR. */
export const envVarOf = (flag: Flag): string => `KANTATA_SANDBOX_${flag.toUpperCase().replace(/-/g, "_")}`;

export const USAGE = `Usage: kantata-sandbox [options]

A local Kantata OX API (user group memberships, users, workspace groups) on 127.0.0.1.

  --port <n>               port to listen on; 0 picks a free one (default ${DEFAULT_CLI_PORT})
  --data-dir <dir>         persist to <dir>/kantata-sandbox.json (default: memory only)
  --account <a>            data of a fresh start: ${ACCOUNTS.join(" | ")} (default demo; an existing data file wins)
  --token <t>              Account Administrator token (default sandbox-token)
  --non-admin-token <t>    valid token without admin rights, gets 403 (default sandbox-non-admin-token)
  --extra-admin-tokens <token=userId,...>
                           more Account Administrator tokens, each acting as its own user (default none)
  --latency-ms <n>         delay before every request (default 0)
  --fault-rate <0..1>      share of requests failed on purpose (default 0)
  --fault-kinds <list>     comma-separated from ${FAULT_KINDS.join(", ")} (default ${DEFAULT_CLI_FAULT_KINDS.join(",")})
  --slow-ms <n>            how long a "slow" fault holds back a response it has applied (default ${DEFAULT_SLOW_MS})
  --seed <n>               seed of the fault sequence (default 1)
  --bulk-policy <p>        ${BULK_POLICIES.join(" | ")}: bulk creates with bad elements (default all-or-nothing)
  --disable-user <email>   disable this user at start (repeatable, or comma-separated): GET /users then
                           hides them unless show_disabled=true; kept in --data-dir's file (default none)
  --rate-limit <n>         requests per second per token, a token bucket; beyond it 429 (default no limit)
                           The next three need --rate-limit:
  --rate-limit-burst <n>   the bucket's size, the largest burst (default one second's worth)
  --max-concurrent <n>     requests of one token handled at once; more get 429 (default no cap)
  --rate-limit-retry-after send Retry-After (seconds until a token is free) on the limiter's 429s
                           (default: no header, like Kantata)
  --help                   show this help

Each option falls back to an environment variable named after it: --data-dir → ${envVarOf("data-dir")}
(lists comma-separated: ${envVarOf("disable-user")}=a@example.com,b@example.com).

The tokens are the sandbox's own made-up credentials, printed when it starts; like every argument they are
visible to other users of the machine (ps), so never give a real Kantata OX token to the sandbox. To keep
them out of the process list anyway, use the variables (${envVarOf("token")}).`;

export type CliCommand = { help: true } | { help: false; options: SandboxOptions };

/** Only the syntax: ranges (a rate above 1, a port above 65535) are startSandbox's to refuse. */
function toNumber(flag: Flag, text: string, kind: "number" | "whole number"): number {
  const number = Number(text);
  const valid = kind === "number" ? Number.isFinite(number) : Number.isSafeInteger(number) && number >= 0;
  if (text.trim() === "" || !valid) throw new UsageError(`--${flag}: "${text}" is not a ${kind}`);
  return number;
}

function oneOf<T extends string>(flag: Flag, text: string, allowed: readonly T[]): T {
  const value = allowed.find((candidate) => candidate === text.trim());
  if (value === undefined) throw new UsageError(`--${flag}: "${text}" is not one of ${allowed.join(", ")}`);
  return value;
}

/** "a=21,b=22" → [{ token: "a", userId: 21 }, { token: "b", userId: 22 }]. */
function extraAdminTokens(text: string): ExtraAdminToken[] {
  return text.split(",").map((entry) => {
    const [token, userId, ...rest] = entry.trim().split("=");
    if (token === undefined || token === "" || userId === undefined || rest.length > 0) {
      throw new UsageError(`--extra-admin-tokens: "${entry}" is not token=userId`);
    }
    return { token, userId: toNumber("extra-admin-tokens", userId, "whole number") };
  });
}

const SWITCH_VALUES = new Map([
  ["true", true],
  ["1", true],
  ["false", false],
  ["0", false],
]);

function toSwitch(flag: Flag, text: string): boolean {
  const value = SWITCH_VALUES.get(text.trim().toLowerCase());
  if (value === undefined) throw new UsageError(`${envVarOf(flag)}: "${text}" is not true, false, 1 or 0`);
  return value;
}

/** --rate-limit and the flags that refine it; those alone are a usage error, as --slow-ms is without --fault-rate. */
function rateLimit(get: (flag: TextFlag) => string | undefined, switchOn: (flag: SwitchFlag) => boolean | undefined): RateLimit | undefined {
  const perSecond = optional(get("rate-limit"), (v) => toNumber("rate-limit", v, "number"));
  const burst = optional(get("rate-limit-burst"), (v) => toNumber("rate-limit-burst", v, "number"));
  const maxConcurrent = optional(get("max-concurrent"), (v) => toNumber("max-concurrent", v, "whole number"));
  const retryAfter = switchOn("rate-limit-retry-after");
  if (perSecond === undefined) {
    const refinements = { "rate-limit-burst": burst, "max-concurrent": maxConcurrent, "rate-limit-retry-after": retryAfter };
    const given = Object.entries(refinements).find(([, value]) => value !== undefined);
    if (given !== undefined) throw new UsageError(`--${given[0]} needs --rate-limit`);
    return undefined;
  }
  return { perSecond, burst, maxConcurrent, retryAfter };
}

const optional = <T>(text: string | undefined, parse: (text: string) => T): T | undefined => (text === undefined ? undefined : parse(text));

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: CLI_OPTIONS, strict: true }).values;
  } catch (error) {
    // Unknown flags and missing values: parseArgs' own message names the flag.
    throw new UsageError((error as Error).message);
  }
}

/** Turns argv (without node and script) and the environment into sandbox options. Throws UsageError. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const values = readFlags(argv);
  if (values.help === true) return { help: true };
  const get = (flag: TextFlag): string | undefined => values[flag] ?? env[envVarOf(flag)];
  const list = (flag: ListFlag): string[] | undefined => {
    const given: string | readonly string[] | undefined = values[flag] ?? env[envVarOf(flag)];
    if (given === undefined) return undefined;
    return (typeof given === "string" ? [given] : given)
      .flatMap((value) => value.split(","))
      .map((item) => item.trim())
      .filter((item) => item !== "");
  };

  const switchOn = (flag: SwitchFlag): boolean | undefined => values[flag] ?? optional(env[envVarOf(flag)], (v) => toSwitch(flag, v));

  const rate = optional(get("fault-rate"), (v) => toNumber("fault-rate", v, "number"));
  const kinds = optional(get("fault-kinds"), (v) => v.split(",").map((kind) => oneOf("fault-kinds", kind, FAULT_KINDS)));
  const slowMs = optional(get("slow-ms"), (v) => toNumber("slow-ms", v, "number"));
  if (slowMs !== undefined && rate === undefined) throw new UsageError("--slow-ms needs --fault-rate (and the slow kind in --fault-kinds)");
  return {
    help: false,
    options: {
      port: optional(get("port"), (v) => toNumber("port", v, "whole number")) ?? DEFAULT_CLI_PORT,
      dataDir: get("data-dir"),
      account: optional(get("account"), (v) => oneOf("account", v, ACCOUNTS)),
      token: get("token"),
      nonAdminToken: get("non-admin-token"),
      extraAdminTokens: optional(get("extra-admin-tokens"), extraAdminTokens),
      latencyMs: optional(get("latency-ms"), (v) => toNumber("latency-ms", v, "number")),
      faults: rate === undefined ? undefined : { rate, kinds: kinds ?? DEFAULT_CLI_FAULT_KINDS, slowMs },
      seed: optional(get("seed"), (v) => toNumber("seed", v, "whole number")),
      bulkPolicy: optional(get("bulk-policy"), (v) => oneOf("bulk-policy", v, BULK_POLICIES)),
      disabledUsers: list("disable-user"),
      rateLimit: rateLimit(get, switchOn),
    },
  };
}

async function main(): Promise<void> {
  try {
    const command = parseCli(process.argv.slice(2), process.env);
    if (command.help) return console.log(USAGE);
    const sandbox = await startSandbox(command.options);
    console.log(`Kantata OX sandbox listening on ${sandbox.url} (token: ${sandbox.token})`);
    // Closing the server and its connections empties the event loop, so the process then exits by itself.
    const shutdown = (): void => {
      sandbox.stop().catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      });
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  } catch (error) {
    // Bad flags, and values the sandbox refuses with a RangeError (a fault rate above 1, port 70000).
    if (!(isKantataError(error, "usage") || error instanceof RangeError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
