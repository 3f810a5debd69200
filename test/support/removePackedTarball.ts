// Jest globalTeardown of the "dist" project: removes the directory its setup packed the run's tarball into
// (test/support/buildDist.ts), which nothing needs once the run is over; the shared installs made from it
// are keyed by its contents and stay for the next run (scripts/lib/pulumi/program.ts).
import { rmSync } from "node:fs";
import path from "node:path";
import { PACKED_FOR_RUN } from "../../scripts/lib/pulumi/packedPackage";

export default function removePackedTarball(): void {
  const tarball = process.env[PACKED_FOR_RUN];
  if (tarball !== undefined) rmSync(path.dirname(tarball), { recursive: true, force: true });
}
