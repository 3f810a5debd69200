import type * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "./dynamic";

/**
 * The provider object Pulumi serializes into every resource's state. It is deliberately tiny: each
 * method loads the real implementation by package name when it runs, so the stored copy never goes
 * stale, is identical for every resource of a kind, and captures no token, client or file path.
 * (The plugin runs in the program's directory, so the name resolves from the program's node_modules.)
 */
export function providerShim(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const implementation = () => require("pulumi-kantata/dynamic").providers[kind];
  return {
    configure: (request) => require("pulumi-kantata/dynamic").configure(request),
    check: (olds, news) => implementation().check(olds, news),
    diff: (id, olds, news) => implementation().diff(id, olds, news),
    create: (inputs) => implementation().create(inputs),
    read: (id, props) => implementation().read(id, props),
    update: (id, olds, news) => implementation().update(id, olds, news),
    delete: (id, props) => implementation().delete(id, props),
  };
}
