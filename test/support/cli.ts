import { execFile } from "node:child_process";
import { join } from "node:path";
import { main } from "../../cli/kantataAccess";

/** What a run of `kantata-access` showed its user: exit code, standard output, standard error. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = join(__dirname, "..", "..");

/** `kantata-access` in a process of its own, as a user runs it (tsx start-up: about 2 s). Only PATH and `env` are set. */
export const runCli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  new Promise((resolve) =>
    execFile(
      process.execPath,
      ["--require", "tsx/cjs", join(ROOT, "cli", "kantataAccess.ts"), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );

/** The same command in this process, its output captured: for the many cases that each print a line or two. */
export async function runCliHere(args: string[], env: NodeJS.ProcessEnv = {}, stdin = ""): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args, env, () => stdin), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
