/**
 * Runs `kantata-access report` in a process of its own, for measuring it alone: its wall time and
 * peak RSS go to standard error as the last line, `measured: {json}`. Started with
 * `node --require tsx/cjs test/report/runCli.ts report …`.
 */
import { readFileSync } from "node:fs";
import { main } from "../../cli/kantataAccess";

/**
 * This process's peak RSS in MB. Not `process.resourceUsage().maxRSS`: Linux carries the peak of the
 * process that forked this one across exec, so under a large Jest worker it reported 1,430 MB for a
 * report that peaks at ~330 MB. VmHWM belongs to this program's own memory.
 */
const peakRssMb = (): number => Math.round(Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024);

const started = performance.now();
void main(process.argv.slice(2)).then((code) => {
  const measured = { code, ms: Math.round(performance.now() - started), maxRssMb: peakRssMb() };
  process.stderr.write(`measured: ${JSON.stringify(measured)}\n`);
  process.exitCode = code;
});
