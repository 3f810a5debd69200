import { sdkDir } from "./diagnostics";

/**
 * Ends the provider plugin within seconds once the engine that started it is gone, killed or not. A
 * `kill -9` of `pulumi up` leaves the plugin idle with nobody to end it (the engine's shutdown would have),
 * and nothing it writes fails while it waits for calls that never come: an orphan was found alive a quarter
 * of an hour later. Its parent is the plugin's shell wrapper, not the engine, so a change of parent says
 * nothing; the engine's gRPC address (the plugin's first argument) does. Every few seconds the plugin asks it
 * the standard gRPC health check, as Pulumi's own plugins do (rpcutil.Healthcheck): an answer, even
 * "unimplemented", means alive; "unavailable" (nothing listens any more) means gone.
 */
export function exitWhenEngineGone(address: string, options: { everyMs?: number; exit?: (code: number) => void } = {}): NodeJS.Timeout {
  const { everyMs = 2000, exit = (code) => process.exit(code) } = options;
  const grpc = loadGrpc();
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  let asking = false;
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    const empty = Buffer.alloc(0);
    client.makeUnaryRequest(
      HEALTH_CHECK,
      () => empty,
      (answer) => answer,
      null,
      { deadline: Date.now() + everyMs },
      (error) => {
        asking = false;
        if (error?.code === grpc.status.UNAVAILABLE) exit(1);
      },
    );
  }, everyMs);
  // The watch alone never keeps the plugin alive.
  timer.unref();
  return timer;
}

/** grpc.health.v1.Health/Check with an empty HealthCheckRequest (an empty message is zero bytes). */
const HEALTH_CHECK = "/grpc.health.v1.Health/Check";

/** The few members of @grpc/grpc-js this module uses. */
interface Grpc {
  Client: new (
    address: string,
    credentials: unknown,
  ) => {
    makeUnaryRequest(
      method: string,
      serialize: (value: null) => Buffer,
      deserialize: (value: Buffer) => Buffer,
      argument: null,
      options: { deadline: number },
      callback: (error: { code: number } | null) => void,
    ): unknown;
  };
  credentials: { createInsecure(): unknown };
  status: { UNAVAILABLE: number };
}

function loadGrpc(): Grpc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own gRPC, typed by Grpc above
  return require(require.resolve("@grpc/grpc-js", { paths: [sdkDir()] })) as Grpc;
}
