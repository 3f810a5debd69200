import type * as pulumi from "@pulumi/pulumi";
import { type KantataClient, createKantataClient } from "../kantata";
import { MembershipBatcher } from "../kantata/membershipBatcher";

/**
 * Process-wide state of the provider plugin: the stack config handed to `configure`, and one Kantata
 * client (keep-alive agent, limiter, batcher) shared by every resource. Credentials are looked up here,
 * at call time, never captured in the serialized provider.
 */
let pulumiConfig: pulumi.dynamic.Config | undefined;
let shared: { client: KantataClient; batcher: MembershipBatcher } | undefined;

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
    const client = createKantataClient({ pulumiConfig });
    // KANTATA_COALESCE=off turns request coalescing off (the benchmark compares both).
    shared = { client, batcher: new MembershipBatcher(client, { coalesce: process.env.KANTATA_COALESCE !== "off" }) };
  }
  return shared;
}

/** The shared client, created on first use from config or the environment. */
export const kantata = (): KantataClient => connect().client;

/** The shared batcher that coalesces single-membership reads and creates. */
export const membershipBatcher = (): MembershipBatcher => connect().batcher;
