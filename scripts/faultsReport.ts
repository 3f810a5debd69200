// Renders the table in docs/reliability.md (between its reliability-table markers; the prose around it is
// written by hand) from the rows the fault suite (test/faults) recorded in
// .e2e-work/faults-rows: one row per fault, with what each test measured. Run by `npm run test:faults`
// after the suite passes.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import { ROWS_DIR as rowsDir, type ReportRow as Row } from "./lib/reliabilityRows";

const root = path.resolve(__dirname, "..");
const target = path.join(root, "docs", "reliability.md");
const START = "<!-- reliability-table:start -->";
const END = "<!-- reliability-table:end -->";

// --clear: forget the rows of an earlier run (before the suite runs again).
if (process.argv.includes("--clear")) {
  rmSync(rowsDir, { recursive: true, force: true });
  process.exit(0);
}

const rows: Row[] = existsSync(rowsDir)
  ? readdirSync(rowsDir)
      .filter((file) => file.endsWith(".json"))
      .map((file) => JSON.parse(readFileSync(path.join(rowsDir, file), "utf8")) as Row)
      .sort((a, b) => a.order - b.order)
  : [];
if (rows.length === 0) {
  console.error(`No rows in ${rowsDir}: run the fault suite first (npm run test:faults).`);
  process.exit(1);
}

const cell = (text: string | number): string => String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = [
  "| Fault | Runs (`up`) | Outcome | Test time |",
  "| --- | ---: | --- | ---: |",
  ...rows.map((r) => `| ${cell(r.fault)} | ${cell(r.ups)} | ${cell(r.outcome)} | ${r.seconds} s |`),
  "",
  ...rows.flatMap((r) => (r.details?.length ? [`${r.fault}:`, "", ...r.details.map((d) => `- ${d}`), ""] : [])),
  `Generated ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, Node ${process.version}.`,
];
async function main(): Promise<void> {
  const current = readFileSync(target, "utf8");
  const [before, rest] = current.split(START);
  const after = rest?.split(END)[1];
  if (after === undefined) throw new Error(`${path.relative(root, target)} has no ${START} … ${END} section`);
  // The whole file through prettier, as format:check reads it (it wants a blank line after the marker), so
  // the generated table can be committed as it is.
  const options = { ...(await prettier.resolveConfig(target)), filepath: target };
  writeFileSync(target, await prettier.format(`${before}${START}\n\n${table.join("\n")}\n${END}${after}`, options));
  console.log(`Wrote the table in ${path.relative(root, target)} (${rows.length} rows).`);
}

void main();
