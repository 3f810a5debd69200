import type * as pulumi from "@pulumi/pulumi";
import { type ConfigSource, type ProviderContext, createContext } from "./context";
import { engineAddress } from "./diagnostics";
import { exitWhenOutputClosed } from "./outputClosed";

/**
 * The one piece of module-level state of a provider process (either door): the context of this process,
 * made from the configuration the engine hands over, on first use (credentials are read then, at call
 * time, never captured in the serialized provider).
 */
let pulumiConfig: ConfigSource | undefined;
/** The engine diagnostics go to: the dynamic-provider host's by default, the plugin's once it says so. */
let engine: string | undefined = engineAddress();
let current: ProviderContext | undefined;

/**
 * Stores the config synchronously: the plugin host caches the provider before awaiting this hook, so a
 * concurrent call may arrive right after; by then the config must already be in place.
 */
export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  configureProcess(request.config);
}

/** The dynamic door's `configure` and the plugin's `Configure`: the next call gets a context made from `config`. */
export function configureProcess(config: ConfigSource, engineAddress: string | undefined = engine): void {
  pulumiConfig = config;
  engine = engineAddress;
  current = undefined;
}

// Once, as the plugin the engine started loads this module; a test calling the provider in-process keeps its own streams.
if (engine !== undefined) exitWhenOutputClosed();

/** This process's context, created on first use from the config (or the environment). */
export function providerContext(): ProviderContext {
  current ??= createContext({ pulumiConfig, engineAddress: engine });
  return current;
}
