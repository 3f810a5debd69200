import type { Sandbox } from "../../../sandbox";
import { AccessRules, type AccessRule, WorkspaceGroupMembers } from "../..";
import { deployedResources, ownedPerTest, upThenNoChanges } from "../../../test/support/engine";

/**
 * AccessRules from a TypeScript program (no access.yaml), driven by the real engine: declared after the
 * groups with dependsOn, judged at preview, a broken rule refusing the preview and `up` alike.
 */
jest.setTimeout(240_000);

const [ADA, ALAN, GRACE] = ["ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com"];
/** Three rules that hold for one approver and one requester. */
const HOLDING: AccessRule[] = [
  { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" },
  { allowedDomains: ["example.com"] },
  { maxMembers: { group: "Finance-Approvers", max: 2 } },
];
/** Alan in both groups: breaks the first rule. */
const ALAN_IN_BOTH = { approvers: [ADA, ALAN], requesters: [ALAN, GRACE] };

interface Declaration {
  approvers: string[];
  requesters: string[];
  rules: AccessRule[];
}

const own = ownedPerTest();
const membershipsIn = (sandbox: Sandbox) => () =>
  sandbox.store
    .listMemberships()
    .map((m) => `${sandbox.store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${sandbox.store.getUser(m.userId)!.emailAddress}`)
    .sort();

/**
 * A sandbox with the two Finance groups, and a stack of the test's own declaring them (authoritative, Ada
 * approving, Alan requesting) and the HOLDING rules; `declare` changes the declaration for the next run.
 */
async function finance() {
  const sandbox = await own.sandbox();
  sandbox.store.addWorkspaceGroup({ name: "Finance-Approvers" });
  sandbox.store.addWorkspaceGroup({ name: "Finance-Requesters" });
  let declared: Declaration = { approvers: [ADA], requesters: [ALAN], rules: HOLDING };
  const engine = await own.stack(
    sandbox,
    async () => {
      const a = new WorkspaceGroupMembers("approvers", { group: "Finance-Approvers", members: declared.approvers, mode: "authoritative" });
      const r = new WorkspaceGroupMembers("requesters", { group: "Finance-Requesters", members: declared.requesters, mode: "authoritative" });
      new AccessRules("finance-rules", { rules: declared.rules }, { dependsOn: [a, r] });
    },
    { tokenVia: "env" },
  );
  return {
    sandbox,
    engine,
    /** Applies that declaration: a test that starts where an earlier one left off calls this first. */
    applyHolding: () => engine.stack.up(),
    declare: (change: Partial<Declaration>) => (declared = { ...declared, ...change }),
    memberships: membershipsIn(sandbox),
  };
}

describe("AccessRules in a program", () => {
  it("rules that hold are recorded; over authoritative groups a no-op preview still asks Kantata nothing", async () => {
    const { sandbox, engine, memberships } = await finance();
    const rules = HOLDING;
    await upThenNoChanges(engine, sandbox);
    expect(memberships()).toEqual([`Finance-Approvers: ${ADA}`, `Finance-Requesters: ${ALAN}`]);
    const recorded = (await deployedResources(engine)).find((r) => r.type.endsWith("AccessRules"))?.outputs;
    expect(recorded).toMatchObject({ rules, evaluation: [{ people: 2 }, { people: 2 }, { groups: ["Finance-Approvers"], people: 1 }] });
  });

  it("a change that breaks a rule fails the preview, before anything is written", async () => {
    const { sandbox, engine, applyHolding, declare } = await finance();
    await applyHolding();
    declare(ALAN_IN_BOTH);
    sandbox.counters.reset();
    await expect(engine.stack.preview()).rejects.toThrow(
      /rule 1 \(separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties\) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: alan\.turing@example\.com\./,
    );
    const { byMethod } = sandbox.counters.snapshot();
    expect((byMethod.POST ?? 0) + (byMethod.DELETE ?? 0)).toBe(0);
  });

  it("an up that skips the preview (as the Automation API's does) applies the groups before the rules fail: the documented limit", async () => {
    const { engine, applyHolding, declare, memberships } = await finance();
    await applyHolding();
    declare(ALAN_IN_BOTH);
    // `pulumi up` previews first and stops there (test/truth); with --skip-preview the rules' check comes after the groups' writes.
    await expect(engine.stack.up()).rejects.toThrow(/rule 1 .* is broken/);
    expect(memberships()).toEqual([
      `Finance-Approvers: ${ADA}`,
      `Finance-Approvers: ${ALAN}`,
      `Finance-Requesters: ${ALAN}`,
      `Finance-Requesters: ${GRACE}`,
    ]);
    await expect(engine.stack.preview()).rejects.toThrow(/rule 1 .* is broken/); // and every later preview fails until it is fixed
  });

  it("changing the rules is an update of their own; dropping the broken one lets the change through", async () => {
    const { sandbox, engine, applyHolding, declare, memberships } = await finance();
    // Where the test above leaves the stack: the groups' change applied, the rules refusing it.
    await applyHolding();
    declare(ALAN_IN_BOTH);
    await expect(engine.stack.up()).rejects.toThrow(/rule 1 .* is broken/);
    const rules = HOLDING.slice(1).map((rule) => ("maxMembers" in rule ? { maxMembers: { group: "Finance-Approvers", max: 3 } } : rule));
    declare({ rules });
    await upThenNoChanges(engine, sandbox);
    const recorded = (await deployedResources(engine)).find((r) => r.type.endsWith("AccessRules"))?.outputs;
    expect(recorded).toMatchObject({ rules });
    expect(memberships()).toEqual([
      `Finance-Approvers: ${ADA}`,
      `Finance-Approvers: ${ALAN}`,
      `Finance-Requesters: ${ALAN}`,
      `Finance-Requesters: ${GRACE}`,
    ]);
  });
});
