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
    newOperation(); // the next refresh: a process reads each group once
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

describe("single memberships' addresses, resolved with the program's look-ahead (see resources/lookAhead.ts)", () => {
  const LOOK_UPS = "GET /users";
  const lookUps = () => sandbox.counters.snapshot().byRoute[LOOK_UPS] ?? 0;
  type Checked = Awaited<ReturnType<ProviderProcess["check"]>>;

  /**
   * Checks one resource per address, one after another, as the engine does; each 200th passes the next
   * 200 addresses as `__lookAhead`, as the program-side classes do. `olds[i]`, if given, is its state.
   */
  async function checkInTurn(group: number, addresses: string[], olds: Array<Record<string, unknown> | undefined> = []): Promise<Checked[]> {
    const results: Checked[] = [];
    for (const [i, user] of addresses.entries()) {
      const lookAhead = i % 200 === 0 ? { __lookAhead: addresses.slice(i, i + 200) } : {};
      results.push(await dynamic.check(olds[i] ?? {}, { __kind: "UserGroupMembership", user, group, ...lookAhead }));
    }
    return results;
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  /** A group of its own and `count` users not in it, by address. */
  function people(count: number, first: number): { group: number; addresses: string[] } {
    const group = sandbox.store.addWorkspaceGroup({ name: `look-ahead ${first}` }).id;
    const users = sandbox.store.ensureUsers(first + count).slice(first);
    return { group, addresses: users.map((user) => user.emailAddress) };
  }

  it("450 singles checked one at a time cost ⌈450/200⌉ = 3 look-ups, and the hint reaches no inputs", async () => {
    const { group, addresses } = people(450, 20);
    const results = await checkInTurn(group, addresses);
    expect(results.filter((r) => r.failures !== undefined)).toEqual([]);
    expect(lookUps()).toBe(3);
    expect(results.some((r) => r.inputs !== undefined && "__lookAhead" in r.inputs)).toBe(false);
    expect(results.map((r) => r.inputs?.user)).toEqual(addresses);
  });

  it("with state, a no-op check makes no request, and 2 new people among 200 cost one look-up", async () => {
    const { group, addresses } = people(200, 470);
    const first = await checkInTurn(group, addresses);
    newOperation();
    sandbox.counters.reset();
    const olds = first.map((r) => r.inputs);
    await checkInTurn(group, addresses, olds);
    expect(sandbox.counters.snapshot().total).toBe(0);

    newOperation();
    const newcomers = sandbox.store.ensureUsers(672).slice(670);
    const changed = [...addresses.slice(0, 198), ...newcomers.map((user) => user.emailAddress)];
    sandbox.counters.reset();
    const results = await checkInTurn(group, changed, olds.slice(0, 198));
    expect(results.filter((r) => r.failures !== undefined)).toEqual([]);
    expect(lookUps()).toBe(1);
  });

  it("checked in another order (carriers first, as the engine does, then the rest out of order), 2 new people cost one look-up", async () => {
    const { group, addresses } = people(450, 1700);
    const first = await checkInTurn(group, addresses);
    const newcomers = sandbox.store.ensureUsers(2152).slice(2150);
    const changed = [...addresses.slice(0, 398), ...newcomers.map((user) => user.emailAddress), ...addresses.slice(400)];
    newOperation();
    sandbox.counters.reset();
    const order = [0, 200, 400, ...range(201, 450).filter((i) => i !== 400), ...range(1, 200)];
    for (const i of order) {
      const lookAhead = i % 200 === 0 ? { __lookAhead: changed.slice(i, i + 200) } : {};
      const result = await dynamic.check(first[i].inputs!.user === changed[i] ? first[i].inputs! : {}, {
        __kind: "UserGroupMembership",
        user: changed[i],
        group,
        ...lookAhead,
      });
      expect(result.failures).toBeUndefined();
    }
    expect(lookUps()).toBe(1);
  });

  it("someone who left and a typo in the look-ahead share one look-up of disabled users; each fails on its own resource", async () => {
    const { group, addresses } = people(4, 680);
    const [, left] = sandbox.store.ensureUsers(684).slice(680);
    sandbox.store.disableUser(left.id);
    const typo = addresses[3].replace("sandbox", "sandbx");
    const declared = [...addresses.slice(0, 3), typo];
    const check = (user: string, lookAhead = {}) => dynamic.check({}, { __kind: "UserGroupMembership", user, group, ...lookAhead });
    const results = [await check(declared[0], { __lookAhead: declared }), await check(declared[1]), await check(declared[2])];
    // The active look-up of all four; then the disabled one of the two it did not find, asked by the one who left.
    expect(lookUps()).toBe(2);
    expect(results.map((r) => r.failures)).toEqual([
      undefined,
      [{ property: "user", reason: match.stringMatching(/no longer active/) }],
      undefined,
    ]);
    const last = await check(typo);
    expect(last.failures).toEqual([{ property: "user", reason: match.stringContaining(`did you mean ${addresses[3]}?`) }]);
    sandbox.store.enableUser(left.id);
  });
});

describe("a refresh's reads of single memberships, answered from pages of their group (see runtime/membershipReads.ts)", () => {
  const READS = "GET /user_group_memberships";
  const reads = () => sandbox.counters.snapshot().byRoute[READS] ?? 0;

  /** A group of its own with `members` members, oldest first: the state of a single membership for each. */
  function stackOf(members: number, first: number) {
    const group = sandbox.store.addWorkspaceGroup({ name: `refresh ${first}` }).id;
    const users = sandbox.store.ensureUsers(first + members).slice(first);
    const created = sandbox.store.addMemberships(users.map((user) => ({ userId: user.id, workspaceGroupId: group })));
    return created.map((m, i) => ({
      id: String(m.id),
      outs: {
        __kind: "UserGroupMembership",
        user: users[i].emailAddress,
        userId: m.userId,
        group: "g",
        groupId: group,
        membershipId: m.id,
        adoptExisting: false,
        adopted: false,
      },
    }));
  }

  /** Reads them all, `parallel` at a time, as the engine does; how many were found. */
  async function refresh(state: ReturnType<typeof stackOf>, parallel: number): Promise<number> {
    let next = 0;
    let found = 0;
    const worker = async () => {
      while (next < state.length) {
        const { id, outs } = state[next++];
        if ((await dynamic.read(id, outs)).id === id) found++;
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return found;
  }

  it("450 singles of their own group, read 8 at a time or all at once: ⌈450/200⌉ GETs", async () => {
    const state = stackOf(450, 700);
    await expect(refresh(state, 8)).resolves.toBe(450);
    expect(reads()).toBe(3); // the first page, then the two others
    newOperation();
    sandbox.counters.reset();
    await expect(refresh(state, 450)).resolves.toBe(450);
    expect(reads()).toBe(3);
  });

  it("a group of one page is read once for all its singles, and a removed membership is reported gone", async () => {
    const state = stackOf(150, 1150).slice(0, 100);
    sandbox.store.removeMembership(Number(state[99].id));
    await expect(refresh(state, 8)).resolves.toBe(99);
    expect(reads()).toBe(1);
  });

  it("one single in a 1,000-member group costs the first page and a find of its own, not the whole group", async () => {
    const newest = stackOf(1000, 1300).slice(-1);
    await expect(refresh(newest, 8)).resolves.toBe(1);
    expect(reads()).toBe(2);
  });
});
