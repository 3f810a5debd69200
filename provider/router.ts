/**
 * The provider implementation, loaded at call time by the serialized shim as
 * `require("pulumi-kantata/dynamic")`. Everything here may change between versions; the shim may not.
 * Each call is routed to its resource kind by the `__kind` property every resource carries in its
 * inputs and outputs, with this process's context.
 */
import type * as pulumi from "@pulumi/pulumi";
import { KIND_PROPERTY, type ResourceKind } from "./runtime/kind";
import type { ProviderContext } from "./runtime/context";
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

/** The engine's calls, each routed to its kind's provider with the context `routerFor` was given. */
export interface Router {
  check: (olds: Bag, news: Bag) => Promise<pulumi.dynamic.CheckResult>;
  diff: (id: string, olds: Bag, news: Bag) => Promise<pulumi.dynamic.DiffResult>;
  create: (inputs: Bag) => Promise<pulumi.dynamic.CreateResult>;
  read: (id: string, props: Bag | undefined) => Promise<pulumi.dynamic.ReadResult>;
  update: (id: string, olds: Bag, news: Bag) => Promise<pulumi.dynamic.UpdateResult>;
  delete: (id: string, props: Bag) => Promise<void>;
}

/** The router for one context: this process's (below), or, in tests, one per simulated provider process. */
export function routerFor(context: () => ProviderContext): Router {
  return {
    check: async (olds, news) => {
      const result = await providerFor(news).check(context(), olds, news);
      return { ...result, inputs: withKind(news, result.inputs) };
    },
    diff: (id, olds, news) => providerFor(news).diff(context(), id, olds, news),
    create: async (inputs) => {
      const result = await keepingKindOnFailure(inputs, () => providerFor(inputs).create(context(), inputs));
      return { ...result, outs: withKind(inputs, result.outs) };
    },
    read: async (id, props) => {
      if (props === undefined) return {};
      const result = await providerFor(props).read(context(), id, props);
      return { ...result, props: withKind(props, result.props), inputs: withKind(props, result.inputs) };
    },
    update: async (id, olds, news) => {
      const result = await keepingKindOnFailure(news, () => providerFor(news).update(context(), id, olds, news));
      return { ...result, outs: withKind(news, result.outs) };
    },
    delete: async (id, props) => {
      await providerFor(props).delete(context(), id, props);
    },
  };
}

// What the serialized shim calls: the router of this process, whose context `configure` sets up.
const processRouter = routerFor(providerContext);
export const { check, diff, create, read, update } = processRouter;
const remove = processRouter.delete;
export { remove as delete };
