import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT, engineEnv, pulumiCliDir, pulumiCommand } from "./pulumiCli";

/** Work directories live inside the repo so the plugin (cwd = program dir) resolves node_modules by walking up. */
const WORK_ROOT = path.join(REPO_ROOT, ".e2e-work");

export interface EngineStackOptions {
  program: PulumiFn;
  baseUrl: string;
  token: string;
  /** Where the provider finds the token: stack config (as a secret) or the plugin's environment. */
  tokenVia: "config" | "env";
  /** Extra environment for the CLI and the plugin it starts. */
  envVars?: Record<string, string>;
}

export interface EngineStack {
  stack: Stack;
  /** The program's directory; its node_modules/pulumi-kantata is a copy of the built package. */
  workDir: string;
  /** What `pulumi stack export` prints (no --show-secrets), plus the raw state files of the backend. */
  stateTexts(): Promise<string[]>;
  dispose(): Promise<void>;
}

/**
 * A stack driven by the real Pulumi CLI through the Automation API: local file backend, passphrase
 * secrets, no update checks. Each stack's program directory holds its own copy of the built package,
 * which is what the dynamic-provider plugin loads — so a test can "upgrade" the provider in place.
 */
export async function createEngineStack(options: EngineStackOptions): Promise<EngineStack> {
  const cliDir = pulumiCliDir();
  mkdirSync(WORK_ROOT, { recursive: true });
  const workDir = mkdtempSync(path.join(WORK_ROOT, "stack-"));
  const packageCopy = path.join(workDir, "node_modules", "pulumi-kantata");
  mkdirSync(packageCopy, { recursive: true });
  cpSync(path.join(REPO_ROOT, "package.json"), path.join(packageCopy, "package.json"));
  cpSync(path.join(REPO_ROOT, "dist"), path.join(packageCopy, "dist"), { recursive: true });
  symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(workDir, "node_modules", "@pulumi"));

  const backendDir = path.join(workDir, "state");
  mkdirSync(backendDir);
  const env = engineEnv({ backendDir, pulumiHome: path.join(workDir, "home") });
  const projectName = "kantata-e2e";
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "e2e", projectName, program: options.program },
    {
      workDir,
      pulumiCommand: await pulumiCommand(),
      envVars: {
        ...env,
        KANTATA_BASE_URL: options.baseUrl,
        ...(options.tokenVia === "env" && { KANTATA_API_TOKEN: options.token }),
        ...options.envVars,
      },
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: env.PULUMI_BACKEND_URL } },
    },
  );
  if (options.tokenVia === "config") {
    await stack.setConfig("kantata:apiToken", { value: options.token, secret: true });
  }
  return {
    stack,
    workDir,
    stateTexts: async () => {
      const { stdout } = await promisify(execFile)(path.join(cliDir, "pulumi"), ["stack", "export", "--stack", "e2e"], {
        cwd: workDir,
        env: { ...process.env, ...env },
      });
      const stateFiles = readdirSync(backendDir, { recursive: true, encoding: "utf8" })
        .map((file) => path.join(backendDir, file))
        .filter((file) => file.endsWith(".json"));
      return [stdout, ...stateFiles.map((file) => readFileSync(file, "utf8"))];
    },
    dispose: async () => {
      await stack.workspace.removeStack("e2e", { force: true }).catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Output collector for up/preview/refresh/destroy, so failures show the engine's own words. */
export function collectOutput(): { onOutput: (text: string) => void; text: () => string } {
  const chunks: string[] = [];
  return { onOutput: (text) => chunks.push(text), text: () => chunks.join("") };
}
