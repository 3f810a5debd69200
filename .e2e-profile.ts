import { mkdirSync, writeFileSync } from "node:fs";
import inspector from "node:inspector";
let profileProgram = false;
import { UserGroupMembership } from "./provider";
import { startSandbox } from "./sandbox";
import { createEngineStack } from "./scripts/lib/pulumi";

const N = Number(process.env.N ?? 1000);
async function main() {
  const sandbox = await startSandbox({ latencyMs: 50 });
  sandbox.store.ensureUsers(20 + N);
  const group = sandbox.store.addWorkspaceGroup({ name: "prof" }).id;
  let registered = 0;
  const engine = await createEngineStack({
    program: async () => {
      const t0 = Date.now();
      const session = new inspector.Session();
      session.connect();
      const post = (m: string, p?: object) => new Promise<any>((res, rej) => session.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
      if (profileProgram) { await post("Profiler.enable"); await post("Profiler.start"); }
      for (let i = 0; i < N; i++) new UserGroupMembership(`m${i}`, { user: `sandbox.user.${1021 + i}@example.com`, group });
      registered = Date.now() - t0;
      if (profileProgram) { const { profile } = await post("Profiler.stop"); writeFileSync("/tmp/i22/program.cpuprofile", JSON.stringify(profile)); }
    },
    baseUrl: sandbox.url, token: sandbox.token, tokenVia: "env",
    envVars: { PULUMI_SKIP_CHECKPOINTS: "true" },
  });
  try {
    let t = Date.now();
    await engine.stack.up({ parallel: N });
    console.log(`up ${(Date.now() - t) / 1000}s`);
    t = Date.now();
    await engine.stack.preview();
    console.log(`preview (plain) ${(Date.now() - t) / 1000}s, program constructed in ${registered} ms`);
    mkdirSync("/tmp/i22/prof", { recursive: true });

    profileProgram = true;
    t = Date.now();
    await engine.stack.preview({ tracing: "file:///tmp/i22/trace.json" } as never);
    console.log(`preview (profiled, traced) ${(Date.now() - t) / 1000}s; requests ${sandbox.counters.snapshot().total}`);
  } finally {
    await engine.dispose(); await sandbox.stop();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
