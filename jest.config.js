// Two projects, so that dist/ is built only when a test that loads it is part of the run: Jest runs a
// project's globalSetup only when at least one test of that project is selected.
//   unit: tests that import the TypeScript sources; no build, no Pulumi CLI.
//   dist: tests that load the built package from dist/: the end-to-end suites (real Pulumi CLI) and the
//         serialization test. Its globalSetup rebuilds dist/ when a source is newer, so they never see a stale one.

/** @type {import('jest').Config} */
const shared = {
  rootDir: __dirname,
  testEnvironment: "node",
  // Tests live in test/, and each resource kind's own tests beside it in provider/resources/<kind>/.
  roots: ["<rootDir>/test", "<rootDir>/provider"],
  // Type checking is done once by `npm run typecheck`; ts-jest only transpiles (isolatedModules in tsconfig).
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 30000,
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: [
        "/node_modules/",
        "<rootDir>/test/(e2e|compat|faults|golden|examples|truth)/",
        "\\.e2e\\.test\\.ts$",
        "<rootDir>/test/provider/serialization\\.test\\.ts$",
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
      testMatch: [
        "<rootDir>/test/{e2e,compat,faults,golden,examples,truth}/**/*.test.ts",
        "<rootDir>/provider/**/*.e2e.test.ts",
        "<rootDir>/test/provider/serialization.test.ts",
      ],
      globalSetup: "<rootDir>/test/support/buildDist.js",
    },
  ],
};
