/**
 * The provider implementation, loaded at call time by the serialized shim as
 * `require("pulumi-kantata/dynamic")`. Everything here may change between versions; the shim may not.
 * Each call is routed to its resource kind by the `__kind` property every resource carries in its
 * inputs and outputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { userGroupMembershipProvider } from "./userGroupMembership";
import { workspaceGroupMembersProvider } from "./workspaceGroupMembers";
import { KIND_PROPERTY, type ResourceKind } from "./kind";

export { configure } from "./runtime";

const providers: Record<ResourceKind, object> = {
  UserGroupMembership: userGroupMembershipProvider,
  WorkspaceGroupMembers: workspaceGroupMembersProvider,
};

type Properties = Record<string, unknown> | undefined;

function kindOf(properties: Properties): ResourceKind {
  const kind = properties?.[KIND_PROPERTY];
  if (typeof kind === "string" && kind in providers) return kind as ResourceKind;
  throw new Error(`pulumi-kantata cannot handle a resource whose ${KIND_PROPERTY} is ${JSON.stringify(kind)}; upgrade the package.`);
}

// Each kind's methods take their own property types; routing happens on untyped ones.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const providerFor = (properties: Properties): any => providers[kindOf(properties)];

/** Carries the kind along, so the engine hands it back with the outputs on read, update and delete. */
const withKind = <T extends object | undefined>(from: Properties, properties: T) =>
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
  const result: pulumi.dynamic.CreateResult = await keepingKindOnFailure(inputs, () => providerFor(inputs).create(inputs));
  return { ...result, outs: withKind(inputs, result.outs) };
}

export async function read(id: string, props: Properties): Promise<pulumi.dynamic.ReadResult> {
  const result = await providerFor(props).read(id, props);
  return { ...result, props: withKind(props, result.props), inputs: withKind(props, result.inputs) };
}

export async function update(id: string, olds: Properties, news: Properties): Promise<pulumi.dynamic.UpdateResult> {
  const result: pulumi.dynamic.UpdateResult = await keepingKindOnFailure(news, () => providerFor(news).update(id, olds, news));
  return { ...result, outs: withKind(news, result.outs) };
}

export { remove as delete };
async function remove(id: string, props: Properties): Promise<void> {
  await providerFor(props).delete(id, props);
}
