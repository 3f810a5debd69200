import type { Sandbox } from "../../../sandbox";
import type { EngineStack } from "../../../scripts/lib/pulumi";
import { AccessRules, type AccessRule, WorkspaceGroupMembers } from "../..";
import { deployedResources, ownedPerBlock, upThenNoChanges } from "../../../test/support/engine";

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

/**
 * One stack in order, as a team's would go (each CLI run costs seconds of CPU): a sandbox with the two Finance
 * groups, and a stack declaring them (authoritative, Ada approving, Alan requesting) with the HOLDING rules.
 * Each test starts where the one before left the stack; `declare` changes the declaration for the next run.
 */
describe("AccessRules in a program", () => {
  const block = ownedPerBlock();
  let declared: Declaration = { approvers: [ADA], requesters: [ALAN], rules: HOLDING };
  const declare = (change: Partial<Declaration>) => (declared = { ...declared, ...change });
  let sandbox: Sandbox;
  let engine: EngineStack;
  /** Every membership of the sandbox as "Group: email", sorted. */
  const memberships = (): string[] =>
    sandbox.store
      .listMemberships()
      .map((m) => `${sandbox.store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${sandbox.store.getUser(m.userId)!.emailAddress}`)
      .sort();
  beforeAll(async () => {
    sandbox = await block.sandbox();
    sandbox.store.addWorkspaceGroup({ name: "Finance-Approvers" });
    sandbox.store.addWorkspaceGroup({ name: "Finance-Requesters" });
    engine = await block.stack(
      sandbox,
      async () => {
        const a = new WorkspaceGroupMembers("approvers", { group: "Finance-Approvers", members: declared.approvers, mode: "authoritative" });
        const r = new WorkspaceGroupMembers("requesters", { group: "Finance-Requesters", members: declared.requesters, mode: "authoritative" });
        new AccessRules("finance-rules", { rules: declared.rules }, { dependsOn: [a, r] });
      },
      { tokenVia: "env" },
    );
  });

  it("rules that hold are recorded; over authoritative groups a no-op preview still asks Kantata nothing", async () => {
    await upThenNoChanges(engine, sandbox);
    expect(memberships()).toEqual([`Finance-Approvers: ${ADA}`, `Finance-Requesters: ${ALAN}`]);
    const recorded = (await deployedResources(engine)).find((r) => r.type.endsWith("AccessRules"))?.outputs;
    expect(recorded).toMatchObject({ rules: HOLDING, evaluation: [{ people: 2 }, { people: 2 }, { groups: ["Finance-Approvers"], people: 1 }] });
  });

  it("a change that breaks a rule fails the preview, before anything is written", async () => {
    declare(ALAN_IN_BOTH);
    sandbox.counters.reset();
    await expect(engine.stack.preview()).rejects.toThrow(
      /rule 1 \(separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties\) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: alan\.turing@example\.com\./,
    );
    const { byMethod } = sandbox.counters.snapshot();
    expect((byMethod.POST ?? 0) + (byMethod.DELETE ?? 0)).toBe(0);
    expect(memberships()).toEqual([`Finance-Approvers: ${ADA}`, `Finance-Requesters: ${ALAN}`]);
  });

  it("an up that skips the preview (as the Automation API's does) applies the groups before the rules fail: the documented limit", async () => {
    // Still Alan in both. `pulumi up` previews first and stops there (test/truth); with --skip-preview the rules' check comes after the groups' writes.
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
    // Where the test above leaves the stack: the groups' change applied, the rules refusing it.
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
