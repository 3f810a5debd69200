import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Writes a file so that readers see the old content or the whole new one, never a part: a temporary file
 * beside the target (same file system), then a rename over it. The temporary file never outlives a failure.
 */
export function writeFileAtomically(target: string, text: string): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { encoding: "utf8", flag: "wx" });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** How long `withFileLock` waits for another process to finish with the file. */
const LOCK_WAIT_MS = 15_000;
const LOCK_POLL_MS = 20;

/** A lock held by a process that no longer runs (killed mid-edit) is nobody's: it is taken over. */
function holderIsGone(lock: string): boolean {
  const pid = Number.parseInt(fs.readFileSync(lock, "utf8"), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false; // being written this instant: wait
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Runs `work` while holding `TARGET.lock`, a file created exclusively (`wx`) that holds this process's
 * id, so that read-change-write cycles of processes on one machine (or one shared file system) on the
 * same file run one after another: with `writeFileAtomically` inside, two edits at once both land.
 * Waits up to 15 s for another holder; takes over a lock whose process is gone.
 */
export function withFileLock<T>(target: string, work: () => T): T {
  const lock = `${target}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    try {
      if (holderIsGone(lock)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // released meanwhile: try again
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lock} is held by another process; wait for it to finish, or remove the file if none runs.`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_POLL_MS);
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
