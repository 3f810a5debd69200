/**
 * An orphaned provider plugin ends instead of spinning: once its stdout and stderr are closed (the engine
 * went away), a line written fails with EPIPE, and Pulumi's dynamic-provider host would report that
 * error on stderr again, forever. The child below does what the host does with uncaught errors.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const MODULE = path.join(ROOT, "provider", "runtime", "outputClosed");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "kantata-output-closed-"));
  writeFileSync(
    path.join(dir, "plugin.ts"),
    `import { exitWhenOutputClosed } from ${JSON.stringify(MODULE)};
// What the host does: every uncaught error is kept and written to stderr.
const seen = new Set<unknown>();
process.on("uncaughtException", (error) => { if (!seen.has(error)) { seen.add(error); console.error(String(error)); } });
if (process.argv[2] === "watch") exitWhenOutputClosed();
setInterval(() => console.error("kantata: a line nobody reads any more"), 5);
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the child, closes its output once it writes, and says whether it exited within `ms` (and how). */
function orphan(args: string[], ms: number): Promise<{ exited: boolean; code: number | null }> {
  // Node itself with tsx's loader, not the tsx wrapper: killing a wrapper would leave its child spinning.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, "plugin.ts"), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ exited: false, code: null });
    }, ms);
    child.stderr.once("data", () => {
      child.stdout.destroy();
      child.stderr.destroy();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ exited: true, code });
    });
  });
}

test("a plugin whose output is closed ends, with a failure code", async () => {
  expect(await orphan(["watch"], 20_000)).toEqual({ exited: true, code: 1 });
});

test("without it, the process outlives its closed output (the case the test above guards against)", async () => {
  expect(await orphan([], 2_000)).toEqual({ exited: false, code: null });
});
