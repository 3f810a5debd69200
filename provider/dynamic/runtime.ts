import type * as pulumi from "@pulumi/pulumi";
import { type KantataClient, type KantataLogger, clientFromSettings, resolveSettings } from "../kantata";
import { MembershipBatcher } from "../kantata/membershipBatcher";
import { Directory } from "../identity/directory";

/**
 * Process-wide state of the provider plugin: the stack config handed to `configure`, and one Kantata
 * client (keep-alive agent, limiter, batcher, directory of people and groups) shared by every resource.
 * Credentials are looked up here, at call time, never captured in the serialized provider.
 */
let pulumiConfig: pulumi.dynamic.Config | undefined;
let shared: { client: KantataClient; batcher: MembershipBatcher; directory: Directory; log: KantataLogger } | undefined;

/**
 * Stores the config synchronously: the plugin host caches the provider before awaiting this hook, so a
 * concurrent call may arrive right after; by then the config must already be in place.
 */
export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  pulumiConfig = request.config;
  shared = undefined;
}

function connect() {
  if (!shared) {
    const settings = resolveSettings({ pulumiConfig });
    const client = clientFromSettings(settings);
    shared = {
      log: settings.logger,
      client,
      // KANTATA_COALESCE=off turns request coalescing off (the benchmark compares both).
      batcher: new MembershipBatcher(client, { coalesce: process.env.KANTATA_COALESCE !== "off" }),
      directory: new Directory(client),
    };
  }
  return shared;
}

/** The shared client, created on first use from config or the environment. */
export const kantata = (): KantataClient => connect().client;

/** The shared batcher that coalesces single-membership reads and creates. */
export const membershipBatcher = (): MembershipBatcher => connect().batcher;

/** The shared directory that resolves emails and group names, coalesced across resources. */
export const directory = (): Directory => connect().directory;

/**
 * The provider's log: the settings' logger (by default the plugin's standard error, which the Pulumi
 * CLI keeps in its verbose log; the dynamic-provider host offers no channel to the engine's diagnostics).
 */
export const providerLogger = (): KantataLogger => connect().log;

export function providerLog(line: string): void {
  providerLogger()(`kantata: ${line}`);
}
