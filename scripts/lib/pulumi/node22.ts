/** The pinned Node 22 the compat suite runs programs under (scripts/setup-node22.sh installs it on first use). */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./paths";

const run = promisify(execFile);

/** Keep in step with NODE22_VERSION in scripts/setup-node22.sh; node22BinDir() fails when they differ. */
export const NODE22_VERSION = "22.23.3";

/** The `bin` directory of the pinned Node 22. */
export async function node22BinDir(): Promise<string> {
  const { stdout } = await run("bash", [path.join(REPO_ROOT, "scripts", "setup-node22.sh")], { cwd: REPO_ROOT });
  const binDir = stdout.trim().split("\n").pop()!;
  const version = (await run(path.join(binDir, "node"), ["--version"])).stdout.trim();
  if (version !== `v${NODE22_VERSION}`) {
    throw new Error(
      `scripts/setup-node22.sh installed Node ${version}, but scripts/lib/pulumi/node22.ts pins v${NODE22_VERSION}: make them agree.`,
    );
  }
  return binDir;
}
