/**
 * A Pulumi program the way users have one: a directory (Pulumi.yaml + index.ts/js, or a `runtime: yaml`
 * Pulumi.yaml that loads the package's provider plugin) copied from a template, with pulumi-kantata
 * installed next to it. By default the `npm pack` tarball is installed by npm outside
 * the repository, optionally for another Node; the fault suite's JavaScript programs take a copy of the
 * built package instead, with no npm run at all.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { installBuiltPackage } from "./builtPackage";
import { type Runtime, isRuntime } from "./cli";
import { type PackedPackage, packPackage } from "./packedPackage";
import { REPO_ROOT, newWorkDir } from "./paths";

const run = promisify(execFile);

/** Dev dependencies of every generated Node.js program, as `pulumi new typescript` gives (pinned to the repo's); a YAML program has none. */
export const PROGRAM_DEV_DEPENDENCIES: Record<string, string> = { typescript: "5.9.3", "@types/node": "20.19.43" };

interface CommonOptions {
  /** A directory with Pulumi.yaml and the program's files (index.ts, access.yaml, …); all of it is copied. */
  templateDir: string;
  /** Directory holding another `node`, put first on PATH for npm install and every CLI run. */
  nodeBinDir?: string;
}

export type ProgramOptions = CommonOptions &
  (
    | {
        /**
         * "fresh" (default): `npm install` of the tarball in the program directory, as a user would (~8–13 s).
         * "shared": install once per (tarball, SDK version, Node) into a cache under os.tmpdir() and
         * symlink node_modules to it: instant for every further program; nothing may modify it.
         */
        install?: "fresh" | "shared";
        /** The @pulumi/pulumi version the program depends on, e.g. "3.248.0". */
        sdkVersion: string;
        /** Replaces {@link PROGRAM_DEV_DEPENDENCIES}. */
        devDependencies?: Record<string, string>;
      }
    | {
        /** A copy of the repository's dist/ and its @pulumi/pulumi, under .e2e-work: no npm, JavaScript programs only. */
        install: "built";
      }
  );

export interface Program {
  /** The program directory. */
  dir: string;
  /** Its Pulumi.yaml's runtime. */
  runtime: Runtime;
  sdkVersion: string;
  nodeBinDir?: string;
  /** The tarball installed; none for a "built" program. */
  tarball?: PackedPackage;
  /** Time `npm install` took (0 when a shared install was reused, or for a "built" program). */
  installMs: number;
  dispose(): void;
}

function nodePath(nodeBinDir: string | undefined, basePath = process.env.PATH ?? ""): string {
  return nodeBinDir ? [nodeBinDir, basePath].join(path.delimiter) : basePath;
}

/** As the example workflow installs (examples/access-as-code/ci): no package's install script runs. */
const NPM_INSTALL = ["install", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"];

async function npmInstall(dir: string, nodeBinDir: string | undefined): Promise<number> {
  const started = Date.now();
  try {
    await run("npm", NPM_INSTALL, {
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
  [field: string]: unknown;
}

const copyTemplate = (templateDir: string, dir: string) =>
  cpSync(templateDir, dir, { recursive: true, filter: (src) => !/(^|[/\\])(node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(src) });

/** The runtime a template's Pulumi.yaml names (`runtime: yaml`, or `runtime: { name: nodejs, options }`). */
function runtimeOf(templateDir: string): Runtime {
  const file = path.join(templateDir, "Pulumi.yaml");
  if (!existsSync(file)) throw new Error(`${templateDir} has no Pulumi.yaml`);
  const project: unknown = parse(readFileSync(file, "utf8"));
  const runtime: unknown = typeof project === "object" && project !== null && "runtime" in project ? project.runtime : undefined;
  const name: unknown = typeof runtime === "object" && runtime !== null && "name" in runtime ? runtime.name : runtime;
  if (typeof name !== "string" || !isRuntime(name))
    throw new Error(`${file}: runtime ${JSON.stringify(name)} is not one the harness runs (nodejs, yaml)`);
  return name;
}

/**
 * What a shared install is keyed by: the program's manifest, the tarball's contents, Node and npm's flags.
 * The tarball's path is left out: each run of Jest packs into a new directory, and the same contents
 * (`npm pack` is reproducible) must find the install an earlier run made rather than add another to
 * os.tmpdir() every time.
 */
export function sharedInstallKey(manifestText: string, tarball: PackedPackage, node: string): string {
  return createHash("sha256")
    .update(`${manifestText.split(tarball.tarball).join("<tarball>")}\0${tarball.sha256}\0${node}\0${NPM_INSTALL.join(" ")}`)
    .digest("hex")
    .slice(0, 16);
}

/** Copies a template into a new directory and installs the package there. */
export async function createProgram(options: ProgramOptions): Promise<Program> {
  const runtime = runtimeOf(options.templateDir);
  if (options.install === "built") {
    const dir = newWorkDir("program");
    copyTemplate(options.templateDir, dir);
    installBuiltPackage(dir);
    const sdk = JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }), "utf8")) as { version: string };
    return {
      dir,
      runtime,
      sdkVersion: sdk.version,
      nodeBinDir: options.nodeBinDir,
      installMs: 0,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  }

  const tarball = await packPackage();
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-kantata-program-"));
  copyTemplate(options.templateDir, dir);

  const templatePackage = path.join(options.templateDir, "package.json");
  const base: TemplateManifest = existsSync(templatePackage) ? (JSON.parse(readFileSync(templatePackage, "utf8")) as TemplateManifest) : {};
  const manifest = {
    name: base.name ?? "pulumi-kantata-program",
    private: true,
    main: base.main ?? (existsSync(path.join(dir, "index.ts")) ? "index.ts" : undefined),
    ...base,
    dependencies: { ...base.dependencies, "@pulumi/pulumi": options.sdkVersion, "pulumi-kantata": `file:${tarball.tarball}` },
    devDependencies: { ...(options.devDependencies ?? (runtime === "nodejs" ? PROGRAM_DEV_DEPENDENCIES : {})), ...base.devDependencies },
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(path.join(dir, "package.json"), manifestText);

  let installMs = 0;
  if (options.install === "shared") {
    const node = options.nodeBinDir ? (await run(path.join(options.nodeBinDir, "node"), ["--version"])).stdout.trim() : process.version;
    const shared = path.join(os.tmpdir(), "pulumi-kantata-installs", sharedInstallKey(manifestText, tarball, node));
    const complete = () => existsSync(path.join(shared, ".complete"));
    if (!complete()) {
      // Installed beside it and renamed into place: Jest's workers may install the same key at once, and
      // a program must never link to a half-written install. The first rename wins; a later one finds
      // the directory taken, and its copy is dropped.
      mkdirSync(path.dirname(shared), { recursive: true });
      const staging = mkdtempSync(`${shared}.installing-`);
      writeFileSync(path.join(staging, "package.json"), manifestText);
      installMs = await npmInstall(staging, options.nodeBinDir);
      writeFileSync(path.join(staging, ".complete"), "");
      try {
        renameSync(staging, shared);
      } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        if (!complete()) throw error;
      }
    }
    // Node resolves through the link to real paths, so the program, the package and the plugin all
    // load the one @pulumi/pulumi in the shared install.
    symlinkSync(path.join(shared, "node_modules"), path.join(dir, "node_modules"), "dir");
  } else {
    installMs = await npmInstall(dir, options.nodeBinDir);
  }
  return {
    dir,
    runtime,
    sdkVersion: options.sdkVersion,
    nodeBinDir: options.nodeBinDir,
    tarball,
    installMs,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
