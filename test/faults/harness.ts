// A small, self-contained harness for the fault suite: a sandbox we can fault, stop and restart, and a
// DIRECTORY Pulumi project driven by the real CLI as a child process of our own (its own process group),
// so a test can SIGKILL the CLI together with its language host, program and provider plugin.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import { type BulkPolicy, type Sandbox, startSandbox } from "../../sandbox";
import { REPO_ROOT, dynamicProviderPluginDir, pulumiCliDir } from "../../scripts/lib/pulumiCli";

export const TOKEN = "tok-faults-3b9e-do-not-leak";
export const GROUPS = { emea: 5521, amer: 5522, finance: 5523 } as const;
const WORK_ROOT = path.join(REPO_ROOT, ".e2e-work");
/** Where each test records its row of the reliability table; scripts/faultsReport.ts renders them. */
export const ROWS_DIR = path.join(WORK_ROOT, "faults-rows");
const STACK = "faults";

/** The sandbox plus request-level evidence: every POST to the memberships endpoint and its status. */
export class FaultSandbox {
  sandbox!: Sandbox;
  posts: Array<{ status?: number }> = [];
  /** Called at the arrival of every membership POST, with its 1-based number, before it is handled. */
  onPost?: (n: number) => void;
  deletes = 0;
  /** Called at the arrival of every membership DELETE, with its 1-based number. */
  onDelete?: (n: number) => void;

  private constructor(private readonly options: { dataDir?: string; latencyMs: number; bulkPolicy: BulkPolicy }) {}

  static async start(options: { dataDir?: string; latencyMs?: number; bulkPolicy?: BulkPolicy } = {}): Promise<FaultSandbox> {
    const box = new FaultSandbox({ latencyMs: 5, bulkPolicy: "all-or-nothing", ...options });
    await box.listen(0);
    return box;
  }

  private async listen(port: number): Promise<void> {
    this.sandbox = await startSandbox({
      port,
      token: TOKEN,
      dataDir: this.options.dataDir,
      latencyMs: this.options.latencyMs,
      bulkPolicy: this.options.bulkPolicy,
      wrapListener: (inner) => (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (req.method === "POST" && (req.url ?? "").startsWith("/api/v1/user_group_memberships")) {
          const post: { status?: number } = {};
          this.posts.push(post);
          res.once("finish", () => (post.status = res.statusCode));
          this.onPost?.(this.posts.length);
        } else if (req.method === "DELETE") {
          this.onDelete?.(++this.deletes);
        }
        inner(req, res);
      },
    });
  }

  /** Stops the server (dropping every connection) and starts it again on the same port and data directory. */
  async restart(downMs: number): Promise<void> {
    const { port } = this.sandbox;
    await this.sandbox.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.listen(port);
  }

  get store() {
    return this.sandbox.store;
  }

  /** User ids in a group, ascending, one entry per membership (a duplicate would show twice). */
  membersOf(groupId: number): number[] {
    return this.store
      .listMemberships()
      .filter((m) => m.workspaceGroupId === groupId)
      .map((m) => m.userId)
      .sort((a, b) => a - b);
  }

  stop(): Promise<void> {
    return this.sandbox.stop();
  }
}

/** What the program declares; written to decl.json, which the project's index.js reads. */
export interface Declaration {
  groups: Array<{ name: string; group: string | number; members: Array<string | number>; mode?: "additive" | "authoritative" }>;
  memberships: Array<{ name: string; user: string | number; group: string | number; adoptExisting?: boolean }>;
}

/** The resource types the engine records for the package's two resources (a dynamic resource's type is pulumi-nodejs:dynamic/<module>:<name>). */
export const TYPES = {
  membership: "pulumi-nodejs:dynamic/kantata:UserGroupMembership",
  group: "pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers",
} as const;

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

/** The resource's name: the last `::` part of its URN. */
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

const PROGRAM = `"use strict";
const { UserGroupMembership, WorkspaceGroupMembers } = require("pulumi-kantata");
const decl = require("./decl.json");
for (const g of decl.groups) new WorkspaceGroupMembers(g.name, { group: g.group, members: g.members, mode: g.mode });
for (const m of decl.memberships) new UserGroupMembership(m.name, { user: m.user, group: m.group, adoptExisting: m.adoptExisting });
`;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  ms: number;
}

/** The Node.js language host for directory projects, unpacked once into a git-ignored directory. */
function languageHostDir(): string {
  const dir = path.join(WORK_ROOT, "faults-bin");
  const installer = path.resolve(REPO_ROOT, "..", "shared", "tools", "pulumi-language-nodejs", "install.sh");
  // An official CLI install ships the host next to `pulumi`; this repo's built CLI does not, hence the installer.
  const searched = [...(process.env.PATH ?? "").split(path.delimiter), pulumiCliDir(), dir];
  if (searched.some((d) => d && existsSync(path.join(d, "pulumi-language-nodejs")))) return dir;
  if (!existsSync(installer)) throw new Error(`No pulumi-language-nodejs on PATH, next to the Pulumi CLI, or installer at ${installer}.`);
  execFileSync("bash", [installer, dir], { stdio: "inherit" });
  return dir;
}

/** A Pulumi directory project (Pulumi.yaml + index.js) with a local file backend, run by the real CLI. */
export class DirProject {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  private child?: ChildProcess;

  constructor(baseUrl: string, extraEnv: Record<string, string> = {}) {
    mkdirSync(WORK_ROOT, { recursive: true });
    this.dir = mkdtempSync(path.join(WORK_ROOT, "faults-"));
    mkdirSync(path.join(this.dir, "state"));
    writeFileSync(path.join(this.dir, "Pulumi.yaml"), "name: kantata-faults\nruntime: nodejs\nmain: index.js\n");
    writeFileSync(path.join(this.dir, "index.js"), PROGRAM);
    this.env = {
      ...process.env,
      PATH: [languageHostDir(), pulumiCliDir(), dynamicProviderPluginDir(), process.env.PATH ?? ""].join(path.delimiter),
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
      PULUMI_HOME: path.join(this.dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "faults-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      KANTATA_BASE_URL: baseUrl,
      KANTATA_API_TOKEN: TOKEN,
      ...extraEnv,
    };
  }

  declare(declaration: Declaration): void {
    writeFileSync(path.join(this.dir, "decl.json"), JSON.stringify(declaration));
  }

  async init(): Promise<void> {
    const result = await this.run(["stack", "init"]);
    if (result.code !== 0) throw new Error(`pulumi stack init failed:\n${result.output}`);
  }

  /** Runs the CLI in its own process group (detached), so kill() takes its plugins down with it. */
  run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    const started = Date.now();
    const child = spawn(path.join(pulumiCliDir(), "pulumi"), [...args, "--non-interactive", "--stack", STACK], {
      cwd: this.dir,
      env: { ...this.env, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const chunks: string[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => chunks.push(d.toString()));
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => {
        if (this.child === child) this.child = undefined;
        resolve({ code, signal, output: chunks.join(""), ms: Date.now() - started });
      });
    });
  }

  up(env?: Record<string, string>): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", "--parallel", "32"], env);
  }

  destroy(env?: Record<string, string>): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview", "--parallel", "32"], env);
  }

  /**
   * SIGKILL for the CLI and every process below it: the language host, the program and the provider
   * plugin. The CLI starts each plugin in a process group of its own (Setpgid), so killing the CLI's
   * group alone would leave the plugins running; every descendant is found in /proc and killed with its group.
   * Returns the pids killed.
   */
  kill(): number[] {
    const pid = this.child?.pid;
    if (pid === undefined) return [];
    const pids = [pid, ...descendantsOf(pid)];
    for (const p of pids) {
      for (const target of [-p, p]) {
        try {
          process.kill(target, "SIGKILL");
        } catch {
          // already gone, or not a group leader
        }
      }
    }
    return pids;
  }

  /** The local backend's lock files for the stack (a killed CLI leaves one behind). */
  locks(): string[] {
    const locksDir = path.join(this.dir, "state", ".pulumi", "locks");
    return existsSync(locksDir) ? readdirSync(locksDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")) : [];
  }

  /** The plan of a preview: the ops it would run besides "same". */
  async previewChanges(): Promise<{ changes: Record<string, number>; result: RunResult }> {
    const result = await this.run(["preview", "--json", "--parallel", "32"]);
    if (result.code !== 0) throw new Error(`pulumi preview failed:\n${result.output.slice(-4000)}`);
    const parsed = JSON.parse(result.output.slice(result.output.indexOf("{"))) as { changeSummary?: Record<string, number> };
    const changes = Object.fromEntries(Object.entries(parsed.changeSummary ?? {}).filter(([op, n]) => op !== "same" && n > 0));
    return { changes, result };
  }

  /** The stack's state as `pulumi stack export` prints it: its resources, and the operations a killed run left pending. */
  async exportState(): Promise<ExportedState> {
    const result = await this.run(["stack", "export"]);
    if (result.code !== 0) throw new Error(`pulumi stack export failed:\n${result.output}`);
    const { deployment } = JSON.parse(result.output) as {
      deployment: {
        resources?: Array<{ urn: string; type: string }>;
        pending_operations?: Array<{ type: string; resource: { urn: string; type: string } }>;
      };
    };
    const resources = (deployment.resources ?? []).map(({ urn, type }) => ({ urn, type, name: nameOf(urn) }));
    const pending = (deployment.pending_operations ?? []).map(({ type: op, resource: { urn, type } }) => ({ op, urn, type, name: nameOf(urn) }));
    return { resources, pending };
  }

  /** The pids among these that are still alive (zombies count as dead). */
  static alive(pids: number[]): number[] {
    return pids.filter((p) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, "utf8"));
      } catch {
        return false;
      }
    });
  }

  dispose(): void {
    this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every process below `pid`, from /proc (Linux). */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (found.push(c), walk(c)));
  walk(pid);
  return found;
}

/** Runs `up` until it succeeds, at most `max` times; returns how many runs it took and their results. */
export async function upUntilConverged(
  project: DirProject,
  max = 2,
  env?: Record<string, string>,
): Promise<{ runs: number; results: RunResult[] }> {
  const results: RunResult[] = [];
  for (let i = 0; i < max; i++) {
    const result = await project.up(env);
    results.push(result);
    if (result.code === 0) return { runs: i + 1, results };
  }
  throw new Error(`pulumi up failed ${max} times; last output:\n${results[results.length - 1].output.slice(-6000)}`);
}

/** One row of the reliability table. */
export interface ReportRow {
  order: number;
  fault: string;
  ups: number;
  outcome: string;
  seconds: number;
  /** Listed under the table (e.g. one line per trial). */
  details?: string[];
}

export function recordRow(id: string, row: ReportRow): void {
  mkdirSync(ROWS_DIR, { recursive: true });
  writeFileSync(path.join(ROWS_DIR, `${id}.json`), JSON.stringify(row, null, 2));
}

export const fmt = (n: number): string => n.toLocaleString("en-US");
