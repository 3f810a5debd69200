import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Where the browser test finds Chromium: $CHROMIUM_PATH, else chromium (Debian's package),
 * chromium-browser or google-chrome on PATH. Where none is found and this is a Debian-like machine on
 * which we are root, it installs Debian's `chromium` package (as `.ci/run` does before the tests);
 * playwright's own browser download is never used. Returns the path, or why there is none.
 */
export function findOrInstallChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { reason: string } {
  const found = findChromium(env);
  if (found) return { path: found };
  const apt = onPath("apt-get", env);
  if (apt === undefined)
    return { reason: "no Chromium found (set CHROMIUM_PATH, or install Debian's chromium package), and no apt-get to install one" };
  if (process.getuid?.() !== 0)
    return { reason: "no Chromium found, and not root to `apt-get install chromium` (set CHROMIUM_PATH to a Chromium)" };
  try {
    const options = { stdio: "ignore" as const, timeout: 600_000, env: { ...env, DEBIAN_FRONTEND: "noninteractive" } };
    execFileSync(apt, ["update", "-q"], options);
    execFileSync(apt, ["install", "-y", "-q", "chromium"], options);
  } catch (error) {
    return { reason: `no Chromium found, and \`apt-get install chromium\` failed: ${(error as Error).message.split("\n")[0]}` };
  }
  const installed = findChromium(env);
  return installed ? { path: installed } : { reason: "`apt-get install chromium` succeeded but no chromium binary is on PATH" };
}

function findChromium(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CHROMIUM_PATH && executable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const path = onPath(name, env);
    if (path) return path;
  }
  return undefined;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(executable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The flags the brief of this test asks for: headless, no sandbox (root in CI), and nothing that reaches the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
