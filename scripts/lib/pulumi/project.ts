/**
 * A stack of a directory program, driven by the real `pulumi` CLI as a child process: a local file
 * backend and PULUMI_HOME in a temporary directory, the stack created and its config set, as a user
 * does before `pulumi up`. Every run gets a process group of its own, so a test can SIGKILL the CLI
 * together with its language host, program and provider plugin, and then read what the kill left:
 * the backend's locks and the stack's pending operations.
 *
 *   const program = await createProgram({ templateDir, sdkVersion: "3.248.0" });
 *   const project = await openProject({ program, env: { KANTATA_BASE_URL: url, KANTATA_API_TOKEN: token } });
 *   await project.pulumi(["up", "--yes", "--skip-preview"]);
 *   assertNoChanges(await project.pulumi(["preview", "--json"]));
 *   await project.dispose();
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertLanguageHost, engineEnv, pulumiBinary } from "./cli";
import { type CliResult, describeFailure } from "./output";
import { killTree, processesWith, whenGone } from "./processes";
import type { Program } from "./program";

export interface RunOptions {
  /** Reject when the exit code is not 0 (default true). */
  check?: boolean;
  /** Default 180 s; the run's whole process tree is killed after it. */
  timeoutMs?: number;
  /** Extra environment for this run only. */
  env?: Record<string, string>;
}

export interface ProjectOptions {
  program: Program;
  /** Default "dev". */
  stackName?: string;
  /** Stack config set with `pulumi config set` before anything runs; secrets with `--secret`. */
  config?: Record<string, string | { value: string; secret: true }>;
  /** Extra environment for the CLI and its plugins, e.g. KANTATA_BASE_URL / KANTATA_API_TOKEN. */
  env?: Record<string, string>;
}

/** A resource of the exported state, or the resource of a pending operation, with the name the program gave it. */
export interface StateEntry {
  urn: string;
  type: string;
  name: string;
}

export interface ExportedState {
  resources: StateEntry[];
  /** `op` is the engine's operation type: "creating", "updating", "deleting", … */
  pending: Array<StateEntry & { op: string }>;
}

export interface Project {
  dir: string;
  stackName: string;
  /** The whole environment the CLI runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs `pulumi <args>` in the program directory (`--color=never` is added). */
  pulumi(args: string[], options?: RunOptions): Promise<CliResult>;
  /** Every CLI run so far, for timings and failure reports. */
  history: CliResult[];
  /** SIGKILLs the run in progress and every process below it; returns the pids killed ([] when none runs). */
  kill(): number[];
  /** SIGKILLs the CLI of the run in progress alone, as `kill -9 <pid>` does, leaving its plugins to notice; returns its pid. */
  killCli(): number | undefined;
  /** The live processes of this project: its CLI runs, language hosts, programs and plugins. */
  processes(): number[];
  /** The local backend's lock files (a killed run leaves one behind; `pulumi cancel` removes it). */
  locks(): string[];
  /**
   * Removes the local backend's empty `*.attrs` files and returns their names. The backend writes each
   * state file's metadata beside it by truncating and rewriting `<file>.attrs` (gocloud's fileblob); a kill
   * in between leaves it empty, and every later command fails with "failed to load checkpoint: EOF". A
   * missing `.attrs` is read as no metadata, so removing the empty one is the whole repair.
   */
  removeTornAttributes(): string[];
  /** The stack's state as `pulumi stack export` prints it: its resources, and the operations a killed run left pending. */
  exportState(): Promise<ExportedState>;
  /**
   * Destroys nothing: kills a run in progress, removes the state and PULUMI_HOME (not the program), and fails
   * if a process of the project outlived its run (killing it): a provider plugin left behind by a failed `up`
   * once spun a core at 3 GB for the rest of the suite (provider/runtime/outputClosed.ts).
   */
  dispose(): Promise<void>;
}

/** Variables of the parent process that would point the CLI or the provider elsewhere. */
const INHERITED_BLOCKLIST = /^(PULUMI_|KANTATA_)/;

/** How long dispose() lets a project's processes end after its last run. */
const LEFTOVER_GRACE_MS = 15_000;

/** The resource's name: the last `::` part of its URN. */
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

export async function openProject(options: ProjectOptions): Promise<Project> {
  const { program } = options;
  const stackName = options.stackName ?? "dev";
  const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-kantata-state-"));
  const backendDir = path.join(work, "state");
  mkdirSync(backendDir);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_BLOCKLIST.test(name)));
  const pulumiHome = path.join(work, "home");
  const engine = engineEnv({ backendDir, pulumiHome, nodeBinDir: program.nodeBinDir });
  assertLanguageHost(engine, program.runtime);
  const env: NodeJS.ProcessEnv = { ...inherited, ...engine, ...options.env };
  const history: CliResult[] = [];
  let running: ChildProcess | undefined;

  const pulumi = (args: string[], runOptions: RunOptions = {}): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      // detached: a process group of its own, which kill() takes down with everything below it.
      const child = spawn(pulumiBinary(), [...args, "--color=never"], {
        cwd: program.dir,
        env: { ...env, ...runOptions.env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      running = child;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const both: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => (out.push(chunk), both.push(chunk)));
      child.stderr.on("data", (chunk: Buffer) => (err.push(chunk), both.push(chunk)));
      const timer = setTimeout(() => child.pid !== undefined && killTree(child.pid), runOptions.timeoutMs ?? 180_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        if (running === child) running = undefined;
        const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString();
        const result: CliResult = { args, stdout: text(out), stderr: text(err), output: text(both), code, signal, ms: Date.now() - started };
        history.push(result);
        if ((runOptions.check ?? true) && code !== 0) reject(new Error(describeFailure(result)));
        else resolve(result);
      });
    });

  await pulumi(["stack", "init", stackName]);
  for (const [key, setting] of Object.entries(options.config ?? {})) {
    const secret = typeof setting !== "string";
    await pulumi(["config", "set", key, secret ? setting.value : setting, ...(secret ? ["--secret"] : [])]);
  }

  const kill = () => (running?.pid === undefined ? [] : killTree(running.pid));
  // Every process of this project inherited its own PULUMI_HOME, which no other project shares.
  const processes = () => processesWith(`PULUMI_HOME=${pulumiHome}`);
  return {
    dir: program.dir,
    stackName,
    env,
    pulumi,
    history,
    kill,
    killCli: () => {
      const pid = running?.pid;
      if (pid !== undefined) process.kill(pid, "SIGKILL");
      return pid;
    },
    processes,
    locks: () => {
      const locksDir = path.join(backendDir, ".pulumi", "locks");
      return existsSync(locksDir) ? readdirSync(locksDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")) : [];
    },
    removeTornAttributes: () => {
      const pulumiDir = path.join(backendDir, ".pulumi");
      if (!existsSync(pulumiDir)) return [];
      const torn = readdirSync(pulumiDir, { recursive: true, encoding: "utf8" }).filter(
        (f) => f.endsWith(".attrs") && statSync(path.join(pulumiDir, f)).size === 0,
      );
      for (const f of torn) rmSync(path.join(pulumiDir, f));
      return torn;
    },
    exportState: async () => {
      const { stdout } = await pulumi(["stack", "export"]);
      const { deployment } = JSON.parse(stdout) as {
        deployment: {
          resources?: Array<{ urn: string; type: string }>;
          pending_operations?: Array<{ type: string; resource: { urn: string; type: string } }>;
        };
      };
      return {
        resources: (deployment.resources ?? []).map(({ urn, type }) => ({ urn, type, name: nameOf(urn) })),
        pending: (deployment.pending_operations ?? []).map(({ type: op, resource: { urn, type } }) => ({ op, urn, type, name: nameOf(urn) })),
      };
    },
    dispose: async () => {
      kill();
      // A plugin may take a moment to end after its CLI.
      const left = await whenGone(processes, Date.now() + LEFTOVER_GRACE_MS, 250);
      for (const pid of left) killTree(pid);
      rmSync(work, { recursive: true, force: true });
      if (left.length > 0) throw new Error(`${left.length} process(es) of the project outlived their run: ${left.join(", ")} (killed now)`);
    },
  };
}
