import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * withFileLock: processes doing read-change-write on one file take turns. Each worker adds 1 to a counter
 * ten times, pausing 5 ms between its read and its write (the window a grant has between reading the
 * file and renaming the new one over it): without the lock, most increments are lost.
 */
const ROOT = join(__dirname, "..", "..");
const WORKER = `
const { readFileSync } = require("node:fs");
const { withFileLock, writeFileAtomically } = require(${JSON.stringify(join(ROOT, "lib", "files.ts"))});
const target = process.argv[process.argv.length - 1];
for (let i = 0; i < 10; i++)
  withFileLock(target, () => {
    const n = Number(readFileSync(target, "utf8"));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    writeFileAtomically(target, String(n + 1));
  });
`;

const worker = (target: string) =>
  new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ["--require", "tsx/cjs", "-e", WORKER, target], { cwd: ROOT }, (error) =>
      error ? reject(new Error(error.message)) : resolve(),
    ),
  );

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kantata-lock-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("four processes incrementing one counter 10 times each under the lock count to 40, and leave no lock", async () => {
  const target = join(dir, "counter");
  writeFileSync(target, "0");
  await Promise.all([1, 2, 3, 4].map(() => worker(target)));
  expect(readFileSync(target, "utf8")).toBe("40");
  expect(readdirSync(dir)).toEqual(["counter"]);
}, 60_000);

it("takes over a lock whose process is gone", () => {
  const { withFileLock } = jest.requireActual<typeof import("../../lib/files")>("../../lib/files");
  const target = join(dir, "file");
  writeFileSync(`${target}.lock`, "2147483646"); // no such process
  expect(withFileLock(target, () => "ran")).toBe("ran");
  expect(readdirSync(dir)).toEqual([]);
});
