import * as dynamic from "../support/dynamic";
import type { Sandbox } from "../../sandbox";
import { match } from "../support/matchers";
import { membersOf, routeCount, startTestSandbox } from "../support/sandbox";

/**
 * People by email and groups by name, resolved at `check` against a sandbox (seeded users 1001…1020,
 * e.g. 1001 ada.lovelace@example.com; groups 5521 Delivery-EMEA, 5522 Delivery-AMER, 5523 Finance).
 */
let sandbox: Sandbox;
const USERS = "GET /users";
const GROUPS = "GET /workspace_groups";
const MEMBERSHIPS = "GET /user_group_memberships";
const WGM = "WorkspaceGroupMembers";
const UGM = "UserGroupMembership";

/** Points the provider at the sandbox; also starts a fresh process-wide directory (no cached groups). */
async function configure(): Promise<void> {
  const config: Record<string, string> = { "kantata:baseUrl": sandbox.url, "kantata:apiToken": sandbox.token };
  await dynamic.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
}

const checkGroup = (args: Record<string, unknown>, olds: Record<string, unknown> = {}) => dynamic.check(olds, { __kind: WGM, ...args });
const checkUser = (args: Record<string, unknown>, olds: Record<string, unknown> = {}) => dynamic.check(olds, { __kind: UGM, ...args });
const requests = () => sandbox.counters.snapshot().total;
const emailOf = (userId: number) => sandbox.store.getUser(userId)!.emailAddress;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.store.ensureUsers(1000);
  // Names close to the seeded ones, so an exact compare must pick the right group.
  sandbox.store.addWorkspaceGroup({ name: "Delivery-AMERICAS" });
  sandbox.store.addWorkspaceGroup({ name: "Finance (old)" });
  await configure();
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await configure();
  sandbox.counters.reset();
});

describe("naming people by email", () => {
  it("an unknown email fails check, suggesting the close address", async () => {
    const group = await checkGroup({ group: 5521, members: ["ada.lovelace@example.com", "Grace.Hoper@example.com"] });
    expect(group.inputs).toBeUndefined();
    expect(group.failures).toEqual([
      {
        property: "members[1]",
        reason: "No user of this Kantata OX account has the address grace.hoper@example.com; did you mean grace.hopper@example.com?",
      },
    ]);
    const user = await checkUser({ user: "alan.turnig@example.com", group: 5521 });
    expect(user.failures).toEqual([
      {
        property: "user",
        reason: "No user of this Kantata OX account has the address alan.turnig@example.com; did you mean alan.turing@example.com?",
      },
    ]);
  });

  it("several unknown entries are all reported at once, with the group, and an address far from any gets no suggestion", async () => {
    const result = await checkGroup({
      group: "Finanse",
      members: ["ada.lovelase@example.com", 1002, "nobody@elsewhere.org", "grace.hopper@example.com", "edsger.dijkstra@exmaple.com"],
    });
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { property: "group", reason: 'This Kantata OX account has no workspace group named "Finanse"; did you mean "Finance"?' },
        { property: "members[0]", reason: match.stringContaining("did you mean ada.lovelace@example.com?") },
        { property: "members[2]", reason: "No user of this Kantata OX account has the address nobody@elsewhere.org." },
        { property: "members[4]", reason: match.stringContaining("did you mean edsger.dijkstra@example.com?") },
      ]),
    );
    expect(result.failures).toHaveLength(4);
  });

  it("the same person by two spellings fails, naming both entries", async () => {
    const result = await checkGroup({ group: 5521, members: ["Ada.Lovelace@example.com", 1002, "ada.lovelace@EXAMPLE.com"] });
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual([
      {
        property: "members[2]",
        reason:
          'members[2] ("ada.lovelace@EXAMPLE.com") and members[0] ("Ada.Lovelace@example.com") name the same person; list each person once.',
      },
    ]);
  });

  it("the same person by email and by id fails, naming both entries", async () => {
    const result = await checkGroup({ group: 5521, members: [1003, "alan.turing@example.com", "grace.hopper@example.com"] });
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual([
      {
        property: "members[2]",
        reason: 'members[2] ("grace.hopper@example.com") and members[0] (1003) are the same person (user 1003); list each person once.',
      },
    ]);
    const byIdTwice = await checkGroup({ group: 5521, members: [1003, "1003"] });
    expect(byIdTwice.failures).toEqual([
      { property: "members[1]", reason: match.stringContaining('members[1] ("1003") and members[0] (1003) name the same person') },
    ]);
  });
});

describe("people who left (their login is disabled)", () => {
  // Users 1900–1902 stand for people HR offboarded: GET /users hides them unless show_disabled=true.
  const LEFT = [1900, 1901, 1902];
  beforeAll(() => LEFT.forEach((id) => sandbox.store.disableUser(id)));
  afterAll(() => LEFT.forEach((id) => sandbox.store.enableUser(id)));

  it("never fail the check: they are recorded as inactive, apart from the members, in one extra look-up for all of them", async () => {
    const result = await checkGroup({ group: 5521, members: [emailOf(1001), emailOf(1900), emailOf(1002), emailOf(1901).toUpperCase()] });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({
      members: { [emailOf(1001)]: 1001, [emailOf(1002)]: 1002 },
      inactive: { [emailOf(1900)]: 1900, [emailOf(1901)]: 1901 },
    });
    // One look-up of the four addresses among active users, one of the two missing ones with disabled users shown.
    expect(routeCount(sandbox, USERS)).toBe(2);
  });

  it("are not looked up again once recorded: a no-op re-check asks nothing", async () => {
    const first = await checkGroup({ group: 5521, members: [emailOf(1001), emailOf(1902)] });
    await configure();
    sandbox.counters.reset();
    const again = await checkGroup({ group: 5521, members: [emailOf(1902), emailOf(1001)] }, first.inputs);
    expect(again.inputs).toMatchObject({ members: { [emailOf(1001)]: 1001 }, inactive: { [emailOf(1902)]: 1902 } });
    expect(requests()).toBe(0);
  });

  it("a typo is still an error beside them, with its suggestion", async () => {
    const result = await checkGroup({ group: 5521, members: [emailOf(1900), "grace.hoper@example.com"] });
    expect(result.failures).toEqual([
      {
        property: "members[1]",
        reason: "No user of this Kantata OX account has the address grace.hoper@example.com; did you mean grace.hopper@example.com?",
      },
    ]);
  });

  it("a single membership of someone who left fails, saying to remove the resource rather than calling the address unknown", async () => {
    const result = await checkUser({ user: emailOf(1900), group: "Finance" });
    expect(result.failures).toEqual([
      {
        property: "user",
        reason: `${emailOf(1900)} is no longer active in Kantata OX (their login is disabled), so there is no membership to create for them. Remove this resource from the program.`,
      },
    ]);
  });
});

describe("naming groups", () => {
  it.each(["Delivery-AMER", "delivery-amer", "DELIVERY-AMER", " Delivery-AMER ", 5522, "5522"])(
    "group %p resolves to Delivery-AMER, id 5522, spelt as Kantata spells it",
    async (group) => {
      const result = await checkGroup({ group, members: [] });
      expect(result.failures).toBeUndefined();
      expect(result.inputs).toMatchObject({ group: "Delivery-AMER", groupId: 5522 });
      const user = await checkUser({ user: 1001, group });
      expect(user.inputs).toMatchObject({ group: "Delivery-AMER", groupId: 5522 });
    },
  );

  it("a group by id asks for that id only, then reads its members once to plan", async () => {
    await checkGroup({ group: 5523, members: [] });
    expect(routeCount(sandbox, GROUPS)).toBe(1);
    expect(routeCount(sandbox, MEMBERSHIPS)).toBe(1);
    expect(requests()).toBe(2);
  });

  it("an unknown group name suggests the closest name; an unknown id or a far name says what to check", async () => {
    await expect(checkGroup({ group: "delivery-emae", members: [] })).resolves.toEqual({
      failures: [
        { property: "group", reason: 'This Kantata OX account has no workspace group named "delivery-emae"; did you mean "Delivery-EMEA"?' },
      ],
    });
    await expect(checkGroup({ group: 987654, members: [] })).resolves.toEqual({
      failures: [
        { property: "group", reason: "This Kantata OX account has no workspace group with id 987654. Check the id, or name the group instead." },
      ],
    });
    await expect(checkUser({ user: 1001, group: "Marketing" })).resolves.toEqual({
      failures: [{ property: "group", reason: 'This Kantata OX account has no workspace group named "Marketing". Check the spelling.' }],
    });
  });
});

describe("what check asks Kantata", () => {
  it("a no-op re-check with the previous checked inputs as olds makes zero requests", async () => {
    const groupArgs = { group: "Delivery-EMEA", members: ["Ada.Lovelace@example.com", 1002, emailOf(1500)], mode: "authoritative" };
    const userArgs = { user: "grace.hopper@example.com", group: "finance" };
    const [group, user] = await Promise.all([checkGroup(groupArgs), checkUser(userArgs)]);
    expect(group.failures ?? user.failures).toBeUndefined();
    expect(requests()).toBeGreaterThan(0);

    await configure(); // a new provider process: nothing cached, only the olds can spare the requests
    sandbox.counters.reset();
    const again = await Promise.all([
      checkGroup({ ...groupArgs, group: "DELIVERY-emea", members: [...groupArgs.members].reverse() }, group.inputs),
      checkUser(userArgs, user.inputs),
    ]);
    // The same declaration, and nothing to plan: the first check's plan (a group new to the stack) is not repeated.
    const withoutPlan = ({ inputs }: Awaited<ReturnType<typeof checkGroup>>) => ({ ...inputs, __plan: undefined });
    expect(again.map(withoutPlan)).toEqual([group, user].map(withoutPlan));
    expect(again.map((result) => result.inputs?.__plan)).toEqual([undefined, undefined]);
    expect(sandbox.counters.snapshot()).toMatchObject({ total: 0 });
  });

  // 195 and 600 sit just below a multiple of 200 once the 15 known people are added: looking those up again would cost one GET more.
  it.each([
    [30, 1],
    [195, 1],
    [600, 3],
  ])("adding %i new people across 3 resources checked concurrently makes %i user look-up GET(s)", async (k, gets) => {
    expect(gets).toBe(Math.ceil(k / 200));
    const groups = [5521, 5522, 5523];
    // Each resource already has 5 people in its olds; k new addresses are added across the three.
    const before = await Promise.all(
      groups.map((group, g) =>
        checkGroup({ group, members: [1001 + 5 * g, 1002 + 5 * g, 1003 + 5 * g, 1004 + 5 * g, 1005 + 5 * g].map(emailOf) }),
      ),
    );
    before.forEach((result) => expect(result.failures).toBeUndefined());
    await configure();
    sandbox.counters.reset();
    const fresh = (g: number) => Array.from({ length: k / 3 }, (_, i) => emailOf(1100 + g * 300 + i));
    const after = await Promise.all(
      groups.map((group, g) => checkGroup({ group, members: [...Object.keys(before[g].inputs!.members!), ...fresh(g)] }, before[g].inputs)),
    );
    after.forEach((result, g) => {
      expect(result.failures).toBeUndefined();
      expect(Object.keys(result.inputs!.members!)).toHaveLength(5 + k / 3);
      expect(result.inputs!.members![fresh(g)[0]]).toBe(1100 + g * 300);
    });
    expect(routeCount(sandbox, USERS)).toBe(gets);
    // The groups and the 15 known people came from the olds; each changed group is read once to plan.
    expect(routeCount(sandbox, MEMBERSHIPS)).toBe(groups.length);
    expect(requests()).toBe(gets + groups.length);
  });
});

describe("single-person resources checked one at a time, as the engine calls check", () => {
  it("one resource with many new people looks them up 200 at a time and never reads the whole account", async () => {
    const people = Array.from({ length: 900 }, (_, i) => emailOf(1050 + i));
    const result = await checkGroup({ group: 5521, members: people });
    expect(Object.keys(result.inputs!.members!)).toHaveLength(900);
    expect(routeCount(sandbox, USERS)).toBe(Math.ceil(900 / 200));
  });

  it("once single look-ups have cost as much as reading the account would, it is read once and later checks ask nothing more", async () => {
    const people = Array.from({ length: 40 }, (_, i) => emailOf(1200 + i));
    for (const [i, email] of people.entries()) {
      const result = await checkUser({ user: email, group: "Finance" });
      expect(result.inputs).toMatchObject({ user: email, userId: 1200 + i, group: "Finance", groupId: 5523 });
    }
    // P = ⌈users/200⌉ single look-ups, one count, then the P pages of the account: far fewer than one GET per resource.
    const pages = Math.ceil(sandbox.store.listUsers().length / 200);
    expect(pages).toBeLessThan(20);
    expect(routeCount(sandbox, USERS)).toBe(pages + 1 + pages);
    expect(routeCount(sandbox, GROUPS)).toBe(1);
  });

  it("a few single look-ups never read the account", async () => {
    for (let i = 0; i < 4; i++) await checkUser({ user: emailOf(1400 + i), group: 5523 });
    expect(routeCount(sandbox, USERS)).toBe(4 + 1); // four look-ups and the one count that showed reading would cost more
  });

  it("an address missing from the account as read is still asked for directly, and still gets its suggestion", async () => {
    for (let i = 0; i < 20; i++) await checkUser({ user: emailOf(1300 + i), group: 5523 });
    const added = sandbox.store.addUser({ fullName: "New Hire", emailAddress: "new.hire@example.com" });
    expect((await checkUser({ user: "New.Hire@example.com", group: 5523 })).inputs).toMatchObject({ userId: added.id });
    const typo = emailOf(1301).replace("sandbox.user", "sandbox.usr");
    expect((await checkUser({ user: typo, group: 5523 })).failures?.[0].reason).toContain(`did you mean ${emailOf(1301)}?`);
  });
});

describe("refreshing an authoritative group", () => {
  it("reports a member added by hand under their email (in inputs and as undeclared), and drops a member removed by hand", async () => {
    const groupId = sandbox.store.addWorkspaceGroup({ name: "Refresh drift" }).id;
    const declared = { __kind: WGM, group: "Refresh drift", members: [emailOf(1001), emailOf(1002), 1003], mode: "authoritative" };
    const { inputs } = await dynamic.check({}, declared);
    const { id, outs } = await dynamic.create(inputs!);
    expect(membersOf(sandbox, groupId)).toEqual([1001, 1002, 1003]);

    sandbox.store.addMembership({ userId: 1004, workspaceGroupId: groupId }); // added by hand
    sandbox.store.removeMembership(sandbox.store.findMembership(1002, groupId)!.id); // removed by hand
    const read = await dynamic.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.inputs!.members).toEqual({ "ada.lovelace@example.com": 1001, "1003": 1003, "edsger.dijkstra@example.com": 1004 });
    expect(read.props!.members).toEqual({ "ada.lovelace@example.com": 1001, "1003": 1003 });
    expect(read.props!.undeclared).toEqual({ "edsger.dijkstra@example.com": 1004 });
    expect(read.inputs!.undeclared).toBeUndefined();

    // The next preview sees the drift against the program: one to add back, one to remove.
    const { inputs: again } = await dynamic.check(read.inputs!, declared);
    await expect(dynamic.diff(id, read.props!, again!)).resolves.toEqual({ changes: true, replaces: [] });
    const { outs: converged } = await dynamic.update(id, read.props!, again!);
    expect(membersOf(sandbox, groupId)).toEqual([1001, 1002, 1003]);
    expect(converged).toMatchObject({
      members: { "ada.lovelace@example.com": 1001, "alan.turing@example.com": 1002, "1003": 1003 },
      undeclared: {},
    });
  });
});
