import type * as pulumi from "@pulumi/pulumi";

type Implementation = typeof import("./router");
type Properties = Record<string, unknown>;

/**
 * The provider object Pulumi serializes into every resource's state, shared by all resources of both
 * kinds. It is deliberately tiny and captures nothing: each method loads the real implementation by
 * package name when it runs, so the stored copy never goes stale, is identical for every resource, and
 * holds no token, client or file path. (The plugin runs in the program's directory, so the name
 * resolves from the program's node_modules.) Which resource a call is for travels in its properties.
 * The type-only import above erases at compile time; the serialized text holds just the `require`s.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading by package name at call time is the point, see above */
export const providerShim: pulumi.dynamic.ResourceProvider<Properties, Properties> = {
  configure: (...a) => (require("pulumi-kantata/dynamic") as Implementation).configure(...a),
  check: (...a) => (require("pulumi-kantata/dynamic") as Implementation).check(...a),
  diff: (...a) => (require("pulumi-kantata/dynamic") as Implementation).diff(...a),
  create: (...a) => (require("pulumi-kantata/dynamic") as Implementation).create(...a),
  read: (...a) => (require("pulumi-kantata/dynamic") as Implementation).read(...a),
  update: (...a) => (require("pulumi-kantata/dynamic") as Implementation).update(...a),
  delete: (...a) => (require("pulumi-kantata/dynamic") as Implementation).delete(...a),
};
/* eslint-enable @typescript-eslint/no-require-imports */
