// What may import what (CONTRIBUTING.md, "The map"): checked by `npm run lint`. Each rule names the layer
// it protects; a violation names the two files.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import circles make a module's meaning depend on load order.",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-is-the-base",
      severity: "error",
      comment: "lib/ is below everything: it imports nothing of the repository but itself.",
      from: { path: "^lib/" },
      to: { path: "^(provider|access|cli|sandbox|scripts|bench|test|examples)/" },
    },
    {
      name: "sandbox-stands-apart",
      severity: "error",
      comment: "The sandbox plays Kantata OX: it shares nothing with the code it tests but lib/.",
      from: { path: "^sandbox/" },
      to: { path: "^(provider|access|cli|scripts|bench|test|examples)/" },
    },
    {
      name: "client-at-the-bottom",
      severity: "error",
      comment: "The Kantata client knows HTTP and the API, nothing of Pulumi or of the provider above it.",
      from: { path: "^provider/kantata/" },
      to: { path: "^(provider/(?!kantata/)|access/|cli/)" },
    },
    {
      name: "planning-is-pure",
      severity: "error",
      comment: "The planner does no I/O and knows no layer: it takes facts and returns decisions.",
      from: { path: "^provider/plan/" },
      to: { path: "^(provider/(?!plan/)|access/|cli/|sandbox/)|^node:|^(axios|yaml|@pulumi)" },
    },
    {
      name: "plan-imports-no-packages",
      severity: "error",
      from: { path: "^provider/plan/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-peer", "core"] },
    },
    {
      name: "identity-below-runtime",
      severity: "error",
      comment: "Name resolution uses the client and the input helpers, never a resource or the process's context.",
      from: { path: "^provider/identity/" },
      to: { path: "^provider/(resources/|router|shim|runtime/(?!inputs\\.ts$))|^(access|cli)/" },
    },
    {
      name: "runtime-below-resources",
      severity: "error",
      comment: "What every kind shares in a process knows no kind.",
      from: { path: "^provider/runtime/" },
      to: { path: "^provider/(resources/|router|shim)|^(access|cli)/" },
    },
    {
      name: "one-room-per-resource",
      severity: "error",
      comment: "A resource kind's folder imports no other kind's folder: what two kinds share lives in a shared layer.",
      from: { path: "^provider/resources/([^/]+)/" },
      to: { path: "^provider/resources/[^/]+/", pathNot: "^provider/resources/$1/" },
    },
    {
      name: "provider-does-not-reach-up",
      severity: "error",
      comment:
        "Only the package's entries may offer access/ with the resources: provider/index.ts (declareAccess) and the plugin (the Access component).",
      from: { path: "^provider/", pathNot: "^provider/(index\\.ts$|plugin/)|\\.test\\.ts$" },
      to: { path: "^(access|cli|sandbox|scripts|bench|examples)/" },
    },
    {
      name: "tools-beside-the-provider",
      severity: "error",
      comment: "access/ and cli/ reuse the client, the planner and each kind's plan and state, never a provider's internals.",
      from: { path: "^(access|cli)/" },
      to: {
        path: "^provider/(router|shim|runtime/(context|runtime|liveGroups|diagnostics|kindProvider)|resources/[^/]+/(provider|check|apply|refresh|report))\\.ts$|^(sandbox|scripts|bench|examples)/",
      },
    },
    {
      name: "nothing-imports-tests",
      severity: "error",
      comment: "Tests may import anything; nothing imports a test or its support.",
      from: { pathNot: "^test/|\\.test\\.ts$" },
      to: { path: "^test/|\\.test\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules|\\.e2e-work|\\.pulumi-cli|\\.cache|coverage)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["require", "node", "default", "types"] },
  },
};
