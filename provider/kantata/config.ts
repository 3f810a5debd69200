import { closest } from "fastest-levenshtein";
import { KantataError } from "../../lib/errors";
import { type KantataLogger, stderrLogger } from "./logger";
import { ApiToken } from "./secret";

export const DEFAULT_BASE_URL = "https://api.mavenlink.com/api/v1";

/** Where settings may come from, highest priority first. */
export interface SettingsSources {
  /** Values passed explicitly in code (e.g. to `createKantataClient`). */
  explicit?: {
    baseUrl?: string;
    apiToken?: string;
    retryBudgetSeconds?: number;
    maxConcurrency?: number;
    concurrency?: ConcurrencyMode;
    requestTimeoutSeconds?: number;
    /** Allow a base URL that is neither https nor loopback (the token would travel unencrypted). */
    allowInsecureBaseUrl?: boolean;
    /** Only settable in code; the default writes to stderr. */
    logger?: KantataLogger;
  };
  /** Stack configuration as handed to the dynamic provider's `configure` hook. */
  pulumiConfig?: { get(key: string): string | undefined };
  /** Process environment. */
  env?: NodeJS.ProcessEnv;
}

/** Everything the client needs, resolved once. Nothing else in the client reads the environment. */
export interface KantataSettings {
  baseUrl: string;
  token: ApiToken;
  /** How long retries of one request may take in total before the error is reported. */
  retryBudgetMs: number;
  /** The most requests in flight at once, shared by everything that uses one client (a provider process's context shares one). */
  maxConcurrency: number;
  /** "adaptive": find the account's rate limit from its answers, up to maxConcurrency in flight; "fixed": always maxConcurrency. */
  concurrency: ConcurrencyMode;
  /** Per-request timeout; Kantata itself gives up after 3 minutes. */
  requestTimeoutMs: number;
  /** Receives back-pressure pauses, retries and per-item failure lists. */
  logger: KantataLogger;
}

export const CONCURRENCY_MODES = ["adaptive", "fixed"] as const;
export type ConcurrencyMode = (typeof CONCURRENCY_MODES)[number];

const CONFIG_KEYS = {
  baseUrl: "kantata:baseUrl",
  apiToken: "kantata:apiToken",
  retryBudgetSeconds: "kantata:retryBudgetSeconds",
  maxConcurrency: "kantata:maxConcurrency",
  concurrency: "kantata:concurrency",
  requestTimeoutSeconds: "kantata:requestTimeoutSeconds",
  allowInsecureBaseUrl: "kantata:allowInsecureBaseUrl",
} as const;
const ENV_VARS = {
  baseUrl: "KANTATA_BASE_URL",
  apiToken: "KANTATA_API_TOKEN",
  retryBudgetSeconds: "KANTATA_RETRY_BUDGET_SECONDS",
  maxConcurrency: "KANTATA_MAX_CONCURRENCY",
  concurrency: "KANTATA_CONCURRENCY",
  requestTimeoutSeconds: "KANTATA_REQUEST_TIMEOUT_SECONDS",
  allowInsecureBaseUrl: "KANTATA_ALLOW_INSECURE_BASE_URL",
} as const;
const DEFAULT_RETRY_BUDGET_SECONDS = 120;
/** A ceiling, not a width: the adaptive control sends only as fast as the account answers (64 in flight is 1,280 requests/s at 50 ms). */
const DEFAULT_MAX_CONCURRENCY = 64;
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;
/** Beyond this many sockets to one host a client only queues in the kernel instead of in its own gate. */
const MAX_CONCURRENCY_LIMIT = 256;
/** Kantata answers or gives up within 3 minutes; a longer client timeout only hides a dead connection. */
const MAX_REQUEST_TIMEOUT_SECONDS = 180;

/** Settings that are missing or invalid: the message names where each was read from and how to fix it. */
export class ConfigError extends KantataError {
  override readonly name: string = "ConfigError";
  readonly code = "config";
}

export class MissingTokenError extends ConfigError {
  override readonly name = "MissingTokenError";
  constructor() {
    super(
      "No Kantata OX API token is configured. Set it in one of three ways: " +
        `pass \`apiToken\` explicitly; run \`pulumi config set --secret ${CONFIG_KEYS.apiToken}\` (it asks for the value, or reads it from standard input); ` +
        `or export ${ENV_VARS.apiToken}=<token>. The token must belong to an Account Administrator.`,
    );
  }
}

function firstNonEmpty(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== "")?.trim();
}

/** Resolves settings, first match wins: explicit → Pulumi config → environment → default. */
export function resolveSettings(sources: SettingsSources): KantataSettings {
  const { explicit, pulumiConfig, env = process.env } = sources;
  const token = firstNonEmpty(explicit?.apiToken, pulumiConfig?.get(CONFIG_KEYS.apiToken), env[ENV_VARS.apiToken]);
  if (token === undefined) {
    throw new MissingTokenError();
  }
  const baseUrl = firstNonEmpty(explicit?.baseUrl, pulumiConfig?.get(CONFIG_KEYS.baseUrl), env[ENV_VARS.baseUrl]) ?? DEFAULT_BASE_URL;
  const pick = (key: "retryBudgetSeconds" | "maxConcurrency" | "concurrency" | "requestTimeoutSeconds"): Setting | undefined => {
    const candidates: Array<[string | undefined, string]> = [
      [explicit?.[key]?.toString(), `the explicit ${key} argument`],
      [pulumiConfig?.get(CONFIG_KEYS[key]), CONFIG_KEYS[key]],
      [env[ENV_VARS[key]], ENV_VARS[key]],
    ];
    const found = candidates.find(([value]) => value !== undefined && value.trim() !== "");
    return found && { value: found[0]!.trim(), from: found[1], key };
  };
  const allowInsecure = firstNonEmpty(pulumiConfig?.get(CONFIG_KEYS.allowInsecureBaseUrl), env[ENV_VARS.allowInsecureBaseUrl]) === "true";
  assertSafeBaseUrl(baseUrl, Boolean(explicit?.allowInsecureBaseUrl) || allowInsecure);
  return {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    token: new ApiToken(token),
    retryBudgetMs: parseBudget(pick("retryBudgetSeconds")) * 1000,
    maxConcurrency: parseConcurrency(pick("maxConcurrency")),
    concurrency: parseConcurrencyMode(pick("concurrency")),
    requestTimeoutMs: parseTimeout(pick("requestTimeoutSeconds")) * 1000,
    logger: explicit?.logger ?? stderrLogger,
  };
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The token travels in every request's Authorization header, so it goes over HTTPS only — except to a
 * local server (the sandbox, a test double) or when the user opts in explicitly.
 */
function assertSafeBaseUrl(baseUrl: string, allowInsecure: boolean): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(
      `${CONFIG_KEYS.baseUrl} / ${ENV_VARS.baseUrl} must be a URL such as ${DEFAULT_BASE_URL}; got ${JSON.stringify(baseUrl)}.`,
    );
  }
  if (url.protocol === "https:" || allowInsecure) return;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.test(url.hostname)) return;
  throw new ConfigError(
    `${CONFIG_KEYS.baseUrl} / ${ENV_VARS.baseUrl} is ${url.protocol}//${url.host}: the API token would travel unencrypted. ` +
      `Use https (Kantata OX: ${DEFAULT_BASE_URL}); for a local test server use 127.0.0.1 or localhost; ` +
      `or, if you really mean it, set ${CONFIG_KEYS.allowInsecureBaseUrl} / ${ENV_VARS.allowInsecureBaseUrl} to true.`,
  );
}

/** A raw value and where it came from, so a validation message can name the exact place to fix. */
interface Setting {
  value: string;
  from: string;
  key: keyof typeof CONFIG_KEYS;
}

function invalid(setting: Setting, expected: string, example: string): Error {
  const [configKey, envVar] = [CONFIG_KEYS[setting.key], ENV_VARS[setting.key]];
  return new ConfigError(
    `${configKey} / ${envVar} must be ${expected}; got ${JSON.stringify(setting.value)} from ${setting.from}. ` +
      `Fix it there, e.g. \`pulumi config set ${configKey} ${example}\` or \`export ${envVar}=${example}\`, or remove it to use the default (${example}).`,
  );
}

function parseBudget(setting: Setting | undefined): number {
  if (setting === undefined) return DEFAULT_RETRY_BUDGET_SECONDS;
  const seconds = Number(setting.value);
  if (!Number.isFinite(seconds) || seconds < 0) throw invalid(setting, "a number of seconds (0 or more)", String(DEFAULT_RETRY_BUDGET_SECONDS));
  return seconds;
}

function parseConcurrency(setting: Setting | undefined): number {
  if (setting === undefined) return DEFAULT_MAX_CONCURRENCY;
  const width = Number(setting.value);
  if (!Number.isInteger(width) || width < 1 || width > MAX_CONCURRENCY_LIMIT) {
    throw invalid(setting, `a whole number of requests from 1 to ${MAX_CONCURRENCY_LIMIT}`, String(DEFAULT_MAX_CONCURRENCY));
  }
  return width;
}

function parseConcurrencyMode(setting: Setting | undefined): ConcurrencyMode {
  if (setting === undefined) return "adaptive";
  const mode = CONCURRENCY_MODES.find((m) => m === setting.value.toLowerCase());
  if (mode === undefined)
    throw invalid(setting, `adaptive or fixed (did you mean ${closest(setting.value.toLowerCase(), [...CONCURRENCY_MODES])}?)`, "adaptive");
  return mode;
}

function parseTimeout(setting: Setting | undefined): number {
  if (setting === undefined) return DEFAULT_REQUEST_TIMEOUT_SECONDS;
  const seconds = Number(setting.value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_REQUEST_TIMEOUT_SECONDS) {
    throw invalid(setting, `a number of seconds above 0 and at most ${MAX_REQUEST_TIMEOUT_SECONDS}`, String(DEFAULT_REQUEST_TIMEOUT_SECONDS));
  }
  return seconds;
}
