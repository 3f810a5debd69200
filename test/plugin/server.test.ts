/**
 * The provider plugin as the engine speaks to it: the plugin process started as the launcher starts it
 * (node on provider/plugin/main.ts, here through tsx's loader), its port read from standard output, and
 * every call made over gRPC with the engine's own protobuf messages, against the HTTP sandbox.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as messages from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import type { Sandbox } from "../../sandbox";
import { UNKNOWN } from "../../provider/runtime/inputs";
import { membersOf, startTestSandbox } from "../support/sandbox";

const ROOT = path.join(__dirname, "..", "..");
const SECRET = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SECRET]: SECRET_VALUE, value });
const urn = (kind: string, name: string) => `urn:pulumi:dev::proj::kantata:index:${kind}::${name}`;
const json = (struct: Struct | undefined) => struct?.toJavaScript() ?? {};

jest.setTimeout(60_000);

let sandbox: Sandbox;
let plugin: ChildProcessWithoutNullStreams;
let client: ResourceProviderClient;
let engine: grpc.Server;
let stderr = "";

/** One unary call, as a promise. */
function ask<Response>(send: (callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown): Promise<Response> {
  return new Promise<Response>((resolve, reject) => send((error, response) => (error ? reject(error) : resolve(response))));
}

const configure = (variables: Record<string, string>) => {
  const request = new messages.ConfigureRequest().setAcceptsecrets(true);
  for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
  return ask<messages.ConfigureResponse>((done) => client.configure(request, done));
};

const check = (kind: string, name: string, news: Record<string, unknown>) =>
  ask<messages.CheckResponse>((done) =>
    client.check(
      new messages.CheckRequest()
        .setUrn(urn(kind, name))
        .setOlds(Struct.fromJavaScript({}))
        .setNews(Struct.fromJavaScript(news as never)),
      done,
    ),
  );

beforeAll(async () => {
  sandbox = await startTestSandbox();
  // The engine's address is the argument: a gRPC server with no services plays it, so the plugin's engine watch
  // sees it alive, and diagnostics (which it cannot take) fall back to the provider log.
  engine = new grpc.Server();
  const enginePort = await new Promise<number>((resolve, reject) =>
    engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
  plugin = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "provider", "plugin", "main.ts"), `127.0.0.1:${enginePort}`], {
    cwd: ROOT,
    env: { ...process.env, KANTATA_API_TOKEN: "", KANTATA_BASE_URL: "" },
  });
  plugin.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    plugin.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    plugin.once("exit", (code) => reject(new Error(`the plugin exited (${code}) before it printed its port: ${stderr}`)));
  });
  client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  plugin?.kill();
  engine?.forceShutdown();
  await sandbox?.stop();
});

test("it ends by itself once its engine is gone, as after a kill -9 of pulumi", async () => {
  const orphan = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "provider", "plugin", "main.ts"), "127.0.0.1:1"], { cwd: ROOT });
  const code = await new Promise<number | null>((resolve) => orphan.once("exit", resolve));
  expect(code).toBe(1);
});

test("it names itself: the package's version, and the schema checked in beside it", async () => {
  const info = await ask<PluginInfo>((done) => client.getPluginInfo(new Empty(), done));
  expect(info.getVersion()).toBe((JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version);
  const schema = await ask<messages.GetSchemaResponse>((done) => client.getSchema(new messages.GetSchemaRequest(), done));
  expect(JSON.parse(schema.getSchema())).toEqual(JSON.parse(readFileSync(path.join(ROOT, "provider", "plugin", "schema.json"), "utf8")));
});

test("with no token anywhere, a check fails with the one-sentence fix, not a stack trace", async () => {
  const answer = await configure({ "kantata:config:baseUrl": sandbox.url });
  expect(answer.getAcceptsecrets()).toBe(true);
  const error = await check("UserGroupMembership", "u", { user: "ada.lovelace@example.com", group: "Delivery-EMEA" }).catch(
    (e: grpc.ServiceError) => e,
  );
  expect((error as grpc.ServiceError).details).toMatch(/^No Kantata OX API token is configured\. .*pulumi config set --secret kantata:apiToken/);
  expect((error as grpc.ServiceError).details).not.toMatch(/\n\s+at /);
});

describe("configured with the stack's variables (kantata:config:*)", () => {
  beforeAll(() => configure({ "kantata:config:baseUrl": sandbox.url, "kantata:config:apiToken": sandbox.token }));

  test("a check resolves people and groups and records the kind and the URN, as the dynamic provider's does", async () => {
    const result = await check("UserGroupMembership", "ada", { user: "ADA.lovelace@example.com", group: "delivery-emea" });
    expect(result.getFailuresList()).toEqual([]);
    expect(json(result.getInputs())).toMatchObject({
      __kind: "UserGroupMembership",
      __urn: urn("UserGroupMembership", "ada"),
      user: "ada.lovelace@example.com",
      userId: 1001,
      group: "Delivery-EMEA",
      groupId: 5521,
    });
  });

  test("bad input fails the check property by property, with the closest address", async () => {
    const result = await check("WorkspaceGroupMembers", "m", { group: "Delivery-EMEA", members: ["ada.lovelace@exmple.com", true] });
    const failures = result.getFailuresList().map((f) => [f.getProperty(), f.getReason()]);
    expect(failures).toEqual([
      ["members[1]", expect.stringContaining("must be a user's email address") as string],
      ["members[0]", "No user of this Kantata OX account has the address ada.lovelace@exmple.com; did you mean ada.lovelace@example.com?"],
    ]);
  });

  test("a value still unknown in a preview passes through the check", async () => {
    const result = await check("WorkspaceGroupMembers", "later", { group: UNKNOWN, members: ["ada.lovelace@example.com"] });
    expect(result.getFailuresList()).toEqual([]);
    expect(json(result.getInputs())).toMatchObject({ group: UNKNOWN });
  });

  test("secret inputs are read in the clear and come back secret, in the checked inputs and the outputs", async () => {
    const checked = await check("WorkspaceGroupMembers", "secret", { group: "Delivery-AMER", members: secret(["grace.hopper@example.com"]) });
    expect(checked.getFailuresList()).toEqual([]);
    const inputs = json(checked.getInputs());
    expect(inputs.members).toEqual(secret({ "grace.hopper@example.com": 1003 }));
    const created = await ask<messages.CreateResponse>((done) =>
      client.create(new messages.CreateRequest().setUrn(urn("WorkspaceGroupMembers", "secret")).setProperties(checked.getInputs()), done),
    );
    expect(json(created.getProperties()).members).toEqual(secret({ "grace.hopper@example.com": 1003 }));
    expect(membersOf(sandbox, 5522)).toContain(1003);
  });

  test("create, read and delete go to the kind's own code; a membership gone is reported gone", async () => {
    const checked = await check("UserGroupMembership", "edsger", { user: "edsger.dijkstra@example.com", group: "Delivery-EMEA" });
    const created = await ask<messages.CreateResponse>((done) =>
      client.create(new messages.CreateRequest().setUrn(urn("UserGroupMembership", "edsger")).setProperties(checked.getInputs()), done),
    );
    expect(membersOf(sandbox, 5521)).toContain(1004);
    const outputs = created.getProperties();
    const read = await ask<messages.ReadResponse>((done) =>
      client.read(new messages.ReadRequest().setId(created.getId()).setUrn(urn("UserGroupMembership", "edsger")).setProperties(outputs), done),
    );
    expect(read.getId()).toBe(created.getId());
    await ask<Empty>((done) =>
      client.delete(
        new messages.DeleteRequest().setId(created.getId()).setUrn(urn("UserGroupMembership", "edsger")).setProperties(outputs),
        done,
      ),
    );
    expect(membersOf(sandbox, 5521)).not.toContain(1004);
    const gone = await ask<messages.ReadResponse>((done) =>
      client.read(new messages.ReadRequest().setId(created.getId()).setUrn(urn("UserGroupMembership", "edsger")).setProperties(outputs), done),
    );
    expect(gone.getId()).toBe("");
  });

  test("a create that applies only part of its changes hands the engine what it applied, as an initialization failure", async () => {
    sandbox.setBulkPolicy("partial");
    try {
      // 999999 is a well-formed id no user has: the check takes ids as they are, the bulk create refuses that one.
      const checked = await check("WorkspaceGroupMembers", "partly", { group: "Finance", members: [1006, 999999] });
      const error = await ask<messages.CreateResponse>((done) =>
        client.create(new messages.CreateRequest().setUrn(urn("WorkspaceGroupMembers", "partly")).setProperties(checked.getInputs()), done),
      ).catch((e: grpc.ServiceError) => e);
      const details = (error as grpc.ServiceError).metadata.get("grpc-status-details-bin")[0] as Buffer;
      const status = Status.deserializeBinary(new Uint8Array(details));
      const failed = messages.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue_asU8());
      expect(failed.getId()).toBe("5523");
      expect(json(failed.getProperties()).members).toEqual({ "1006": 1006 });
      expect(failed.getReasonsList().join(" ")).toContain("999999");
      expect(membersOf(sandbox, 5523)).toContain(1006);
    } finally {
      sandbox.setBulkPolicy("all-or-nothing");
    }
  });

  test("a resource type the plugin does not serve is named with the ones it does", async () => {
    const error = await check("Team", "t", {}).catch((e: grpc.ServiceError) => e);
    expect((error as grpc.ServiceError).details).toBe(
      'The kantata provider has no resource type "kantata:index:Team"; its types are kantata:index:WorkspaceGroup, kantata:index:WorkspaceGroupMembers, kantata:index:UserGroupMembership, kantata:index:AccessRules.',
    );
  });

  test("the look-ups answer by email and by name, and an unknown one fails with the closest", async () => {
    const invoke = (tok: string, args: Record<string, unknown>) =>
      ask<messages.InvokeResponse>((done) =>
        client.invoke(new messages.InvokeRequest().setTok(`kantata:index:${tok}`).setArgs(Struct.fromJavaScript(args as never)), done),
      );
    expect(json((await invoke("getUser", { email: "Grace.Hopper@example.com" })).getReturn())).toEqual({
      id: 1003,
      email: "grace.hopper@example.com",
      name: "Grace Hopper",
      disabled: false,
    });
    expect(json((await invoke("getWorkspaceGroup", { name: "delivery-emea" })).getReturn())).toEqual({
      id: 5521,
      name: "Delivery-EMEA",
      notes: "",
    });
    const members = json((await invoke("getWorkspaceGroupMembers", { group: "5521" })).getReturn()).members as Record<string, number>;
    expect(Object.keys(members).sort()).toEqual(
      membersOf(sandbox, 5521)
        .map((id) => Object.entries(members).find(([, userId]) => userId === id)?.[0])
        .sort(),
    );
    const unknown = await invoke("getWorkspaceGroup", { name: "Delivery-EMAE" });
    expect(unknown.getFailuresList().map((f) => f.getReason())).toEqual([
      'This Kantata OX account has no workspace group named "Delivery-EMAE"; did you mean "Delivery-EMEA"?',
    ]);
  });
});
