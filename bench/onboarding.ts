/**
 * Onboarding an existing account, measured on the sandbox's seeded company account: `kantata-access
 * export --all` (requests against the API's lower bound, wall time, peak memory of the command) and the
 * first `pulumi up` of the exported declaration (writes, and requests by kind).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { declareAccess } from "../provider";
import { parseAccessFile } from "../access";
import { COMPANY_GROUPS, COMPANY_MEMBERSHIP_COUNT, COMPANY_USER_COUNT, startSandbox } from "../sandbox";
import { REPO_ROOT, createEngineStack } from "../scripts/lib/pulumi";

const per200 = (n: number) => Math.ceil(n / 200);

export async function benchOnboarding(latencyMs: number): Promise<string> {
  const sandbox = await startSandbox({ latencyMs, account: "company" });
  const probeDir = mkdtempSync(path.join(os.tmpdir(), "kantata-bench-export-"));
  try {
    const cli = path.join(REPO_ROOT, "dist", "cli", "kantataAccess.js");
    const started = Date.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--require", path.join(__dirname, "providerProbe.js"), cli, "export", "--all"],
      {
        env: {
          ...process.env,
          KANTATA_BASE_URL: sandbox.url,
          KANTATA_API_TOKEN: sandbox.token,
          KANTATA_BENCH_PROBE_DIR: probeDir,
          KANTATA_BENCH_PROBE_MATCH: "kantataAccess",
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const exportMs = Date.now() - started;
    const [probe] = readdirSync(probeDir).map((f) => JSON.parse(readFileSync(path.join(probeDir, f), "utf8")) as { maxRssKb: number });
    const exported = sandbox.counters.snapshot();
    const exportLowerBound = per200(COMPANY_MEMBERSHIP_COUNT) + per200(COMPANY_GROUPS.length);

    sandbox.counters.reset();
    const file = parseAccessFile(stdout, "access.yaml");
    const engine = await createEngineStack({
      program: async () => {
        declareAccess(file);
      },
      baseUrl: sandbox.url,
      token: sandbox.token,
      tokenVia: "env",
      envVars: { PULUMI_SKIP_CHECKPOINTS: "true" },
    });
    const upStarted = Date.now();
    try {
      await engine.stack.up();
    } finally {
      await engine.dispose();
    }
    const upMs = Date.now() - upStarted;
    const up = sandbox.counters.snapshot();
    const route = (r: string) => up.byRoute[r] ?? 0;
    const groupReads = COMPANY_GROUPS.reduce((sum, g) => sum + per200(g.members), 0);
    return [
      `Onboarding the seeded company account (${COMPANY_GROUPS.length} groups, ${COMPANY_USER_COUNT.toLocaleString("en-US")} users, ` +
        `${COMPANY_MEMBERSHIP_COUNT.toLocaleString("en-US")} memberships; ${latencyMs} ms latency):`,
      "",
      `- \`kantata-access export --all\`: ${exported.total} requests (${exported.byRoute["GET /user_group_memberships"] ?? 0} membership pages, ` +
        `${exported.byRoute["GET /workspace_groups"] ?? 0} group pages, ${exported.byRoute["GET /users"] ?? 0} user look-ups) against a lower bound of ` +
        `${exportLowerBound} (ratio ${(exported.total / exportLowerBound).toFixed(2)}), ${(exportMs / 1000).toFixed(1)} s wall, ` +
        `peak RSS ${(probe.maxRssKb / 1024).toFixed(0)} MB.`,
      `- First \`pulumi up\` of the exported file: ${(up.byMethod.POST ?? 0) + (up.byMethod.DELETE ?? 0)} writes; ${up.total} requests: ` +
        `${route("GET /user_group_memberships")} group reads (lower bound Σ⌈members/200⌉ = ${groupReads}), ` +
        `${route("GET /workspace_groups")} group-name look-ups, ${route("GET /users")} user look-ups (email → id, in check); ${(upMs / 1000).toFixed(1)} s wall.`,
    ].join("\n");
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
    await sandbox.stop();
  }
}
