/**
 * `npm run demo`: the project's job in one command. Starts the sandbox (persisted under .demo/) unless
 * KANTATA_BASE_URL points at a real account, runs `pulumi up` on the demo program with a local backend,
 * and prints each group's members as read back from the API. A second run converges: no changes.
 */
import path from "node:path";
import { createKantataClient } from "../provider/kantata";
import { startSandbox } from "../sandbox";
import { declareDemoAccess } from "../examples/demo/program";
import { REPO_ROOT, createEngineStack } from "./lib/pulumi";

const DEMO_DIR = path.join(REPO_ROOT, ".demo");

async function main(): Promise<void> {
  const useRealAccount = Boolean(process.env.KANTATA_BASE_URL);
  const sandbox = useRealAccount ? undefined : await startSandbox({ dataDir: path.join(DEMO_DIR, "sandbox") });
  const baseUrl = sandbox?.url ?? process.env.KANTATA_BASE_URL!;
  const token = sandbox?.token ?? process.env.KANTATA_API_TOKEN;
  console.log(sandbox ? `Kantata OX sandbox at ${baseUrl} (data in .demo/sandbox)` : `Using the Kantata OX account at ${baseUrl}`);
  try {
    // .demo/ keeps the stack's state from run to run; the plugin loads the copy of the build installed there.
    const { stack } = await createEngineStack({
      program: async () => declareDemoAccess(),
      baseUrl,
      token,
      tokenVia: "env",
      dir: DEMO_DIR,
      stackName: "demo",
      projectName: "kantata-demo",
    });
    const result = await stack.up({ onOutput: (text) => process.stdout.write(text) });
    const changes = Object.entries(result.summary.resourceChanges ?? {})
      .map(([kind, n]) => `${kind}: ${n}`)
      .join(", ");
    console.log(`\npulumi up finished: ${changes}`);
    await printMembers(baseUrl, token);
  } finally {
    await sandbox?.stop();
  }
}

/** Each group's members as Kantata reports them: people by email, groups by name. */
async function printMembers(baseUrl: string, apiToken: string | undefined): Promise<void> {
  const client = createKantataClient({ explicit: { baseUrl, apiToken } });
  console.log("\nWho is in which group, read back from the API:");
  for (const group of await client.listWorkspaceGroups()) {
    const { memberships, users } = await client.listGroupMembers(group.id);
    const people = memberships.map((m) => users.get(m.userId)?.email ?? `user ${m.userId}`).sort();
    console.log(`  ${group.name}: ${people.length === 0 ? "(nobody)" : people.join(", ")}`);
  }
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
