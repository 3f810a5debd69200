import path from "node:path";
import type { KantataLogger } from "../kantata";

/**
 * Messages for the person running `pulumi preview` or `up`, shown under the resource in the CLI's
 * "Diagnostics" section and in `--json` output: who loses access when a group comes under management,
 * refresh notices, and the like.
 *
 * The engine starts every provider plugin with the address of its own gRPC service as the first
 * argument; providers log through its `Log` call (what `host.Log` does in Go providers). Pulumi's
 * Node.js dynamic-provider host receives that address but offers no logging of its own, so this module
 * speaks to the engine directly, with the protobuf classes that ship inside `@pulumi/pulumi`. Where
 * there is no engine (a provider called in-process, as the unit tests do) lines go to the provider log.
 */
export interface Diagnostics {
  info: (urn: string | undefined, message: string) => Promise<void>;
  warn: (urn: string | undefined, message: string) => Promise<void>;
}

/** The engine's LogSeverity values (pulumirpc.LogSeverity). */
const SEVERITY = { info: 1, warning: 2 } as const;

/** The few members of the generated gRPC and protobuf classes this module uses. */
interface LogRequest {
  setSeverity(value: number): void;
  setMessage(value: string): void;
  setUrn(value: string): void;
  setEphemeral(value: boolean): void;
}
interface EngineClient {
  log(request: LogRequest, callback: (error: Error | null) => void): void;
}
interface EngineModules {
  grpc: { credentials: { createInsecure(): unknown } };
  service: { EngineClient: new (address: string, credentials: unknown) => EngineClient };
  messages: { LogRequest: new () => LogRequest };
}

/** The engine's address when this process is the dynamic-provider host the engine started, else undefined. */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const [, script = "", address = ""] = argv;
  return /[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(script) && /^[\w.[\]:-]+:\d+$/.test(address) ? address : undefined;
}

/** The directory of the `@pulumi/pulumi` the program installed, whose gRPC and protobuf classes speak to the engine. */
export const sdkDir = (): string => path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/** Loads gRPC and the engine's protobuf classes from the `@pulumi/pulumi` the program installed. */
function loadEngineModules(): EngineModules {
  const sdk = sdkDir();
  /* eslint-disable @typescript-eslint/no-require-imports -- the SDK's own generated modules, typed by EngineModules above */
  return {
    grpc: require(require.resolve("@grpc/grpc-js", { paths: [sdk] })) as EngineModules["grpc"],
    service: require(path.join(sdk, "proto", "engine_grpc_pb")) as EngineModules["service"],
    messages: require(path.join(sdk, "proto", "engine_pb")) as EngineModules["messages"],
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Diagnostics to the engine at `address`, or to `fallback` (the provider log) when there is none or it
 * cannot be reached; a message is never lost and never fails the operation it describes.
 */
export function createDiagnostics(fallback: KantataLogger, address = engineAddress()): Diagnostics {
  let client: EngineClient | undefined;
  let modules: EngineModules | undefined;
  if (address !== undefined) {
    try {
      modules = loadEngineModules();
      client = new modules.service.EngineClient(address, modules.grpc.credentials.createInsecure());
    } catch {
      client = undefined;
    }
  }
  const send = (severity: number, label: string, urn: string | undefined, message: string): Promise<void> => {
    const engine = client;
    if (engine === undefined || modules === undefined) {
      fallback(`kantata: ${label}: ${message}`);
      return Promise.resolve();
    }
    const request = new modules.messages.LogRequest();
    request.setSeverity(severity);
    request.setMessage(message);
    request.setUrn(urn ?? "");
    request.setEphemeral(false);
    return new Promise((resolve) => {
      engine.log(request, (error) => {
        if (error) fallback(`kantata: ${label}: ${message}`);
        resolve();
      });
    });
  };
  return {
    info: (urn, message) => send(SEVERITY.info, "info", urn, message),
    warn: (urn, message) => send(SEVERITY.warning, "warning", urn, message),
  };
}
