/**
 * Writes test/report/fixtures/stack-export.json: what `pulumi stack export` prints for a stack with
 * both resource kinds, made by the real engine against the sandbox, so the report's state decoder is
 * tested on real state rather than on a shape written from memory. Needs the built package (the stack's
 * provider plugin loads a copy of dist/) and the Pulumi CLI (`npm run build && npx tsx scripts/reportStackFixture.ts`).
 *
 * The stack: Delivery-EMEA authoritative with ada and alan, where alan was a member before (recorded
 * as preexisting) and margaret was added by hand (removed by the up); Finance with grace by a
 * UserGroupMembership that adopted her hand-made membership, and edsger by one that created his.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { UserGroupMembership, WorkspaceGroupMembers } from "../provider";
import { startSandbox } from "../sandbox";
import { REPO_ROOT, collectOutput, createEngineStack } from "./lib/pulumi";

const [ALAN, GRACE, MARGARET] = [1002, 1003, 1006];

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  sandbox.store.addMemberships([
    { userId: ALAN, workspaceGroupId: 5521 },
    { userId: MARGARET, workspaceGroupId: 5521 },
    { userId: GRACE, workspaceGroupId: 5523 },
  ]);
  const engine = await createEngineStack({
    baseUrl: sandbox.url,
    token: sandbox.token,
    tokenVia: "env",
    program: async () => {
      new WorkspaceGroupMembers("delivery-emea", {
        group: "Delivery-EMEA",
        members: ["ada.lovelace@example.com", "alan.turing@example.com"],
        mode: "authoritative",
      });
      new UserGroupMembership("grace-in-finance", { user: "grace.hopper@example.com", group: "Finance", adoptExisting: true });
      new UserGroupMembership("edsger-in-finance", { user: "edsger.dijkstra@example.com", group: "Finance" });
    },
  });
  try {
    const output = collectOutput();
    await engine.stack.up({ onOutput: output.onOutput });
    const [exported] = await engine.stateTexts();
    const file = path.join(REPO_ROOT, "test", "report", "fixtures", "stack-export.json");
    writeFileSync(file, exported.replace(/"(time|created|modified)": "[^"]*"/g, '"$1": "2026-01-02T03:04:05.000Z"'));
    process.stdout.write(`wrote ${file}\n`);
  } finally {
    await engine.dispose();
    await sandbox.stop();
  }
}

void main();
