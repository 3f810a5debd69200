// Jest globalSetup of the "dist" project: the end-to-end suites' provider plugins load the built package
// (a copy of dist/ in each work directory, see scripts/lib/pulumi/builtPackage.ts), so dist/ is rebuilt
// from scratch before any of them runs (scripts/build.js, the same as `npm run build`; about 5 s on 2 cores).
module.exports = function buildDist() {
  require("../../scripts/build.js");
};
