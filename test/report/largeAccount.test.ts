import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReportModel } from "../../access/report";
import { startTestSandbox } from "../support/sandbox";
import { growAccount } from "./largeAccount";

/** The report on an account five times the company's, in a process of its own (its own memory), against the sandbox over HTTP. */
const AT = "2026-01-02T03:04:05.000Z";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kantata-report-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const readModel = (out: string): ReportModel => JSON.parse(readFileSync(join(out, "access-report.json"), "utf8")) as ReportModel;

test("a 50,000-membership account: within its request bound, in seconds, with bounded memory in a process of its own", async () => {
  const sandbox = await startTestSandbox({ account: "company" });
  try {
    growAccount(sandbox.store, 50_000);
    const memberships = sandbox.store.listMemberships().length;
    const groups = sandbox.store.listWorkspaceGroups().length;
    sandbox.counters.reset();
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--require", "tsx/cjs", join(__dirname, "runCli.ts"), "report", "--base-url", sandbox.url, "--out", dir, "--generated-at", AT],
        { env: { ...process.env, KANTATA_API_TOKEN: sandbox.token, NODE_OPTIONS: "--max-old-space-size=1024" }, timeout: 120_000 },
        (error, _stdout, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(err)),
      );
    });
    const measured = JSON.parse(/measured: (.*)\n$/.exec(stderr)![1]) as { code: number; ms: number; maxRssMb: number };
    const bound = Math.ceil(memberships / 200) + Math.ceil(groups / 200) + 1 + 2; // + the two user counts (nobody disabled)
    expect(measured.code).toBe(0);
    expect(sandbox.counters.snapshot().total).toBe(bound);
    const model = readModel(dir);
    expect(model.summary.memberships).toBe(memberships);
    const html = readFileSync(join(dir, "access-report.html")).length;
    console.log(
      `[report] ${memberships.toLocaleString("en-US")} memberships, ${groups} groups: ${bound} GETs (bound ${bound}), ${measured.ms} ms, peak RSS ${measured.maxRssMb} MB (tsx included), HTML ${(html / 1e6).toFixed(1)} MB`,
    );
    expect(measured.maxRssMb).toBeLessThan(1024);
  } finally {
    await sandbox.stop();
  }
}, 180_000);
