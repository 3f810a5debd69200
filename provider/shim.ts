import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object Pulumi serializes into every resource's state, shared by all resources of both
 * kinds. It is deliberately tiny and captures nothing: each method loads the real implementation by
 * package name when it runs, so the stored copy never goes stale, is identical for every resource, and
 * holds no token, client or file path. (The plugin runs in the program's directory, so the name
 * resolves from the program's node_modules.) Which resource a call is for travels in its properties.
 */
export const providerShim: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-kantata/dynamic").configure(...a),
  check: (...a) => require("pulumi-kantata/dynamic").check(...a),
  diff: (...a) => require("pulumi-kantata/dynamic").diff(...a),
  create: (...a) => require("pulumi-kantata/dynamic").create(...a),
  read: (...a) => require("pulumi-kantata/dynamic").read(...a),
  update: (...a) => require("pulumi-kantata/dynamic").update(...a),
  delete: (...a) => require("pulumi-kantata/dynamic").delete(...a),
};
