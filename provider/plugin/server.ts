import type * as grpc from "@grpc/grpc-js";
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import type * as proto from "@pulumi/pulumi/proto/provider_pb";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import { isKantataError } from "../../lib/errors";
import type { Bag } from "../runtime/kindProvider";
import { sdkDir } from "../runtime/diagnostics";
import { configureProcess } from "../runtime/runtime";
import type { PluginDoor } from "./door";
import { concealSecrets, revealSecrets } from "./wire";

/**
 * The plugin's gRPC service. Pulumi's Node.js provider server (`@pulumi/pulumi/provider`'s `main`) serves
 * it, and answers what it answers well: the schema, the plugin's version, and `Construct` (which sets up
 * the Pulumi runtime so that a component's children register with the engine). Every other call is
 * answered here, because the SDK's server drops the configuration `Configure` brings (the token, the base
 * URL), cannot carry a partial failure's state back from a check, and prints each error's stack trace
 * where a user should read one sentence. The handlers replace the SDK's by name as its server registers
 * them, the one seam its `main` offers.
 */

/** The SDK's own copies of gRPC and the protobuf classes: the engine's messages must be built with them. */
function fromSdk<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's modules, typed by the caller
  return require(require.resolve(id, { paths: [sdkDir()] })) as T;
}

type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

/** Answers one call: the response `respond` makes, or the error as the engine should show it. */
function answer<Request>(respond: (request: Request) => Promise<unknown>, status: (error: unknown) => Partial<grpc.StatusObject>): Handler {
  return (call, callback) => {
    respond(call.request as Request).then(
      (value) => callback(null, value),
      (error: unknown) => callback(status(error)),
    );
  };
}

/** A JSON value fit for a protobuf Struct (which has no `undefined`). */
const plain = (value: unknown): { [key: string]: structProto.JavaScriptValue } =>
  JSON.parse(JSON.stringify(value ?? {})) as { [key: string]: structProto.JavaScriptValue };

/** The engine's address: the plugin's first argument that is not a flag (`-v=9`, `--logtostderr`). */
export const engineArgument = (args: readonly string[]): string | undefined => args.find((arg) => !arg.startsWith("-"));

export interface ServeOptions {
  door: PluginDoor;
  version: string;
  schema: string;
  construct: NonNullable<pulumiProvider.Provider["construct"]>;
  args: string[];
}

export async function serve({ door, version, schema, construct, args }: ServeOptions): Promise<void> {
  const grpcModule = fromSdk<typeof grpc>("@grpc/grpc-js");
  const messages = fromSdk<typeof proto>("@pulumi/pulumi/proto/provider_pb");
  const { Struct } = fromSdk<typeof structProto>("google-protobuf/google/protobuf/struct_pb");
  const { Empty } = fromSdk<{ Empty: new () => unknown }>("google-protobuf/google/protobuf/empty_pb");
  const { Any } = fromSdk<{ Any: new () => { pack(bytes: Uint8Array, name: string): void } }>("google-protobuf/google/protobuf/any_pb");
  const { Status } = fromSdk<{
    Status: new () => { setCode(c: number): void; setMessage(m: string): void; addDetails(d: unknown): void; serializeBinary(): Uint8Array };
  }>("@pulumi/pulumi/proto/status_pb");
  const { main } = fromSdk<typeof pulumiProvider>("@pulumi/pulumi/provider");
  const engineAddress = engineArgument(args);

  const struct = (value: unknown) => Struct.fromJavaScript(plain(value));
  const bag = (value: structProto.Struct | undefined): Bag => value?.toJavaScript() ?? {};

  /**
   * One sentence for the engine to show. A partial failure (an error carrying the resource's `id` and
   * `properties`) goes back as an initialization failure, so the engine records what was applied.
   */
  const status = (error: unknown): Partial<grpc.StatusObject> => {
    const failure = error as { message?: unknown; id?: unknown; properties?: unknown; reasons?: unknown; stack?: unknown };
    const message = typeof failure?.message === "string" ? failure.message : String(error);
    if (!isKantataError(error))
      process.stderr.write(`kantata: unexpected error: ${typeof failure?.stack === "string" ? failure.stack : message}\n`);
    const metadata = new grpcModule.Metadata();
    if (typeof failure?.id === "string" && failure.id !== "") {
      const detail = new messages.ErrorResourceInitFailed();
      detail.setId(failure.id);
      detail.setProperties(struct(failure.properties));
      detail.setReasonsList(Array.isArray(failure.reasons) ? failure.reasons.map(String) : [message]);
      const details = new Any();
      details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
      const rich = new Status();
      rich.setCode(grpcModule.status.UNKNOWN);
      rich.setMessage(message);
      rich.addDetails(details);
      metadata.add("grpc-status-details-bin", Buffer.from(rich.serializeBinary()));
    }
    return { code: grpcModule.status.UNKNOWN, details: message, metadata };
  };
  const handle = <Request>(respond: (request: Request) => Promise<unknown>) => answer(respond, status);

  const failuresOf = (failures: ReadonlyArray<{ property: string; reason: string }> | undefined) =>
    (failures ?? []).map(({ property, reason }) => {
      const failure = new messages.CheckFailure();
      failure.setProperty(property);
      failure.setReason(reason);
      return failure;
    });

  const handlers: Record<string, Handler> = {
    configure: handle(async (request: proto.ConfigureRequest) => {
      // The engine names each variable by its module, `kantata:config:apiToken`; the settings read `kantata:apiToken`.
      const variables = new Map(
        request
          .getVariablesMap()
          .toArray()
          .map(([key, value]) => [key.replace(/^([^:]+):config:/, "$1:"), value]),
      );
      configureProcess({ get: (key) => variables.get(key) }, engineAddress);
      return new messages.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(false).setAcceptresources(false).setAcceptoutputs(false);
    }),
    // CheckConfig and DiffConfig stay the SDK's "unimplemented": the engine then keeps the provider's inputs as
    // they are (secrets still secret; an echo of them would be logged in the clear at -v=9) and updates the
    // provider in place on a change of configuration, never replacing it.
    check: handle(async (request: proto.CheckRequest) => {
      const news = revealSecrets(bag(request.getNews()));
      const result = await door.check(request.getUrn(), revealSecrets(bag(request.getOlds())).properties, news.properties);
      const response = new messages.CheckResponse().setInputs(struct(concealSecrets((result.inputs ?? news.properties) as Bag, news.secrets)));
      return response.setFailuresList(failuresOf(result.failures));
    }),
    diff: handle(async (request: proto.DiffRequest) => {
      const result = await door.diff(
        request.getId(),
        request.getUrn(),
        revealSecrets(bag(request.getOlds())).properties,
        revealSecrets(bag(request.getNews())).properties,
      );
      const { DiffChanges } = messages.DiffResponse;
      return new messages.DiffResponse()
        .setChanges(
          result.changes === true ? DiffChanges.DIFF_SOME : result.changes === false ? DiffChanges.DIFF_NONE : DiffChanges.DIFF_UNKNOWN,
        )
        .setReplacesList(result.replaces ?? [])
        .setDeletebeforereplace(result.deleteBeforeReplace ?? false);
    }),
    create: handle(async (request: proto.CreateRequest) => {
      const inputs = revealSecrets(bag(request.getProperties()));
      const result = await door.create(request.getUrn(), inputs.properties);
      return new messages.CreateResponse().setId(result.id).setProperties(struct(concealSecrets((result.outs ?? {}) as Bag, inputs.secrets)));
    }),
    read: handle(async (request: proto.ReadRequest) => {
      const props = revealSecrets(bag(request.getProperties()));
      const result = await door.read(request.getId(), request.getUrn(), props.properties);
      const response = new messages.ReadResponse().setId(result.id ?? "");
      if (result.id === undefined) return response;
      response.setProperties(struct(concealSecrets((result.props ?? {}) as Bag, props.secrets)));
      if (result.inputs !== undefined) response.setInputs(struct(concealSecrets(result.inputs as Bag, props.secrets)));
      return response;
    }),
    update: handle(async (request: proto.UpdateRequest) => {
      const news = revealSecrets(bag(request.getNews()));
      const result = await door.update(request.getId(), request.getUrn(), revealSecrets(bag(request.getOlds())).properties, news.properties);
      return new messages.UpdateResponse().setProperties(struct(concealSecrets((result.outs ?? {}) as Bag, news.secrets)));
    }),
    delete: handle(async (request: proto.DeleteRequest) => {
      await door.delete(request.getId(), request.getUrn(), revealSecrets(bag(request.getProperties())).properties);
      return new Empty();
    }),
    invoke: handle(async (request: proto.InvokeRequest) => {
      const result = await door.invoke(request.getTok(), revealSecrets(bag(request.getArgs())).properties);
      const response = new messages.InvokeResponse().setFailuresList(failuresOf(result.failures));
      return result.outputs === undefined ? response : response.setReturn(struct(result.outputs));
    }),
  };

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the server as `this`
  const { addService } = grpcModule.Server.prototype;
  grpcModule.Server.prototype.addService = function (
    this: grpc.Server,
    service: grpc.ServiceDefinition,
    implementation: grpc.UntypedServiceImplementation,
  ) {
    const sdk = implementation as unknown as Record<string, Handler | undefined>;
    const merged: grpc.UntypedServiceImplementation = Object.fromEntries(
      Object.keys(service).map((name) => [name, handlers[name] ?? sdk[name]?.bind(implementation)]),
    );
    return addService.call(this, service, merged);
  };
  await main({ version, schema, construct }, args);
}
