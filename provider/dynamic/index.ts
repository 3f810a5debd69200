/**
 * The provider implementation, loaded at call time by the serialized shim as
 * `require("pulumi-kantata/dynamic")`. Everything here may change between versions; the shim may not.
 * Each call is routed to its resource kind by the `__kind` property every resource carries in its
 * inputs and outputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { KIND_PROPERTY, type ResourceKind } from "./kind";
import { userGroupMembershipProvider } from "./userGroupMembership";
import { workspaceGroupMembersProvider } from "./workspaceGroupMembers";

export { configure } from "./runtime";

type Properties = Record<string, unknown>;

/** A provider seen from the router: untyped property bags in and out, every method present. */
type Routed = Required<Omit<pulumi.dynamic.ResourceProvider<Properties, Properties>, "configure">>;

/**
 * Each kind's provider is typed with its own inputs and outputs; the engine hands the router plain
 * property bags, tagged with the kind. This adapter is the one place where a bag becomes a kind's type.
 */
function routed<I extends object, O extends object>(provider: pulumi.dynamic.ResourceProvider<I, O>): Routed {
  const method = <K extends keyof typeof provider>(name: K) => {
    const implementation = provider[name];
    if (implementation === undefined) throw new Error(`pulumi-kantata: the provider has no ${String(name)}`);
    return implementation;
  };
  return {
    check: async (olds, news) => (await method("check")(olds as I, news as I)) as pulumi.dynamic.CheckResult<Properties>,
    diff: (id, olds, news) => method("diff")(id, olds as O, news as I),
    create: async (inputs) => (await method("create")(inputs as I)) as pulumi.dynamic.CreateResult<Properties>,
    read: async (id, props) => (await method("read")(id, props as O)) as pulumi.dynamic.ReadResult<Properties>,
    update: async (id, olds, news) => (await method("update")(id, olds as O, news as I)) as pulumi.dynamic.UpdateResult<Properties>,
    delete: (id, props) => method("delete")(id, props as O),
  };
}

const providers: Record<ResourceKind, Routed> = {
  UserGroupMembership: routed(userGroupMembershipProvider),
  WorkspaceGroupMembers: routed(workspaceGroupMembersProvider),
};

function kindOf(properties: Properties | undefined): ResourceKind {
  const kind = properties?.[KIND_PROPERTY];
  if (typeof kind === "string" && kind in providers) return kind as ResourceKind;
  throw new Error(`pulumi-kantata cannot handle a resource whose ${KIND_PROPERTY} is ${JSON.stringify(kind)}; upgrade the package.`);
}

const providerFor = (properties: Properties | undefined): Routed => providers[kindOf(properties)];

/** Carries the kind along, so the engine hands it back with the outputs on read, update and delete. */
const withKind = <T extends object | undefined>(from: Properties | undefined, properties: T) =>
  properties && { ...properties, [KIND_PROPERTY]: kindOf(from) };

/** A partial failure's recorded properties need the kind too, or the next run could not route them. */
async function keepingKindOnFailure<T>(from: Properties, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const partial = error as { properties?: object };
    if (partial?.properties) partial.properties = withKind(from, partial.properties);
    throw error;
  }
}

export async function check(olds: Properties, news: Properties): Promise<pulumi.dynamic.CheckResult> {
  const result = await providerFor(news).check(olds, news);
  return { ...result, inputs: withKind(news, result.inputs) };
}

export function diff(id: string, olds: Properties, news: Properties): Promise<pulumi.dynamic.DiffResult> {
  return providerFor(news).diff(id, olds, news);
}

export async function create(inputs: Properties): Promise<pulumi.dynamic.CreateResult> {
  const result = await keepingKindOnFailure(inputs, () => providerFor(inputs).create(inputs));
  return { ...result, outs: withKind(inputs, result.outs) };
}

export async function read(id: string, props: Properties | undefined): Promise<pulumi.dynamic.ReadResult> {
  const result = await providerFor(props).read(id, props);
  return { ...result, props: withKind(props, result.props), inputs: withKind(props, result.inputs) };
}

export async function update(id: string, olds: Properties, news: Properties): Promise<pulumi.dynamic.UpdateResult> {
  const result = await keepingKindOnFailure(news, () => providerFor(news).update(id, olds, news));
  return { ...result, outs: withKind(news, result.outs) };
}

export { remove as delete };
async function remove(id: string, props: Properties): Promise<void> {
  await providerFor(props).delete(id, props);
}
