/**
 * `npm run package:plugin [-- --out DIR]`: the `kantata` provider plugin as one archive,
 * pulumi-resource-kantata-v<version>-linux-amd64.tar.gz, for
 *
 *     pulumi plugin install resource kantata <version> --file pulumi-resource-kantata-v<version>-linux-amd64.tar.gz
 *
 * The archive is the packed npm package with its production dependencies installed beside it (the
 * Pulumi Node.js SDK pinned to the version this repository is built and tested with) and the launcher
 * at its top, where Pulumi looks for `pulumi-resource-kantata`. Its one requirement is Node.js 20 or
 * newer on PATH. The code is the same for every platform; the name says linux-amd64 because that is
 * where it is built and tested.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { packPackage } from "./lib/pulumi/packedPackage";
import { REPO_ROOT } from "./lib/pulumi/paths";

const run = promisify(execFile);

export interface PluginArchive {
  file: string;
  version: string;
}

export async function packagePlugin(outDir: string): Promise<PluginArchive> {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    version: string;
    devDependencies: Record<string, string>;
  };
  const { version } = manifest;
  const { tarball } = await packPackage();
  const stage = mkdtempSync(path.join(os.tmpdir(), "pulumi-resource-kantata-"));
  try {
    await run("tar", ["-xzf", tarball, "-C", stage, "--strip-components=1"]);
    // In a program the SDK is the package's peer; in the plugin it is a dependency, pinned to the version this
    // repository is tested with (newer ones may need a newer Node.js).
    const staged = path.join(stage, "package.json");
    const pkg = JSON.parse(readFileSync(staged, "utf8")) as {
      dependencies: Record<string, string>;
      peerDependencies?: object;
      devDependencies?: object;
    };
    pkg.dependencies["@pulumi/pulumi"] = manifest.devDependencies["@pulumi/pulumi"];
    delete pkg.peerDependencies;
    delete pkg.devDependencies; // npm would count the SDK as a development dependency, and leave it out
    writeFileSync(staged, JSON.stringify(pkg, null, 2));
    await run("npm", ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: stage });
    copyFileSync(path.join(stage, "bin", "pulumi-resource-kantata"), path.join(stage, "pulumi-resource-kantata"));
    mkdirSync(outDir, { recursive: true });
    const file = path.join(path.resolve(outDir), `pulumi-resource-kantata-v${version}-linux-amd64.tar.gz`);
    await run("tar", ["-czf", file, "-C", stage, "."]);
    return { file, version };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const at = process.argv.indexOf("--out");
  const outDir = at >= 0 ? process.argv[at + 1] : REPO_ROOT;
  packagePlugin(outDir ?? REPO_ROOT).then(
    ({ file, version }) => console.log(`${file}\ninstall with: pulumi plugin install resource kantata ${version} --file ${file}`),
    (error: unknown) => {
      console.error(`package:plugin failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
