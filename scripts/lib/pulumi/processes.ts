/** Process trees on Linux (/proc): what a killed CLI leaves running, and what is still alive. */
import { readFileSync, readdirSync } from "node:fs";
import { sleep } from "../../../lib/async";

/** The fields of /proc/<pid>/stat after the command's name (state, ppid, …), or undefined once it is gone. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // exited meanwhile
  }
}

/** The user + system CPU a process has used so far, in clock ticks (USER_HZ), or undefined once it is gone. */
export function cpuTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields && Number(fields[11]) + Number(fields[12]);
}

/** Every process below `pid`. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === undefined) continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (found.push(c), walk(c)));
  walk(pid);
  return found;
}

/**
 * SIGKILL for `pid` and every process below it. The Pulumi CLI starts each plugin in a process group of
 * its own (Setpgid), so killing the CLI's group alone would leave the plugins running: every descendant
 * is killed with its group. Returns the pids killed.
 */
export function killTree(pid: number): number[] {
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

/** The pids among these that are still alive (zombies count as dead). */
export function alive(pids: number[]): number[] {
  return pids.filter((p) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, "utf8"));
    } catch {
      return false;
    }
  });
}

/**
 * Asks `live` every `pollMs` until it lists no process or the clock passes `deadline` (epoch ms), and returns
 * what it listed last: processes take a moment to end after a kill or after their engine, more on a busy machine.
 */
export async function whenGone(live: () => number[], deadline: number, pollMs: number): Promise<number[]> {
  let left = live();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(pollMs);
    left = live();
  }
  return left;
}

/**
 * The live processes whose environment holds `variable` (as `NAME=value`): a project's CLI runs, language
 * hosts and provider plugins all inherit its PULUMI_HOME, which no other project shares, even on one program.
 */
export function processesWith(variable: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(variable)) found.push(Number(entry));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return alive(found);
}
