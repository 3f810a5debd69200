// Loaded into the provider plugins, dynamic and kantata (NODE_OPTIONS=--require), during `npm run bench` only:
// records the plugin process's peak RSS and CPU time, since the engine starts and stops it itself,
// and the largest V8 heap and off-heap (external, array buffers) sizes seen, to tell where a peak lies.
// KANTATA_BENCH_PROBE_MATCH picks another process by its script name (the export CLI).
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.KANTATA_BENCH_PROBE_DIR;
const script = process.argv[1] ?? "";
const match = process.env.KANTATA_BENCH_PROBE_MATCH;
if (dir && (match ? script.includes(match) : /dynamic-provider|provider[\\/]plugin[\\/]main/.test(script))) {
  const file = path.join(dir, `${process.pid}.json`);
  const peak = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], usage[key]);
  };
  const write = () => {
    sample();
    const cpu = process.cpuUsage();
    const kb = (bytes) => Math.round(bytes / 1024);
    // Written whole, then renamed: the bench reads these files while the process may still be writing.
    fs.writeFileSync(
      `${file}.partial`,
      JSON.stringify({
        // VmHWM, not resourceUsage().maxRSS: Linux carries the forking process's peak across exec into maxRSS.
        maxRssKb: Number(/^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]),
        cpuMs: (cpu.user + cpu.system) / 1000,
        maxHeapTotalKb: kb(peak.heapTotal),
        maxHeapUsedKb: kb(peak.heapUsed),
        maxExternalKb: kb(peak.external),
      }),
    );
    fs.renameSync(`${file}.partial`, file);
  };
  setInterval(sample, 20).unref();
  setInterval(write, 100).unref();
  process.on("exit", write);
}
