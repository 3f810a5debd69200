import { type KantataSettings, type SettingsSources, resolveSettings } from "./config";
import { HttpTransport, type TransportOptions } from "./http";
import { KantataClient } from "./client";

export {
  KantataClient,
  MAX_BULK_CREATE,
  MAX_PER_PAGE,
  type CreateOutcome,
  type DeleteOutcome,
  type GroupMembers,
  type WalkProgress,
} from "./client";
export {
  DEFAULT_BASE_URL,
  MissingTokenError,
  resolveSettings,
  type ConcurrencyMode,
  type KantataSettings,
  type SettingsSources,
} from "./config";
export { KantataApiError, isKantataApiError, type KantataErrorDetail, type KantataErrorKind } from "./errors";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
export type { Membership, MembershipFilter, MembershipPair, User, WorkspaceGroup } from "./types";

/** A client from explicit settings, Pulumi config or the environment (first match wins). */
export function createKantataClient(sources: SettingsSources = {}, options: TransportOptions = {}): KantataClient {
  return clientFromSettings(resolveSettings(sources), options);
}

/** A client from settings already resolved, for callers that need the settings too (the logger, the base URL). */
export function clientFromSettings(settings: KantataSettings, options: TransportOptions = {}): KantataClient {
  return new KantataClient(new HttpTransport(settings, options));
}
export { stderrLogger, type KantataLogger } from "./logger";
