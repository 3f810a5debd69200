import { accessSync, constants } from "node:fs";
import path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

/** The repository root (this file lives in scripts/lib). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const BUILT_CLI_DIR = path.join(REPO_ROOT, ".pulumi-cli", "bin");

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory holding the `pulumi` binary: PATH first, then the one `npm run setup:pulumi` built.
 * A missing CLI is an error, never a reason to skip: CI must run the end-to-end suite.
 */
export function pulumiCliDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [...(env.PATH ?? "").split(path.delimiter).filter(Boolean), BUILT_CLI_DIR];
  const found = candidates.find((dir) => isExecutable(path.join(dir, "pulumi")));
  if (!found) throw new Error("No Pulumi CLI found on PATH or in .pulumi-cli/bin. Run `npm run setup:pulumi` first.");
  return found;
}

/** The Automation API's handle on that CLI. */
export function pulumiCommand(): Promise<PulumiCommand> {
  return PulumiCommand.get({ root: path.dirname(pulumiCliDir()), skipVersionCheck: true });
}

/** Where `pulumi-resource-pulumi-nodejs`, the dynamic-provider plugin, ships: inside @pulumi/pulumi. */
export function dynamicProviderPluginDir(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }));
}

export interface EngineEnvOptions {
  /** Directory for the local (file://) state backend. */
  backendDir: string;
  /** Directory for PULUMI_HOME, so runs never touch the user's ~/.pulumi. */
  pulumiHome: string;
  passphrase?: string;
}

/**
 * PATH for the CLI: its own directory first. `npm run setup:pulumi` puts pulumi-language-nodejs and
 * pulumi-resource-pulumi-nodejs next to the CLI, where it looks before PATH and without the
 * "warning: using … from $PATH" it prints for plugins found on PATH. Only a CLI that lacks them
 * (one on PATH that we may not write next to) gets the fallbacks: the plugin inside @pulumi/pulumi
 * and the language host that setup unpacked into .pulumi-cli/bin.
 */
export function enginePath(basePath: string = process.env.PATH ?? ""): string {
  const cliDir = pulumiCliDir();
  const dirs = [cliDir];
  if (!isExecutable(path.join(cliDir, "pulumi-resource-pulumi-nodejs"))) dirs.push(dynamicProviderPluginDir());
  if (!isExecutable(path.join(cliDir, "pulumi-language-nodejs")) && cliDir !== BUILT_CLI_DIR) dirs.push(BUILT_CLI_DIR);
  return [...dirs, basePath].join(path.delimiter);
}

/** Environment for a non-interactive engine run with a local backend and the plugins found. */
export function engineEnv(options: EngineEnvOptions): Record<string, string> {
  return {
    PATH: enginePath(),
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_HOME: options.pulumiHome,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "local-demo-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
}
