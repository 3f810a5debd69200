/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is done once by `npm run typecheck`; ts-jest only transpiles, which keeps the suite fast.
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.pulumi-cli/"],
  testTimeout: 30000,
};
