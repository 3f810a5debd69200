/**
 * Runs `kantata-access report` in a process of its own, for measuring it alone: its wall time and
 * peak RSS go to standard error as the last line, `measured: {json}`. Started with
 * `node --require tsx/cjs test/report/runCli.ts report …`.
 */
import { main } from "../../cli/kantataAccess";

const started = performance.now();
void main(process.argv.slice(2)).then((code) => {
  const measured = { code, ms: Math.round(performance.now() - started), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stderr.write(`measured: ${JSON.stringify(measured)}\n`);
  process.exitCode = code;
});
