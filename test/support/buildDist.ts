// Jest globalSetup of the "dist" project: the end-to-end suites' provider plugins load the built package
// (a copy of dist/ in each work directory, see scripts/lib/pulumi/builtPackage.ts), so dist/ is rebuilt
// from scratch before any of them runs (scripts/build.js, the same as `npm run build`). The `npm pack`
// tarball that directory programs install is packed here too, from that build, once for every test file
// and worker of the run (see PACKED_FOR_RUN); Jest starts its workers after this, with this environment.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/pulumi/paths";
import { PACKED_FOR_RUN, packBuiltPackage } from "../../scripts/lib/pulumi/packedPackage";

export default async function buildDist(): Promise<void> {
  execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts", "build.js")], { stdio: "inherit" });
  // Packed from that fresh build: no test has run yet to touch it.
  process.env[PACKED_FOR_RUN] = (await packBuiltPackage(path.join(REPO_ROOT, "dist"))).tarball;
}
