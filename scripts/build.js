// `npm run build`: an empty dist/, then tsc. Starting empty matters: tsc never deletes the output of a
// source that was removed or moved, and such a stale module can shadow its replacement (a file
// `dynamic/x.js` wins over a new directory `dynamic/x/index.js`). Used by the jest setup of the tests
// that load dist/ too, so they never run against a stale build.
const { execFileSync } = require("node:child_process");
const { rmSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
rmSync(path.join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
