/** The package as npm would publish it: built from source into a staging directory and packed, once per process. */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./paths";

const run = promisify(execFile);

export interface PackedPackage {
  /** Absolute path of pulumi-kantata-<version>.tgz. */
  tarball: string;
  sha256: string;
  /** Build + pack time. */
  ms: number;
}

let packed: Promise<PackedPackage> | undefined;

/**
 * Where Jest's "dist" setup leaves the tarball it packed for the whole run (test/support/buildDist.ts):
 * Jest gives every test file a module registry of its own, so "once per process" would otherwise be
 * once per file, a build and a pack each. PULUMI_-prefixed, so no Pulumi CLI run inherits it.
 */
export const PACKED_FOR_RUN = "PULUMI_KANTATA_PACKED_TARBALL";

const describeTarball = (tarball: string, ms: number): PackedPackage => ({
  tarball,
  sha256: createHash("sha256").update(readFileSync(tarball)).digest("hex"),
  ms,
});

/**
 * Builds the package from source into a fresh staging directory and packs it, once per process (or
 * takes the tarball packed for the whole Jest run, when there is one).
 * The build never reads or writes the repository's dist/ (other tests use it concurrently, and a
 * stale file there must not reach the tarball); the tarball holds what `npm pack` in the repo would:
 * package.json, README.md, dist/ and the provider plugin's launcher and schema.
 */
export function packPackage(): Promise<PackedPackage> {
  packed ??= (async () => {
    const forRun = process.env[PACKED_FOR_RUN];
    if (forRun !== undefined && existsSync(forRun)) return describeTarball(forRun, 0);
    const tsc = require.resolve("typescript/bin/tsc", { paths: [REPO_ROOT] });
    return pack(async (stageDist) => {
      await run(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", stageDist], { cwd: REPO_ROOT });
    });
  })();
  packed.catch(() => (packed = undefined));
  return packed;
}

/**
 * Packs a build made a moment ago from scratch (Jest's dist setup, before any test can use it) instead
 * of compiling the sources a second time: the same tarball, one tsc run fewer.
 */
export const packBuiltPackage = (dist: string): Promise<PackedPackage> =>
  pack(async (stageDist) => cpSync(dist, stageDist, { recursive: true }));

/** Stages the package (`stageDist` fills its dist/) beside what package.json's `files` names, and packs it. */
async function pack(stageDist: (dir: string) => Promise<void>): Promise<PackedPackage> {
  const started = Date.now();
  const outDir = mkdtempSync(path.join(os.tmpdir(), "pulumi-kantata-pack-"));
  const stage = path.join(outDir, "package");
  await stageDist(path.join(stage, "dist"));
  // Besides dist/, what package.json's `files` names by path (the plugin's launcher and schema), and what npm always packs.
  const { files } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { files: string[] };
  for (const file of ["package.json", "README.md", "LICENSE", ...files.filter((entry) => !entry.startsWith("dist/"))]) {
    if (existsSync(path.join(REPO_ROOT, file))) cpSync(path.join(REPO_ROOT, file), path.join(stage, file));
  }
  // --ignore-scripts: prepack would rebuild into the staging directory's (absent) sources.
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", outDir, "--json"], { cwd: stage });
  const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
  return describeTarball(path.join(outDir, filename), Date.now() - started);
}
