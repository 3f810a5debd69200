// Two projects, so that dist/ is built only when a test that needs it is part of the run: Jest runs a
// project's globalSetup only when at least one test of that project is selected.
//   unit: tests of the TypeScript sources; no build, no Pulumi CLI.
//   dist: the end-to-end suites (real Pulumi CLI). Their programs import the sources, but the provider plugin
//         loads the built package (scripts/lib/pulumi copies dist/ into each work directory, or packs it), so
//         the globalSetup rebuilds dist/ from scratch first: they never run a stale build.

const ts = require("typescript");
const { pathsToModuleNameMapper } = require("ts-jest");

// The package's own entries by name resolve to the sources, as tsconfig.json's `paths` says for tsc and tsx.
const { paths } = ts.readConfigFile(`${__dirname}/tsconfig.json`, ts.sys.readFile).config.compilerOptions;

/** @type {import('jest').Config} */
const shared = {
  rootDir: __dirname,
  testEnvironment: "node",
  // Tests live in test/, and each resource kind's own tests beside it in provider/resources/<kind>/.
  roots: ["<rootDir>/test", "<rootDir>/provider"],
  // Type checking is done once by `npm run typecheck`; ts-jest only transpiles (isolatedModules in tsconfig).
  transform: { "^.+\\.ts$": "ts-jest" },
  moduleNameMapper: pathsToModuleNameMapper(paths, { prefix: "<rootDir>/" }),
  testTimeout: 30000,
  // The shim is left uninstrumented: Pulumi serializes it into every resource, and the counters coverage
  // adds would be serialized with it (test/provider/serialization.test.ts).
  coveragePathIgnorePatterns: ["/node_modules/", "<rootDir>/provider/shim.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  // Jest's default is one worker per core but one: a single worker on the 2-core machine CI runs on. The
  // end-to-end suites spend much of their time waiting (on the engine's gRPC, on back-offs, on child
  // processes starting), so two workers there finish the suite sooner than one; see CONTRIBUTING.md.
  maxWorkers: 2,
  // `npm run test:coverage`: the package's own code, and only it. Jest reads this from the top level only: inside
  // a project it was ignored, and the report counted whatever the tests loaded (the sandbox, the harness).
  collectCoverageFrom: ["<rootDir>/{provider,access,cli}/**/*.ts", "!**/*.test.ts"],
  testSequencer: "<rootDir>/test/support/engineSuitesFirst.js",
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: [
        "/node_modules/",
        "<rootDir>/test/(e2e|compat|faults|golden|examples|truth|languages)/",
        "\\.e2e\\.test\\.ts$",
        "<rootDir>/test/report/(browser|largeAccount)\\.test\\.ts$",
      ],
    },
    {
      // Slow but needing no build and no Pulumi CLI: the report in a real browser, and on a 50,000-membership account.
      ...shared,
      displayName: "slow",
      testMatch: ["<rootDir>/test/report/(browser|largeAccount).test.ts"],
    },
    {
      ...shared,
      displayName: "dist",
      testMatch: ["<rootDir>/test/{e2e,compat,faults,golden,examples,truth,languages}/**/*.test.ts", "<rootDir>/provider/**/*.e2e.test.ts"],
      globalSetup: "<rootDir>/test/support/buildDist.ts",
      globalTeardown: "<rootDir>/test/support/removePackedTarball.ts",
    },
  ],
};
