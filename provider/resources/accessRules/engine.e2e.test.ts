import type { Sandbox } from "../../../sandbox";
import { AccessRules, type AccessRule, WorkspaceGroupMembers } from "pulumi-kantata";
import { startTestSandbox } from "../../../test/support/sandbox";
import { deployedResources, upThenNoChanges } from "../../../test/support/engine";
import { createEngineStack, type EngineStack } from "../../../scripts/lib/engineStack";

/**
 * AccessRules from a TypeScript program (no access.yaml), driven by the real engine: declared after the
 * groups with dependsOn, judged at preview, a broken rule refusing the preview and `up` alike.
 */
jest.setTimeout(240_000);

const [ADA, ALAN, GRACE] = ["ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com"];

let sandbox: Sandbox;
let engine: EngineStack;
let approvers: string[] = [ADA];
let requesters: string[] = [ALAN];
let rules: AccessRule[] = [];

const memberships = () =>
  sandbox.store
    .listMemberships()
    .map((m) => `${sandbox.store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${sandbox.store.getUser(m.userId)!.emailAddress}`)
    .sort();

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.store.addWorkspaceGroup({ name: "Finance-Approvers" });
  sandbox.store.addWorkspaceGroup({ name: "Finance-Requesters" });
  engine = await createEngineStack({
    program: async () => {
      const a = new WorkspaceGroupMembers("approvers", { group: "Finance-Approvers", members: approvers, mode: "authoritative" });
      const r = new WorkspaceGroupMembers("requesters", { group: "Finance-Requesters", members: requesters, mode: "authoritative" });
      new AccessRules("finance-rules", { rules }, { dependsOn: [a, r] });
    },
    baseUrl: sandbox.url,
    token: sandbox.token,
    tokenVia: "env",
  });
});
afterAll(async () => {
  await engine?.dispose();
  await sandbox?.stop();
});

describe("AccessRules in a program", () => {
  it("rules that hold are recorded; over authoritative groups a no-op preview still asks Kantata nothing", async () => {
    rules = [
      { separate: ["Finance-Approvers", "Finance-Requesters"], reason: "SOX segregation of duties" },
      { allowedDomains: ["example.com"] },
      { maxMembers: { group: "Finance-Approvers", max: 2 } },
    ];
    await upThenNoChanges(engine, sandbox);
    expect(memberships()).toEqual([`Finance-Approvers: ${ADA}`, `Finance-Requesters: ${ALAN}`]);
    const recorded = (await deployedResources(engine)).find((r) => r.type.endsWith("AccessRules"))?.outputs;
    expect(recorded).toMatchObject({ rules, evaluation: [{ people: 2 }, { people: 2 }, { groups: ["Finance-Approvers"], people: 1 }] });
  });

  it("a change that breaks a rule fails the preview, before anything is written", async () => {
    approvers = [ADA, ALAN];
    requesters = [ALAN, GRACE];
    sandbox.counters.reset();
    await expect(engine.stack.preview()).rejects.toThrow(
      /rule 1 \(separate "Finance-Approvers", "Finance-Requesters" — SOX segregation of duties\) is broken: 1 person would be in both "Finance-Approvers" and "Finance-Requesters" after this change: alan\.turing@example\.com\./,
    );
    const { byMethod } = sandbox.counters.snapshot();
    expect((byMethod.POST ?? 0) + (byMethod.DELETE ?? 0)).toBe(0);
  });

  it("an up that skips the preview (as the Automation API's does) applies the groups before the rules fail: the documented limit", async () => {
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
    rules = rules.slice(1).map((rule) => ("maxMembers" in rule ? { maxMembers: { group: "Finance-Approvers", max: 3 } } : rule));
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
