/**
 * A stack whose program is a function of the calling process, driven by the real Pulumi CLI through the
 * Automation API: local file backend, passphrase secrets, no update checks. Each stack's directory holds
 * its own copy of the built package, which is what the dynamic-provider plugin loads — so a test can
 * "upgrade" the provider in place.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { installBuiltPackage } from "./builtPackage";
import { engineEnv, pulumiBinary, pulumiCommand } from "./cli";
import { newWorkDir } from "./paths";

export interface EngineStackOptions {
  program: PulumiFn;
  baseUrl: string;
  /** None: the provider finds no token (or, for a real account, the one in the plugin's inherited environment). */
  token?: string;
  /** Where the provider finds the token: stack config (as a secret) or the plugin's environment. */
  tokenVia: "config" | "env";
  /** Extra environment for the CLI and the plugin it starts. */
  envVars?: Record<string, string>;
  /** A directory kept from run to run (the demo's); default: a new one under .e2e-work that dispose() removes. */
  dir?: string;
  /** Default "e2e". */
  stackName?: string;
  /** Default "kantata-e2e". */
  projectName?: string;
  /**
   * false: `stack.up()` returns no outputs, and `stack.outputs()` answers `{}`. The Automation API reads the
   * outputs after every `up` with two `pulumi stack output` runs (about 1 s of CPU), which a stack whose
   * outputs nobody reads need not pay for. Default true.
   */
  readOutputs?: boolean;
}

export interface EngineStack {
  stack: Stack;
  /** The program's directory; its node_modules/pulumi-kantata is a copy of the built package. */
  workDir: string;
  /** What `pulumi stack export` prints (no --show-secrets), plus the raw state files of the backend. */
  stateTexts(): Promise<string[]>;
  /** Removes the stack with its directory (not the demo's, which is never disposed). */
  dispose(): Promise<void>;
}

export async function createEngineStack(options: EngineStackOptions): Promise<EngineStack> {
  const workDir = options.dir ?? newWorkDir("stack");
  const stackName = options.stackName ?? "e2e";
  const projectName = options.projectName ?? "kantata-e2e";
  installBuiltPackage(workDir);
  const backendDir = path.join(workDir, "state");
  mkdirSync(backendDir, { recursive: true });
  const env = engineEnv({ backendDir, pulumiHome: path.join(workDir, "pulumi-home") });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName, program: options.program },
    {
      workDir,
      pulumiCommand: await pulumiCommand(),
      envVars: {
        ...env,
        KANTATA_BASE_URL: options.baseUrl,
        ...(options.tokenVia === "env" && options.token !== undefined && { KANTATA_API_TOKEN: options.token }),
        ...options.envVars,
      },
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: env.PULUMI_BACKEND_URL } },
    },
  );
  if (options.readOutputs === false) stack.outputs = async () => ({});
  if (options.tokenVia === "config" && options.token !== undefined) {
    await stack.setConfig("kantata:apiToken", { value: options.token, secret: true });
  }
  return {
    stack,
    workDir,
    stateTexts: async () => {
      const { stdout } = await promisify(execFile)(pulumiBinary(), ["stack", "export", "--stack", stackName], {
        cwd: workDir,
        env: { ...process.env, ...env },
      });
      const stateFiles = readdirSync(backendDir, { recursive: true, encoding: "utf8" })
        .map((file) => path.join(backendDir, file))
        .filter((file) => file.endsWith(".json"));
      return [stdout, ...stateFiles.map((file) => readFileSync(file, "utf8"))];
    },
    // The backend and PULUMI_HOME live in the directory: removing it removes the stack.
    dispose: async () => rmSync(workDir, { recursive: true, force: true }),
  };
}

/** Output collector for up/preview/refresh/destroy, so failures show the engine's own words. */
export function collectOutput(): { onOutput: (text: string) => void; text: () => string } {
  const chunks: string[] = [];
  return { onOutput: (text) => chunks.push(text), text: () => chunks.join("") };
}
