import { ApiToken } from "./secret";

export const DEFAULT_BASE_URL = "https://api.mavenlink.com/api/v1";

/** Where settings may come from, highest priority first. */
export interface SettingsSources {
  /** Values passed explicitly in code (e.g. to `createKantataClient`). */
  explicit?: { baseUrl?: string; apiToken?: string; retryBudgetSeconds?: number };
  /** Stack configuration as handed to the dynamic provider's `configure` hook. */
  pulumiConfig?: { get(key: string): string | undefined };
  /** Process environment. */
  env?: NodeJS.ProcessEnv;
}

export interface KantataSettings {
  baseUrl: string;
  token: ApiToken;
  /** How long retries of one request may take in total before the error is reported. */
  retryBudgetMs: number;
}

const CONFIG_KEYS = {
  baseUrl: "kantata:baseUrl",
  apiToken: "kantata:apiToken",
  retryBudgetSeconds: "kantata:retryBudgetSeconds",
} as const;
const ENV_VARS = {
  baseUrl: "KANTATA_BASE_URL",
  apiToken: "KANTATA_API_TOKEN",
  retryBudgetSeconds: "KANTATA_RETRY_BUDGET_SECONDS",
} as const;
const DEFAULT_RETRY_BUDGET_SECONDS = 120;

export class MissingTokenError extends Error {
  override readonly name = "MissingTokenError";
  constructor() {
    super(
      "No Kantata OX API token is configured. Set it in one of three ways: " +
        `pass \`apiToken\` explicitly; run \`pulumi config set --secret ${CONFIG_KEYS.apiToken} <token>\`; ` +
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
  const token = firstNonEmpty(
    explicit?.apiToken,
    pulumiConfig?.get(CONFIG_KEYS.apiToken),
    env[ENV_VARS.apiToken],
  );
  if (token === undefined) {
    throw new MissingTokenError();
  }
  const baseUrl =
    firstNonEmpty(explicit?.baseUrl, pulumiConfig?.get(CONFIG_KEYS.baseUrl), env[ENV_VARS.baseUrl]) ??
    DEFAULT_BASE_URL;
  const budget = firstNonEmpty(
    explicit?.retryBudgetSeconds?.toString(),
    pulumiConfig?.get(CONFIG_KEYS.retryBudgetSeconds),
    env[ENV_VARS.retryBudgetSeconds],
  );
  return { baseUrl: baseUrl.replace(/\/+$/, ""), token: new ApiToken(token), retryBudgetMs: parseBudget(budget) * 1000 };
}

function parseBudget(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RETRY_BUDGET_SECONDS;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(
      `${CONFIG_KEYS.retryBudgetSeconds} / ${ENV_VARS.retryBudgetSeconds} must be a number of seconds (0 or more); got ${JSON.stringify(value)}.`,
    );
  }
  return seconds;
}
