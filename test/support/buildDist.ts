// Jest globalSetup of the "dist" project: the end-to-end suites' provider plugins load the built package
// (a copy of dist/ in each work directory, see scripts/lib/pulumi/builtPackage.ts), so dist/ is rebuilt
// from scratch before any of them runs (scripts/build.js, the same as `npm run build`). The `npm pack`
// tarball that directory programs install is packed here too, once for every test file and worker of the
// run (see PACKED_FOR_RUN); Jest starts its workers after this, with this environment.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { PACKED_FOR_RUN, packPackage } from "../../scripts/lib/pulumi/packedPackage";

export default async function buildDist(): Promise<void> {
  execFileSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "build.js")], { stdio: "inherit" });
  process.env[PACKED_FOR_RUN] = (await packPackage()).tarball;
}
