// Jest globalSetup of the "dist" project: the end-to-end suites and the serialization test load the package
// from dist/ (through its name, pulumi-kantata), so dist/ is brought up to date before any of them runs.
// `tsc -b` (the same command as `npm run build`) rebuilds only when a source is newer than its output or an output
// is missing, and finishes in well under a second when dist/ is fresh.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = function buildDist() {
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
};
