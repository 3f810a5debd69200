/**
 * Pulumi programs the way users run them: a directory project (Pulumi.yaml + index.ts) outside the
 * repository, with the package installed by npm from the `npm pack` tarball and the real `pulumi` CLI
 * (language host, ts-node, dynamic-provider plugin) driving it. Optionally under another Node.
 *
 *   const tarball = await packPackage();                 // fresh build + npm pack, once per process
 *   const program = await createProgram({ templateDir, sdkVersion: "3.248.0" });
 *   const project = await openProject({ program, env: { KANTATA_BASE_URL: url, KANTATA_API_TOKEN: token } });
 *   await project.pulumi(["up", "--yes", "--skip-preview"]);
 *   assertNoChanges(await project.pulumi(["preview", "--json"]));
 *   await project.dispose();
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, enginePath, pulumiCliDir } from "./pulumiCli";

const run = promisify(execFile);

/** Dev dependencies of every generated program, as `pulumi new typescript` gives (pinned to the repo's). */
export const PROGRAM_DEV_DEPENDENCIES: Record<string, string> = { typescript: "5.9.3", "@types/node": "20.19.43" };

export interface PackedPackage {
  /** Absolute path of pulumi-kantata-<version>.tgz. */
  tarball: string;
  sha256: string;
  /** Build + pack time. */
  ms: number;
}

let packed: Promise<PackedPackage> | undefined;

/**
 * Builds the package from source into a fresh staging directory and packs it, once per process.
 * The build never reads or writes the repository's dist/ (other tests use it concurrently, and a
 * stale file there must not reach the tarball); the tarball holds what `npm pack` in the repo would:
 * package.json, README.md and dist/.
 */
export function packPackage(): Promise<PackedPackage> {
  packed ??= (async () => {
    const started = Date.now();
    const outDir = mkdtempSync(path.join(os.tmpdir(), "pulumi-kantata-pack-"));
    const stage = path.join(outDir, "package");
    const tsc = require.resolve("typescript/bin/tsc", { paths: [REPO_ROOT] });
    await run(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", path.join(stage, "dist")], { cwd: REPO_ROOT });
    for (const file of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"]) {
      if (existsSync(path.join(REPO_ROOT, file))) cpSync(path.join(REPO_ROOT, file), path.join(stage, file));
    }
    // --ignore-scripts: prepack would rebuild into the staging directory's (absent) sources.
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", outDir, "--json"], { cwd: stage });
    const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
    const tarball = path.join(outDir, filename);
    const sha256 = createHash("sha256").update(readFileSync(tarball)).digest("hex");
    return { tarball, sha256, ms: Date.now() - started };
  })();
  packed.catch(() => (packed = undefined));
  return packed;
}

export interface ProgramOptions {
  /** A directory with Pulumi.yaml and the program's files (index.ts, …); all of it is copied. */
  templateDir: string;
  /** The @pulumi/pulumi version the program depends on, e.g. "3.248.0". */
  sdkVersion: string;
  /** Directory holding another `node`, put first on PATH for npm install and every CLI run. */
  nodeBinDir?: string;
  /** Replaces {@link PROGRAM_DEV_DEPENDENCIES}. */
  devDependencies?: Record<string, string>;
  /**
   * "fresh" (default): `npm install` in the program directory, as a user would (~8–13 s).
   * "shared": install once per (tarball, SDK version, Node) into a cache under os.tmpdir() and
   * symlink node_modules to it: instant for every further program; nothing may modify it.
   */
  install?: "fresh" | "shared";
}

export interface Program {
  /** The program directory, under os.tmpdir(). */
  dir: string;
  sdkVersion: string;
  nodeBinDir?: string;
  tarball: PackedPackage;
  /** Time `npm install` took (0 when a shared install was reused). */
  installMs: number;
  dispose(): void;
}

function nodePath(nodeBinDir: string | undefined, basePath = process.env.PATH ?? ""): string {
  return nodeBinDir ? [nodeBinDir, basePath].join(path.delimiter) : basePath;
}

async function npmInstall(dir: string, nodeBinDir: string | undefined): Promise<number> {
  const started = Date.now();
  try {
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: dir,
      env: { ...process.env, PATH: nodePath(nodeBinDir) },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm install in ${dir} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`, { cause: error });
  }
  return Date.now() - started;
}

/** The fields of a template's own package.json that the program's manifest builds on; the rest is copied as is. */
interface TemplateManifest {
  name?: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
  [field: string]: unknown;
}

/** Copies a template into a new directory under os.tmpdir() and installs the packed package there. */
export async function createProgram(options: ProgramOptions): Promise<Program> {
  if (!existsSync(path.join(options.templateDir, "Pulumi.yaml"))) throw new Error(`${options.templateDir} has no Pulumi.yaml`);
  const tarball = await packPackage();
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-kantata-program-"));
  cpSync(options.templateDir, dir, { recursive: true, filter: (src) => !/(^|[/\\])(node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(src) });

  const templatePackage = path.join(options.templateDir, "package.json");
  const base: TemplateManifest = existsSync(templatePackage) ? (JSON.parse(readFileSync(templatePackage, "utf8")) as TemplateManifest) : {};
  const manifest = {
    name: base.name ?? "pulumi-kantata-program",
    private: true,
    main: base.main ?? (existsSync(path.join(dir, "index.ts")) ? "index.ts" : undefined),
    ...base,
    dependencies: { ...base.dependencies, "@pulumi/pulumi": options.sdkVersion, "pulumi-kantata": `file:${tarball.tarball}` },
    devDependencies: { ...(options.devDependencies ?? PROGRAM_DEV_DEPENDENCIES), ...base.devDependencies },
    // protobufjs's postinstall only prints a notice; the repo does not run it either.
    allowScripts: { protobufjs: false, ...base.allowScripts },
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(path.join(dir, "package.json"), manifestText);

  let installMs = 0;
  if (options.install === "shared") {
    const node = options.nodeBinDir ? (await run(path.join(options.nodeBinDir, "node"), ["--version"])).stdout.trim() : process.version;
    const key = createHash("sha256").update(`${manifestText}\0${tarball.sha256}\0${node}`).digest("hex").slice(0, 16);
    const shared = path.join(os.tmpdir(), "pulumi-kantata-installs", key);
    if (!existsSync(path.join(shared, ".complete"))) {
      rmSync(shared, { recursive: true, force: true });
      mkdirSync(shared, { recursive: true });
      writeFileSync(path.join(shared, "package.json"), manifestText);
      installMs = await npmInstall(shared, options.nodeBinDir);
      writeFileSync(path.join(shared, ".complete"), "");
    }
    // Node resolves through the link to real paths, so the program, the package and the plugin all
    // load the one @pulumi/pulumi in the shared install.
    symlinkSync(path.join(shared, "node_modules"), path.join(dir, "node_modules"), "dir");
  } else {
    installMs = await npmInstall(dir, options.nodeBinDir);
  }
  return {
    dir,
    sdkVersion: options.sdkVersion,
    nodeBinDir: options.nodeBinDir,
    tarball,
    installMs,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  args: string[];
  stdout: string;
  stderr: string;
  code: number | null;
  ms: number;
}

export interface RunOptions {
  /** Reject when the exit code is not 0 (default true). */
  check?: boolean;
  /** Default 180 s; the process is killed after it. */
  timeoutMs?: number;
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

export interface Project {
  dir: string;
  stackName: string;
  /** The whole environment the CLI runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs `pulumi <args>` in the program directory (`--color=never` is added). */
  pulumi(args: string[], options?: RunOptions): Promise<CliResult>;
  /** Every CLI run so far, for timings and failure reports. */
  history: CliResult[];
  /** Destroys nothing: removes the state, PULUMI_HOME and the program directory. */
  dispose(): void;
}

/** Variables of the parent process that would point the CLI or the provider elsewhere. */
const INHERITED_BLOCKLIST = /^(PULUMI_|KANTATA_)/;

/**
 * Logs the CLI into a local backend (`pulumi login file://…`) with PULUMI_HOME in a temporary
 * directory, creates the stack and sets its config: what a user does before `pulumi up`.
 */
export async function openProject(options: ProjectOptions): Promise<Project> {
  const { program } = options;
  const stackName = options.stackName ?? "dev";
  const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-kantata-state-"));
  const backendDir = path.join(work, "state");
  mkdirSync(backendDir);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_BLOCKLIST.test(name)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PATH: nodePath(program.nodeBinDir, enginePath()),
    PULUMI_HOME: path.join(work, "home"),
    PULUMI_CONFIG_PASSPHRASE: "compat-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...options.env,
  };
  const pulumiBin = path.join(pulumiCliDir(), "pulumi");
  const history: CliResult[] = [];

  const pulumi = (args: string[], runOptions: RunOptions = {}): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const child = spawn(pulumiBin, [...args, "--color=never"], { cwd: program.dir, env, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), runOptions.timeoutMs ?? 180_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        const result = { args, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code, ms: Date.now() - started };
        history.push(result);
        if ((runOptions.check ?? true) && code !== 0) reject(new Error(describeFailure(result)));
        else resolve(result);
      });
    });

  await pulumi(["login", `file://${backendDir}`]);
  await pulumi(["stack", "init", stackName]);
  for (const [key, setting] of Object.entries(options.config ?? {})) {
    const secret = typeof setting !== "string";
    await pulumi(["config", "set", key, secret ? setting.value : setting, ...(secret ? ["--secret"] : [])]);
  }
  return {
    dir: program.dir,
    stackName,
    env,
    pulumi,
    history,
    dispose: () => rmSync(work, { recursive: true, force: true }),
  };
}

export function describeFailure(result: CliResult): string {
  return `pulumi ${result.args.join(" ")} exited with ${result.code} after ${result.ms} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

export interface PreviewJson {
  steps?: Array<{ op: string; urn: string }>;
  changeSummary?: Record<string, number>;
  diagnostics?: Array<{ message: string; severity: string }>;
}

export function parsePreviewJson(result: CliResult): PreviewJson {
  try {
    return JSON.parse(result.stdout) as PreviewJson;
  } catch {
    throw new Error(`not JSON: ${describeFailure(result)}`);
  }
}

/** The operations a `pulumi preview --json` plans other than "same", e.g. { update: 1 }; {} when none. */
export function plannedChanges(result: CliResult): Record<string, number> {
  const summary = parsePreviewJson(result).changeSummary ?? {};
  return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && n > 0));
}

/** Throws unless a `pulumi preview --json` plans no changes (its changeSummary holds only `same`). */
export function assertNoChanges(result: CliResult): void {
  const changes = plannedChanges(result);
  if (Object.keys(changes).length > 0) {
    throw new Error(`preview plans changes ${JSON.stringify(changes)}:\n${describeFailure(result)}`);
  }
}

/** Lines of CLI output that are warnings (`warning: …`), for "runs are warning-free" checks. */
export function warningLines(result: CliResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => /\bwarning:/i.test(line));
}

/** The `bin` directory of the pinned Node 22 (scripts/setup-node22.sh installs it on first use). */
export async function node22BinDir(): Promise<string> {
  const { stdout } = await run("bash", [path.join(REPO_ROOT, "scripts", "setup-node22.sh")], { cwd: REPO_ROOT });
  return stdout.trim().split("\n").pop()!;
}
