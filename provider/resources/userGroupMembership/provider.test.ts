import { type ProviderProcess, providerFor } from "../../../test/support/dynamic";
import type { Sandbox } from "../../../sandbox";
import { match } from "../../../test/support/matchers";
import { CREATE, startTestSandbox } from "../../../test/support/sandbox";

let sandbox: Sandbox;
/** The provider process of the current Pulumi operation. */
let dynamic: ProviderProcess;
const GROUP = 5521;
const GROUP_NAME = "Delivery-EMEA";
const EMAILS: Record<number, string> = {
  1001: "ada.lovelace@example.com",
  1002: "alan.turing@example.com",
  1003: "grace.hopper@example.com",
  1004: "edsger.dijkstra@example.com",
  1005: "barbara.liskov@example.com",
  1006: "donald.knuth@example.com",
  1007: "margaret.hamilton@example.com",
};

/** The inputs `check` returns for this person in Delivery-EMEA. */
const inputs = (userId: number, adoptExisting = false) => ({
  __kind: "UserGroupMembership",
  user: EMAILS[userId],
  userId,
  group: GROUP_NAME,
  groupId: GROUP,
  adoptExisting,
});

/** Inputs as the engine gets them: the program's arguments, checked by the provider. */
async function checked(userId: number, adoptExisting = false) {
  const result = await dynamic.check({}, { __kind: "UserGroupMembership", user: EMAILS[userId].toUpperCase(), group: GROUP, adoptExisting });
  expect(result.failures).toBeUndefined();
  return result.inputs!;
}

/** Every Pulumi operation starts a new provider process: nothing read by an earlier one is remembered. */
const newOperation = () => {
  dynamic = providerFor(sandbox);
};

const plan = (userId: number, how: "gains" | "unchanged", adopted = false) => ({
  gains: {},
  losses: {},
  unchanged: {},
  [how]: { [EMAILS[userId]]: userId },
  adopted: adopted ? [EMAILS[userId]] : [],
});

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  newOperation();
  sandbox.counters.reset();
});

describe("the UserGroupMembership provider against the sandbox", () => {
  it("check resolves the person and the group, normalises them, keeps the resource kind, and plans from a read of the group", async () => {
    await expect(
      dynamic.check({}, { __kind: "UserGroupMembership", user: "Ada.Lovelace@Example.com", group: "delivery-emea" }),
    ).resolves.toEqual({
      inputs: { ...inputs(1001), __plan: plan(1001, "gains") },
    });
    expect(sandbox.counters.snapshot().byRoute["GET /user_group_memberships"]).toBe(1);
  });

  it("create adds the membership and returns everything delete needs", async () => {
    const { id, outs } = await dynamic.create(await checked(1001));
    expect(outs).toEqual({
      ...inputs(1001),
      membershipId: Number(id),
      adopted: false,
      createdAt: match.any(String),
      creatorId: match.any(Number),
    });
    expect(sandbox.store.findMembership(1001, GROUP)?.id).toBe(Number(id));
  });

  it("read returns props and inputs, and no id once the membership was removed behind its back", async () => {
    const { id, outs } = await dynamic.create(await checked(1002));
    await expect(dynamic.read(id, outs)).resolves.toEqual({ id, props: outs, inputs: inputs(1002) });
    sandbox.store.removeMembership(Number(id));
    await expect(dynamic.read(id, outs)).resolves.toEqual({ props: undefined, inputs: undefined });
  });

  it("check refuses a membership that already exists, naming it and how to adopt it: the preview fails, not the update", async () => {
    const existing = sandbox.store.addMembership({ userId: 1003, workspaceGroupId: GROUP });
    const result = await dynamic.check({}, { __kind: "UserGroupMembership", user: EMAILS[1003], group: GROUP });
    expect(result.failures).toEqual([
      {
        property: "user",
        reason: match.stringMatching(
          new RegExp(
            `${EMAILS[1003]} \\(user 1003\\) is already a member of workspace group "${GROUP_NAME}" \\(membership ${existing.id}\\).*adoptExisting: true`,
          ),
        ),
      },
    ]);
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);
  });

  it("adoptExisting adopts the existing membership without creating one", async () => {
    const existing = sandbox.store.addMembership({ userId: 1004, workspaceGroupId: GROUP });
    const adopting = await checked(1004, true);
    expect(adopting.__plan).toEqual(plan(1004, "unchanged", true));
    const { id, outs } = await dynamic.create(adopting);
    expect(id).toBe(String(existing.id));
    expect(outs).toMatchObject({ membershipId: existing.id, adopted: true, adoptExisting: true });
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);
  });

  it("a membership this token created earlier (an interrupted run) is taken over as its own, not adopted", async () => {
    const { id: first } = await dynamic.create(await checked(1007)); // the create whose result never reached state
    newOperation();
    sandbox.counters.reset();
    const again = await checked(1007);
    expect(again.__plan).toEqual(plan(1007, "unchanged"));
    const { id, outs } = await dynamic.create(again);
    expect(id).toBe(first);
    expect(outs).toMatchObject({ adopted: false, adoptExisting: false });
    expect(sandbox.counters.snapshot().byRoute[CREATE] ?? 0).toBe(0);
  });

  it("update changes only adoptExisting and the names, and keeps the membership", async () => {
    const { id, outs } = await dynamic.create(await checked(1005));
    await expect(dynamic.update(id, outs, inputs(1005, true))).resolves.toEqual({ outs: { ...outs, adoptExisting: true } });
    await expect(dynamic.update(id, outs, { ...inputs(1005), user: "1005" })).resolves.toEqual({ outs: { ...outs, user: "1005" } });
    expect(sandbox.counters.snapshot().byRoute[CREATE]).toBe(1);
  });

  it("delete removes the membership, and deleting it again is fine", async () => {
    const { id, outs } = await dynamic.create(await checked(1006));
    await dynamic.delete(id, outs);
    expect(sandbox.store.findMembership(1006, GROUP)).toBeUndefined();
    await expect(dynamic.delete(id, outs)).resolves.toBeUndefined();
  });

  it("routes nothing it does not know", async () => {
    await expect(dynamic.create({ userId: 1 })).rejects.toThrow(/__kind is undefined/);
  });
});
