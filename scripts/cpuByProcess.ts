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
import { readFileSync } from "node:fs";
import path from "node:path";
import { cpuTicks, processesWith } from "./lib/pulumi/processes";

const MARKER = ["CPU_BY_PROCESS_MARK", String(process.pid)] as const;
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

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return []; // exited meanwhile
  }
}

function main(): void {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) throw new Error("usage: tsx scripts/cpuByProcess.ts <command> [args…]");
  const [name, value] = MARKER;
  const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, [name]: value } });
  /** Every marked process seen, with its kind and its CPU at the last poll; `live` are those still to read. */
  const seen = new Map<number, { kind: string; ticks: number }>();
  const live = new Set<number>();
  const poll = () => {
    for (const pid of processesWith(MARKER.join("="))) {
      if (seen.has(pid)) continue;
      seen.set(pid, { kind: kindOf(argvOf(pid)), ticks: 0 });
      live.add(pid);
    }
    for (const pid of live) {
      const ticks = cpuTicks(pid);
      if (ticks === undefined) live.delete(pid);
      else seen.get(pid)!.ticks = ticks;
    }
  };
  const timer = setInterval(poll, 100);
  child.on("exit", (code) => {
    clearInterval(timer);
    const byKind = new Map<string, { seconds: number; count: number }>();
    for (const { kind, ticks } of seen.values()) {
      const total = byKind.get(kind) ?? { seconds: 0, count: 0 };
      byKind.set(kind, { seconds: total.seconds + ticks / TICKS_PER_SECOND, count: total.count + 1 });
    }
    const rows = [...byKind].sort(([, a], [, b]) => b.seconds - a.seconds);
    console.log("\n| process | CPU s | processes |\n|---|---:|---:|");
    for (const [kind, { seconds, count }] of rows) console.log(`| ${kind} | ${seconds.toFixed(1)} | ${count} |`);
    process.exitCode = code ?? 1;
  });
}

main();
