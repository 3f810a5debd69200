// Fault 7: a bulk POST holding people who are already members — some were members before the stack
// (declared with adoptExisting / taken on by the group resource), others are added by hand while the
// create runs — under both bulk policies of the API: refuse the whole batch (422), or apply the rest.
import type { BulkPolicy } from "../../sandbox";
import { FaultProject, FaultSandbox, GROUPS, fmt, recordRow, upUntilConverged } from "./harness";
import { buildScenario, converged, expectCleanPreview, expectExactlyDeclared } from "./scenario";

jest.setTimeout(300_000);

const SIZES = { groupMembers: 300, memberships: 100, adoptExisting: true };
const policies: Array<{ policy: BulkPolicy; order: number }> = [
  { policy: "all-or-nothing", order: 8 },
  { policy: "partial", order: 9 },
];

describe.each(policies)("bulk policy $policy", ({ policy, order }) => {
  let box: FaultSandbox;
  let project: FaultProject;
  afterAll(async () => {
    await project?.dispose();
    await box?.stop();
  });

  it("members already there (before, and added by hand mid-run) are taken on once, nothing duplicated or lost", async () => {
    const started = Date.now();
    box = await FaultSandbox.start({ bulkPolicy: policy });
    const scenario = buildScenario(box, SIZES);
    const emea = scenario.declared.get(GROUPS.emea)!;
    const finance = scenario.declared.get(GROUPS.finance)!;
    // Pre-seeded: 5 of the single memberships exist already (made by someone else): adoptExisting takes them on.
    const seeded = box.store.addMemberships(finance.slice(0, 5).map((userId) => ({ userId, workspaceGroupId: GROUPS.finance })));
    // Mid-run: as the first membership POST arrives, someone adds 10 declared people by hand, spread over later batches.
    const byHand = [...emea.slice(-5), ...emea.slice(150, 152), ...finance.slice(-3)];
    let handAdded: Array<{ id: number; userId: number }> = [];
    box.onPost = (n) => {
      if (n !== 1) return;
      const pairs = byHand.map((userId) => ({ userId, workspaceGroupId: emea.includes(userId) ? GROUPS.emea : GROUPS.finance }));
      handAdded = box.store.addMemberships(pairs.filter((p) => !box.store.findMembership(p.userId, p.workspaceGroupId)));
    };
    project = await FaultProject.open(box.sandbox.url);
    project.declare(scenario.declaration);
    const { runs } = await upUntilConverged(project, 2);
    box.onPost = undefined;
    expect(handAdded.length).toBeGreaterThan(0);
    expectExactlyDeclared(box, scenario);
    // Nobody's membership was deleted and re-made: the seeded and hand-made ones keep their ids.
    for (const m of [...seeded, ...handAdded]) expect(box.store.getMembership(m.id)?.userId).toBe(m.userId);
    await expectCleanPreview(project);
    const refused = box.posts.filter((p) => p.status === 422).length;
    if (policy === "all-or-nothing") expect(refused).toBeGreaterThan(0);
    recordRow(`bulk-${policy}`, {
      order,
      fault: `bulk POSTs holding existing members, policy "${policy}": 5 single memberships pre-seeded (adoptExisting), ${handAdded.length} declared people added by hand at the first POST`,
      ups: runs,
      outcome: `${converged(scenario)}; existing memberships kept their ids (${fmt(refused)} POSTs refused with 422, ${fmt(box.posts.length)} POSTs in all)`,
      seconds: Math.round((Date.now() - started) / 1000),
    });
  });
});
