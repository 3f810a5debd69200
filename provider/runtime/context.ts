import { type KantataClient, type KantataLogger, type SettingsSources, clientFromSettings, resolveSettings } from "../kantata";
import type { TransportOptions } from "../kantata/http";
import { MembershipBatcher } from "../kantata/membershipBatcher";
import { Directory } from "../identity/directory";
import { Ownership } from "../plan/ownership";
import { type Diagnostics, createDiagnostics, engineAddress } from "./diagnostics";
import { Judged } from "./judged";
import { LiveGroups } from "./liveGroups";
import { MembershipReads } from "./membershipReads";

/**
 * Everything a provider method needs beyond its own properties, for one provider process: one client
 * (keep-alive agent, limiter, retries), the batcher that coalesces single-membership calls, the
 * directory that turns names into ids, the snapshot of live groups, the record of who declares which
 * membership, and where messages go. Created from the stack config handed to `configure`; the
 * providers receive it as an argument and hold no state of their own.
 */
export interface ProviderContext {
  readonly client: KantataClient;
  readonly batcher: MembershipBatcher;
  /** A refresh's reads of single memberships, answered from pages of their group when that is cheaper. */
  readonly membershipReads: MembershipReads;
  readonly directory: Directory;
  readonly groups: LiveGroups;
  readonly ownership: Ownership;
  /** Problems resources hand to the AccessRules that judges them, to be named in one preview. */
  readonly judged: Judged;
  /** For the person running Pulumi: shown under the resource in the CLI's output. */
  readonly diagnostics: Diagnostics;
  /** The provider's own log (the plugin's standard error, kept in the CLI's verbose log). */
  readonly log: KantataLogger;
}

/** Configuration by its namespaced key, as either door receives it. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface ContextOptions {
  /** Stack configuration as the engine hands it to `configure` (either door: `kantata:apiToken`, …). */
  pulumiConfig?: ConfigSource;
  /** The engine's address, where diagnostics go; by default the dynamic-provider host's, when this process is one. */
  engineAddress?: string;
  env?: NodeJS.ProcessEnv;
  /** Tests: another retry policy or limiter. */
  transport?: TransportOptions;
  /** Tests: where diagnostics go instead of the engine. */
  diagnostics?: Diagnostics;
}

export function createContext(options: ContextOptions = {}): ProviderContext {
  const env = options.env ?? process.env;
  const sources: SettingsSources = { pulumiConfig: options.pulumiConfig, env };
  const settings = resolveSettings(sources);
  const client = clientFromSettings(settings, options.transport);
  const log = settings.logger;
  // KANTATA_COALESCE=off turns request coalescing off (the benchmark compares both).
  const batcher = new MembershipBatcher(client, { coalesce: env.KANTATA_COALESCE !== "off" });
  const groups = new LiveGroups(client);
  return {
    client,
    batcher,
    membershipReads: new MembershipReads(client, groups, batcher),
    directory: new Directory(client),
    groups,
    ownership: new Ownership(),
    judged: new Judged(),
    diagnostics: options.diagnostics ?? createDiagnostics(log, options.engineAddress ?? engineAddress()),
    log: (line) => log(`kantata: ${line}`),
  };
}
