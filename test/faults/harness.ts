// The fault suite's fixtures: a sandbox we can fault, stop and restart, and a directory project of the
// program next to this file (test/faults/program), driven by the real CLI through the Pulumi harness
// (scripts/lib/pulumi), whose runs a test can SIGKILL together with their language host and plugins.
import { writeFileSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import { type BulkPolicy, type Sandbox, startSandbox } from "../../sandbox";
import {
  type CliResult,
  type ExportedState,
  type Program,
  type Project,
  createProgram,
  openProject,
  plannedChanges,
} from "../../scripts/lib/pulumi";

export { type ReportRow, recordRow } from "../../scripts/lib/reliabilityRows";
export { alive, whenGone } from "../../scripts/lib/pulumi";
export type { CliResult, ExportedState };

export const TOKEN = "tok-faults-3b9e-do-not-leak";
export const GROUPS = { emea: 5521, amer: 5522, finance: 5523 } as const;

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

/** Flags of every run: parallelism well above the engine's default, so single memberships coalesce. */
const PARALLEL = ["--parallel", "32"];
/** Faulted runs of large stacks take minutes; the jest timeout of each test bounds them. */
const RUN_TIMEOUT_MS = 600_000;

/** A stack of the fault suite's program (test/faults/program, with a copy of the built package) on its own backend. */
export class FaultProject {
  private constructor(
    private readonly program: Program,
    private readonly project: Project,
  ) {}

  static async open(baseUrl: string, extraEnv: Record<string, string> = {}): Promise<FaultProject> {
    const program = await createProgram({ templateDir: path.join(__dirname, "program"), install: "built" });
    const project = await openProject({
      program,
      stackName: "faults",
      env: { KANTATA_BASE_URL: baseUrl, KANTATA_API_TOKEN: TOKEN, ...extraEnv },
    });
    return new FaultProject(program, project);
  }

  declare(declaration: Declaration): void {
    writeFileSync(path.join(this.program.dir, "decl.json"), JSON.stringify(declaration));
  }

  /** Runs `pulumi <args>`; a failed exit is a result to look at, not an exception. */
  run(args: string[], env?: Record<string, string>): Promise<CliResult> {
    return this.project.pulumi([...args, "--non-interactive"], { check: false, env, timeoutMs: RUN_TIMEOUT_MS });
  }

  up(env?: Record<string, string>): Promise<CliResult> {
    return this.run(["up", "--yes", "--skip-preview", ...PARALLEL], env);
  }

  destroy(env?: Record<string, string>): Promise<CliResult> {
    return this.run(["destroy", "--yes", "--skip-preview", ...PARALLEL], env);
  }

  /** SIGKILL for the run in progress: the CLI, the language host, the program and the provider plugin. Returns the pids killed. */
  kill(): number[] {
    return this.project.kill();
  }

  /** SIGKILL for the CLI of the run in progress alone (`kill -9 <pid>`): its plugins are left to notice. Returns its pid. */
  killCli(): number | undefined {
    return this.project.killCli();
  }

  /** The live processes of this stack: CLI runs, language host, program, provider plugin. */
  processes(): number[] {
    return this.project.processes();
  }

  removeTornAttributes(): string[] {
    return this.project.removeTornAttributes();
  }

  locks(): string[] {
    return this.project.locks();
  }

  /** The plan of a preview: the ops it would run besides "same". */
  async previewChanges(): Promise<{ changes: Record<string, number>; result: CliResult }> {
    const result = await this.run(["preview", "--json", ...PARALLEL]);
    if (result.code !== 0) throw new Error(`pulumi preview failed:\n${result.output.slice(-4000)}`);
    return { changes: plannedChanges(result), result };
  }

  exportState(): Promise<ExportedState> {
    return this.project.exportState();
  }

  async dispose(): Promise<void> {
    try {
      await this.project.dispose();
    } finally {
      this.program.dispose();
    }
  }
}

/** Runs `up` until it succeeds, at most `max` times; returns how many runs it took and their results. */
export async function upUntilConverged(
  project: FaultProject,
  max = 2,
  env?: Record<string, string>,
): Promise<{ runs: number; results: CliResult[] }> {
  const results: CliResult[] = [];
  for (let i = 0; i < max; i++) {
    const result = await project.up(env);
    results.push(result);
    if (result.code === 0) return { runs: i + 1, results };
  }
  throw new Error(`pulumi up failed ${max} times; last output:\n${results[results.length - 1].output.slice(-6000)}`);
}

export const fmt = (n: number): string => n.toLocaleString("en-US");
