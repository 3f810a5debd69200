/**
 * `npm run demo`: the project's job in one command. Starts the sandbox (persisted under .demo/) unless
 * KANTATA_BASE_URL points at a real account, runs `pulumi up` on the repository's own project (the root
 * Pulumi.yaml, whose program is examples/demo) with its state in .demo/, and prints each group's members
 * as read back from the API. A second run converges: no changes. `--keep-sandbox` keeps the sandbox
 * running afterwards (until Ctrl-C) and prints how to run `pulumi preview` at the root against it.
 */
import path from "node:path";
import { createKantataClient } from "../provider/kantata";
import { startSandbox } from "../sandbox";
import { DEFAULT_CLI_PORT } from "../sandbox/cli";
import { REPO_ROOT, openRootProject } from "./lib/pulumi";

const DEMO_DIR = path.join(REPO_ROOT, ".demo");

async function main(): Promise<void> {
  const keepSandbox = process.argv.includes("--keep-sandbox");
  const useRealAccount = Boolean(process.env.KANTATA_BASE_URL);
  // The sandbox's usual port, so that a preview at the root finds it where the demo said.
  const sandbox = useRealAccount ? undefined : await startSandbox({ port: DEFAULT_CLI_PORT, dataDir: path.join(DEMO_DIR, "sandbox") });
  const baseUrl = sandbox?.url ?? process.env.KANTATA_BASE_URL!;
  const token = sandbox?.token ?? process.env.KANTATA_API_TOKEN;
  console.log(sandbox ? `Kantata OX sandbox at ${baseUrl} (data in .demo/sandbox)` : `Using the Kantata OX account at ${baseUrl}`);
  try {
    const { stack, previewCommand } = await openRootProject({ stateDir: DEMO_DIR, stackName: "demo", baseUrl, token });
    const result = await stack.up({ onOutput: (text) => process.stdout.write(text) });
    const changes = Object.entries(result.summary.resourceChanges ?? {})
      .map(([kind, n]) => `${kind}: ${n}`)
      .join(", ");
    console.log(`\npulumi up finished: ${changes}`);
    await printMembers(baseUrl, token);
    if (sandbox && keepSandbox) {
      console.log(
        `\nThe sandbox runs until Ctrl-C. To preview the root project against it, in another shell at the root:\n\n${previewCommand}\n`,
      );
      await new Promise((resolve) => process.once("SIGINT", resolve));
    }
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
