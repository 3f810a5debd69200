// Jest globalSetup of the "dist" project: the end-to-end suites and the serialization test load the package
// from dist/ (through its name, pulumi-kantata), so dist/ is rebuilt from scratch before any of them runs
// (scripts/build.js, the same as `npm run build`; about 5 s on 2 cores).
module.exports = function buildDist() {
  require("../../scripts/build.js");
};
