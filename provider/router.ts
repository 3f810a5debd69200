/**
 * The provider implementation, loaded at call time by the serialized shim as
 * `require("pulumi-kantata/dynamic")`. Everything here may change between versions; the shim may not.
 * Each call is routed to its resource kind by the `__kind` property every resource carries in its
 * inputs and outputs, with this process's context.
 */
import type * as pulumi from "@pulumi/pulumi";
import { KIND_PROPERTY, type ResourceKind } from "./runtime/kind";
import type { Bag, KindProvider } from "./runtime/kindProvider";
import { providerContext } from "./runtime/runtime";
import { accessRulesProvider } from "./resources/accessRules/provider";
import { userGroupMembershipProvider } from "./resources/userGroupMembership/provider";
import { workspaceGroupProvider } from "./resources/workspaceGroup/provider";
import { workspaceGroupMembersProvider } from "./resources/workspaceGroupMembers/provider";

export { configure } from "./runtime/runtime";

const providers: Record<ResourceKind, KindProvider> = {
  UserGroupMembership: userGroupMembershipProvider,
  WorkspaceGroup: workspaceGroupProvider,
  WorkspaceGroupMembers: workspaceGroupMembersProvider,
  AccessRules: accessRulesProvider,
};

function kindOf(properties: Bag | undefined): ResourceKind {
  const kind = properties?.[KIND_PROPERTY];
  if (typeof kind === "string" && kind in providers) return kind as ResourceKind;
  throw new Error(`pulumi-kantata cannot handle a resource whose ${KIND_PROPERTY} is ${JSON.stringify(kind)}; upgrade the package.`);
}

const providerFor = (properties: Bag | undefined): KindProvider => providers[kindOf(properties)];

/** Carries the kind along, so the engine hands it back with the outputs on read, update and delete. */
const withKind = <T extends object | undefined>(from: Bag | undefined, properties: T) =>
  properties && { ...properties, [KIND_PROPERTY]: kindOf(from) };

/** A partial failure's recorded properties need the kind too, or the next run could not route them. */
async function keepingKindOnFailure<T>(from: Bag, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const partial = error as { properties?: object };
    if (partial?.properties) partial.properties = withKind(from, partial.properties);
    throw error;
  }
}

export async function check(olds: Bag, news: Bag): Promise<pulumi.dynamic.CheckResult> {
  const result = await providerFor(news).check(providerContext(), olds, news);
  return { ...result, inputs: withKind(news, result.inputs) };
}

export function diff(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult> {
  return providerFor(news).diff(providerContext(), id, olds, news);
}

export async function create(inputs: Bag): Promise<pulumi.dynamic.CreateResult> {
  const result = await keepingKindOnFailure(inputs, () => providerFor(inputs).create(providerContext(), inputs));
  return { ...result, outs: withKind(inputs, result.outs) };
}

export async function read(id: string, props: Bag | undefined): Promise<pulumi.dynamic.ReadResult> {
  if (props === undefined) return {};
  const result = await providerFor(props).read(providerContext(), id, props);
  return { ...result, props: withKind(props, result.props), inputs: withKind(props, result.inputs) };
}

export async function update(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult> {
  const result = await keepingKindOnFailure(news, () => providerFor(news).update(providerContext(), id, olds, news));
  return { ...result, outs: withKind(news, result.outs) };
}

export { remove as delete };
async function remove(id: string, props: Bag): Promise<void> {
  await providerFor(props).delete(providerContext(), id, props);
}
