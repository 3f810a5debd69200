/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is done once by `npm run typecheck`; ts-jest only transpiles (isolatedModules in tsconfig).
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
};
