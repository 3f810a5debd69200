/**
 * The Pulumi CLI, its plugins and the environment every engine run gets: the one place that finds the
 * CLI and builds PATH and the PULUMI_* variables, for inline stacks, directory projects, the bench and
 * the demo alike.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "./paths";

/** Where `npm run setup:pulumi` builds the CLI and puts the plugins it lacks. */
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
 * A missing CLI is an error, never a reason to skip: CI must run the end-to-end suites.
 */
export function pulumiCliDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [...(env.PATH ?? "").split(path.delimiter).filter(Boolean), BUILT_CLI_DIR];
  const found = candidates.find((dir) => isExecutable(path.join(dir, "pulumi")));
  if (!found) throw new Error("No Pulumi CLI found on PATH or in .pulumi-cli/bin. Run `npm run setup:pulumi` first.");
  return found;
}

export const pulumiBinary = (): string => path.join(pulumiCliDir(), "pulumi");

let command: Promise<PulumiCommand> | undefined;

/** The Automation API's handle on that CLI, made once per process (it runs `pulumi version`). */
export function pulumiCommand(): Promise<PulumiCommand> {
  command ??= PulumiCommand.get({ root: path.dirname(pulumiCliDir()), skipVersionCheck: true });
  command.catch(() => (command = undefined));
  return command;
}

/** Where `pulumi-resource-pulumi-nodejs`, the dynamic-provider plugin, ships: inside @pulumi/pulumi. */
export function dynamicProviderPluginDir(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }));
}

/** The folder of the package's provider plugin launcher, `bin/pulumi-resource-kantata`. */
export const KANTATA_PLUGIN_DIR = path.join(REPO_ROOT, "bin");

/** The environment under which the engine finds the kantata plugin on PATH, as after `pulumi plugin install`. */
export const kantataPluginOnPath = (): { PATH: string } => ({ PATH: `${KANTATA_PLUGIN_DIR}${path.delimiter}${process.env.PATH ?? ""}` });

/** The `runtime` of the directory programs we run, and the language host each needs. */
const LANGUAGE_HOSTS = { nodejs: "pulumi-language-nodejs", yaml: "pulumi-language-yaml" } as const;
export type Runtime = keyof typeof LANGUAGE_HOSTS;
export const isRuntime = (name: string): name is Runtime => Object.hasOwn(LANGUAGE_HOSTS, name);

/**
 * PATH for the CLI: `nodeBinDir` (another Node) first when given, then the CLI's own directory.
 * `npm run setup:pulumi` puts the language hosts and pulumi-resource-pulumi-nodejs next to the CLI,
 * where it looks before PATH and without the "warning: using … from $PATH" it prints for plugins found
 * on PATH. Only a CLI that lacks them (one on PATH that we may not write next to) gets the fallbacks: the
 * plugin inside @pulumi/pulumi and the language hosts that setup put into .pulumi-cli/bin.
 */
function enginePath(nodeBinDir: string | undefined): string {
  const cliDir = pulumiCliDir();
  const dirs = [...(nodeBinDir ? [nodeBinDir] : []), cliDir];
  if (!isExecutable(path.join(cliDir, "pulumi-resource-pulumi-nodejs"))) dirs.push(dynamicProviderPluginDir());
  const lacksHost = Object.values(LANGUAGE_HOSTS).some((host) => !isExecutable(path.join(cliDir, host)));
  if (lacksHost && cliDir !== BUILT_CLI_DIR) dirs.push(BUILT_CLI_DIR);
  return [...dirs, process.env.PATH ?? ""].join(path.delimiter);
}

/** Directory projects need their runtime's language host; inline programs (the Automation API) do not. */
export function assertLanguageHost(env: Record<string, string>, runtime: Runtime): void {
  const host = LANGUAGE_HOSTS[runtime];
  const dirs = env.PATH.split(path.delimiter).filter(Boolean);
  if (!dirs.some((dir) => isExecutable(path.join(dir, host)))) {
    throw new Error(`No ${host} next to the Pulumi CLI, in .pulumi-cli/bin or on PATH. Run \`npm run setup:pulumi\` first.`);
  }
}

export interface EngineEnvOptions {
  /** Directory for the local (file://) state backend. */
  backendDir: string;
  /** Directory for PULUMI_HOME, so runs never touch the user's ~/.pulumi. */
  pulumiHome: string;
  /** Directory holding another `node`, put first on PATH (the compat suite's Node 22). */
  nodeBinDir?: string;
}

/** Secrets in these throwaway stacks are encrypted with a fixed passphrase: the stacks are local and temporary. */
const PASSPHRASE = "local-engine-passphrase";

/** Environment for a non-interactive engine run with a local backend and the plugins found. */
export function engineEnv(options: EngineEnvOptions): Record<string, string> {
  return {
    PATH: enginePath(options.nodeBinDir),
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_HOME: options.pulumiHome,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
}
