// Loaded into the dynamic-provider plugin (NODE_OPTIONS=--require) during `npm run bench` only:
// records the plugin process's peak RSS and CPU time, since the engine starts and stops it itself.
// KANTATA_BENCH_PROBE_MATCH picks another process by its script name (the export CLI).
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.KANTATA_BENCH_PROBE_DIR;
if (dir && (process.argv[1] ?? "").includes(process.env.KANTATA_BENCH_PROBE_MATCH ?? "dynamic-provider")) {
  const file = path.join(dir, `${process.pid}.json`);
  const write = () => {
    const cpu = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 }));
  };
  setInterval(write, 100).unref();
  process.on("exit", write);
}
