import type * as pulumi from "@pulumi/pulumi";
import { type ProviderContext, createContext } from "./context";
import { engineAddress } from "./diagnostics";
import { exitWhenEngineGone } from "./engineWatch";
import { exitWhenOutputClosed } from "./outputClosed";

/**
 * The one piece of module-level state of the provider plugin: the context of this process, made from
 * the stack config that `configure` hands over, on first use (credentials are read then, at call time,
 * never captured in the serialized provider).
 */
let pulumiConfig: pulumi.dynamic.Config | undefined;
let current: ProviderContext | undefined;

/**
 * Stores the config synchronously: the plugin host caches the provider before awaiting this hook, so a
 * concurrent call may arrive right after; by then the config must already be in place.
 */
export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  pulumiConfig = request.config;
  current = undefined;
}

// Once, as the plugin the engine started loads this module; a test calling the provider in-process keeps its
// own streams and has no engine to watch.
const engine = engineAddress();
if (engine !== undefined) {
  exitWhenOutputClosed();
  exitWhenEngineGone(engine);
}

/** This process's context, created on first use from the config (or the environment). */
export function providerContext(): ProviderContext {
  current ??= createContext({ pulumiConfig });
  return current;
}
