/**
 * The repository's own Pulumi project: the root Pulumi.yaml, whose program is examples/demo. Its plugin
 * finds the package the way a user's does, next to the program: a copy of the built package in
 * examples/demo/node_modules (git-ignored). Its state stays in `stateDir` (the demo's: .demo/).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { installBuiltPackage } from "./builtPackage";
import { engineEnv, pulumiCliDir, pulumiCommand } from "./cli";
import { REPO_ROOT } from "./paths";

export interface RootProject {
  stack: Stack;
  /** The environment of every run: the state backend and PULUMI_HOME under stateDir, the CLI, the account. */
  env: Record<string, string>;
  /** Shell lines that run `pulumi preview` at the root with this environment. */
  previewCommand: string;
}

export async function openRootProject(options: { stateDir: string; stackName: string; baseUrl: string; token?: string }): Promise<RootProject> {
  installBuiltPackage(path.join(REPO_ROOT, "examples", "demo"));
  mkdirSync(path.join(options.stateDir, "state"), { recursive: true });
  const env = {
    ...engineEnv({ backendDir: path.join(options.stateDir, "state"), pulumiHome: path.join(options.stateDir, "pulumi-home") }),
    KANTATA_BASE_URL: options.baseUrl,
    ...(options.token !== undefined && { KANTATA_API_TOKEN: options.token }),
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: options.stackName, workDir: REPO_ROOT },
    { pulumiCommand: await pulumiCommand(), envVars: env },
  );
  const exported = ["PULUMI_BACKEND_URL", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "KANTATA_BASE_URL", "KANTATA_API_TOKEN"]
    .filter((name) => name in env)
    .map((name) => `${name}='${env[name as keyof typeof env]}'`);
  const previewCommand = `export PATH="${pulumiCliDir()}:$PATH" ${exported.join(" ")}\npulumi preview --stack ${options.stackName}`;
  return { stack, env, previewCommand };
}
