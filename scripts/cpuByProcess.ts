/**
 * Where a command's CPU goes, by kind of process: the Pulumi CLI by subcommand, the language host, the
 * program, the dynamic-provider plugin, npm, the Jest worker. Linux only (it reads /proc).
 *
 *   npx tsx scripts/cpuByProcess.ts npx jest --runTestsByPath test/truth/memberships.e2e.test.ts
 *
 * The command and every process below it inherit a marker variable; /proc is polled every 100 ms and each
 * marked process's user + system time is credited to its kind. A process shorter than one poll is missed,
 * so the totals are a floor; the counts say how many processes of each kind were seen.
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const MARKER = `CPU_BY_PROCESS_MARK=${process.pid}`;
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** What a process is, from its command line. */
function kindOf(argv: readonly string[]): string {
  const line = argv.join(" ");
  const [exe = "?", sub = ""] = argv;
  if (line.includes("dynamic-provider") || line.includes("pulumi-resource-pulumi-nodejs")) return "dynamic-provider plugin";
  if (line.includes("pulumi-resource-kantata") || line.includes("provider/plugin")) return "kantata plugin";
  if (line.includes("pulumi-language-")) return "language host";
  if (line.includes("@pulumi/pulumi/cmd/run")) return "program";
  if (path.basename(exe) === "pulumi") return `pulumi ${sub}`;
  if (line.includes("npm")) return "npm";
  if (line.includes("jest")) return "jest";
  return path.basename(exe);
}

interface Seen {
  kind: string;
  ticks: number;
}

function marked(pid: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(MARKER);
  } catch {
    return false;
  }
}

/** user + system ticks of a process, or undefined once it is gone. */
function ticksOf(pid: string): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function main(): void {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) throw new Error("usage: tsx scripts/cpuByProcess.ts <command> [args…]");
  const [name, value] = MARKER.split("=");
  const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, [name]: value } });
  const seen = new Map<string, Seen | null>();
  const poll = () => {
    for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
      if (!seen.has(pid)) {
        if (!marked(pid)) {
          seen.set(pid, null);
          continue;
        }
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        seen.set(pid, { kind: kindOf(argv), ticks: 0 });
      }
      const entry = seen.get(pid);
      const ticks = entry ? ticksOf(pid) : undefined;
      if (entry && ticks !== undefined) entry.ticks = ticks;
    }
  };
  const timer = setInterval(poll, 100);
  child.on("exit", (code) => {
    clearInterval(timer);
    const byKind = new Map<string, { seconds: number; count: number }>();
    for (const entry of seen.values()) {
      if (!entry) continue;
      const total = byKind.get(entry.kind) ?? { seconds: 0, count: 0 };
      byKind.set(entry.kind, { seconds: total.seconds + entry.ticks / TICKS_PER_SECOND, count: total.count + 1 });
    }
    const rows = [...byKind].sort(([, a], [, b]) => b.seconds - a.seconds);
    console.log("\n| process | CPU s | processes |\n|---|---:|---:|");
    for (const [kind, { seconds, count }] of rows) console.log(`| ${kind} | ${seconds.toFixed(1)} | ${count} |`);
    process.exitCode = code ?? 1;
  });
}

main();
