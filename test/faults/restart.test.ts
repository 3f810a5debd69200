// Fault 5: Kantata itself goes away — the sandbox stopped (every connection dropped) and started again on
// the same port and data directory — in the middle of a 2,000-member create.
import { rmSync } from "node:fs";
import { newWorkDir } from "../../scripts/lib/pulumi";
import { FaultProject, FaultSandbox, GROUPS, fmt, recordRow, upUntilConverged } from "./harness";
import { buildScenario, converged, expectCleanPreview, expectExactlyDeclared } from "./scenario";

jest.setTimeout(300_000);

const SIZES = { groupMembers: 2000, memberships: 100 };
/** Stop as a POST arrives once half the group exists: the 2,000-member create is then half done. */
const STOP_WHEN_GROUP_HAS = 1000;
const DOWN_MS = 1500;

let box: FaultSandbox;
let project: FaultProject;
const dataDir = newWorkDir("faults-data");

afterAll(async () => {
  await project?.dispose();
  await box?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("a sandbox restart mid-create: converges within two `pulumi up`s to exactly the declaration, preview clean", async () => {
  const started = Date.now();
  box = await FaultSandbox.start({ dataDir });
  const scenario = buildScenario(box, SIZES);
  project = await FaultProject.open(box.sandbox.url);
  project.declare(scenario.declaration);
  let restarted: Promise<void> | undefined;
  let committedAtStop = 0;
  let stoppedAtPost = 0;
  box.onPost = (n) => {
    if (restarted || box.membersOf(GROUPS.emea).length < STOP_WHEN_GROUP_HAS) return;
    stoppedAtPost = n;
    committedAtStop = box.store.listMemberships().length;
    restarted = box.restart(DOWN_MS);
  };
  const { runs } = await upUntilConverged(project, 2);
  expect(restarted).toBeDefined();
  await restarted;
  box.onPost = undefined;
  expectExactlyDeclared(box, scenario);
  await expectCleanPreview(project);
  recordRow("restart", {
    order: 6,
    fault: `sandbox stopped (at membership POST #${stoppedAtPost}, the group half created) in the middle of a ${fmt(SIZES.groupMembers)}-member create (+ ${SIZES.memberships} single memberships), restarted ${DOWN_MS / 1000} s later on the same port and data`,
    ups: runs,
    outcome: `${converged(scenario)} (${fmt(committedAtStop)} memberships existed at the stop)`,
    seconds: Math.round((Date.now() - started) / 1000),
  });
});
