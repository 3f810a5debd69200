import { type ProviderProcess, failureOf, providerFor } from "../../../test/support/dynamic";
import { match } from "../../../test/support/matchers";
import type { Sandbox } from "../../../sandbox";
import { CREATE, DELETE, LIST, membersOf, routeCount, startTestSandbox } from "../../../test/support/sandbox";

let sandbox: Sandbox;
/** The provider process of the current Pulumi operation. */
let dynamic: ProviderProcess;
let groupId: number;
const members = () => membersOf(sandbox, groupId);
const emailOf = (userId: number) => sandbox.store.getUser(userId)!.emailAddress;
const range = (count: number, first = 1001) => Array.from({ length: count }, (_, i) => first + i);
/** State's members for people declared by email: normalised email → user id. */
const byEmail = (userIds: number[]) => Object.fromEntries(userIds.map((id) => [emailOf(id).toLowerCase(), id]));

/** The program's arguments for these people, declared by email (so check resolves them) unless `byId`. */
const args = (userIds: number[], extra: Record<string, unknown> = {}, byId = false) => ({
  __kind: "WorkspaceGroupMembers",
  group: groupId,
  members: userIds.map((id) => (byId ? id : emailOf(id))),
  ...extra,
});

/** Checked inputs, as the engine gets them: `olds` are the previous checked inputs (none for a resource new to the stack). */
async function declared(userIds: number[], extra: Record<string, unknown> = {}, byId = false, olds: Record<string, unknown> = {}) {
  const { inputs, failures } = await dynamic.check(olds, args(userIds, extra, byId));
  expect(failures).toBeUndefined();
  return inputs!;
}

/** Every Pulumi operation starts a new provider process: nothing read by an earlier one is remembered. */
const newOperation = () => {
  // retryBudgetSeconds: give up fast when a test makes the API fail for good.
  dynamic = providerFor(sandbox, { "kantata:retryBudgetSeconds": "0.2" });
};

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.store.ensureUsers(400);
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  newOperation();
  groupId = sandbox.store.addWorkspaceGroup({ name: `wgm-${Math.random()}` }).id;
  sandbox.counters.reset();
  sandbox.faults.clear();
});

describe("the WorkspaceGroupMembers provider against the sandbox", () => {
  it("creates 250 members with one paged read (at check) and 3 bulk POSTs, recording each person under their address", async () => {
    const userIds = range(250);
    const inputs = await declared(userIds);
    expect(routeCount(sandbox, LIST)).toBe(1);
    sandbox.counters.reset();
    const { id, outs } = await dynamic.create(inputs);
    expect(id).toBe(String(groupId));
    expect(members()).toEqual(userIds);
    expect(outs.members).toEqual(byEmail(userIds));
    expect(outs).toMatchObject({ groupId, preexisting: [], undeclared: {} });
    // The create applies the plan check made against its read, in the same process: no second read.
    expect([routeCount(sandbox, LIST), routeCount(sandbox, CREATE), sandbox.counters.snapshot().total]).toEqual([0, 3, 3]);
  });

  it("refresh reads the group once per 200 members and reports drift as inputs", async () => {
    const userIds = range(202);
    const { id, outs } = await dynamic.create(await declared(userIds));
    sandbox.store.removeMembership(sandbox.store.findMembership(1001, groupId)!.id);
    sandbox.counters.reset();
    const read = await dynamic.read(id, outs);
    expect(routeCount(sandbox, LIST)).toBe(2);
    expect(read.inputs!.members).toEqual(byEmail(userIds.slice(1)));
    expect(read.props!.members).toEqual(byEmail(userIds.slice(1)));
    await expect(dynamic.diff(id, read.props!, await declared(userIds))).resolves.toEqual({ changes: true, replaces: [] });
  });

  it("a changed declaration is planned against the group as read at check: adds what is missing, removes what was dropped", async () => {
    const created = await declared([1001, 1002, 1003]);
    const { id, outs } = await dynamic.create(created);
    sandbox.store.removeMembership(sandbox.store.findMembership(1002, groupId)!.id); // drift nobody refreshed
    newOperation();
    sandbox.counters.reset();
    const news = await declared([1001, 1002, 1004], {}, false, created);
    expect(news.__plan).toMatchObject({ gains: byEmail([1002, 1004]), losses: byEmail([1003]), unchanged: {} });
    const { outs: after } = await dynamic.update(id, outs, news);
    expect(members()).toEqual([1001, 1002, 1004]);
    expect(after.members).toEqual(byEmail([1001, 1002, 1004]));
    expect([routeCount(sandbox, LIST), routeCount(sandbox, CREATE), routeCount(sandbox, DELETE)]).toEqual([1, 1, 1]);
  });

  it("a batch that fails midway leaves an error carrying the id and what was actually applied, kind included", async () => {
    const userIds = range(150);
    sandbox.faults.failNext(20, "503", { method: "POST", path: "/user_group_memberships" });
    const nothingApplied = await failureOf(dynamic.create(await declared(userIds.slice(0, 1))));
    expect(nothingApplied.message).toMatch(
      /^1 change\(s\) to workspace group "wgm-[^"]+" failed \(Kantata request id [^)]+\): adding ada\.lovelace@example\.com \(Kantata OX is busy \(503\)/,
    );
    expect(nothingApplied.name).not.toBe("PartialFailure");
    expect(nothingApplied.id).toBeUndefined(); // nothing exists, so nothing to record
    expect(nothingApplied.properties).toBeUndefined();
    expect(members()).toEqual([]);
    sandbox.faults.clear();
    const inputs = await declared(userIds);
    sandbox.counters.reset();
    // The first bulk POST (100 members) is applied but its response is lost; the client finds them by
    // re-listing. The second bulk POST then fails for good. Scripted faults apply in the order armed.
    sandbox.faults.failNext(1, "503-after-commit", { method: "POST", path: "/user_group_memberships" });
    sandbox.faults.failNext(20, "503", { method: "POST", path: "/user_group_memberships" });
    const error = await failureOf(dynamic.create(inputs));
    expect(error).toMatchObject({ name: "PartialFailure", id: String(groupId), properties: { __kind: "WorkspaceGroupMembers" } });
    expect(members()).toHaveLength(100); // the first batch of the plan (people in address order)
    expect(members().every((userId) => userIds.includes(userId))).toBe(true);
    expect(error.properties!.members).toEqual(byEmail(members()));
    sandbox.faults.clear();
    newOperation();
    sandbox.counters.reset();
    // The next `up`: the declaration is as recorded, so check reads nothing, and the update resumes from what state says exists.
    const resumed = await declared(userIds, {}, false, inputs);
    expect(resumed.__plan).toBeUndefined();
    const { outs } = await dynamic.update(String(groupId), error.properties!, resumed);
    expect(outs.members).toEqual(byEmail(userIds));
    expect(members()).toEqual(userIds);
    expect(routeCount(sandbox, CREATE)).toBe(1); // only the 50 still missing
  });

  it("taking over a group authoritatively fails the preview when it would remove more than maxRemovals, before writing anything", async () => {
    sandbox.store.addMemberships([1001, 1002, 1003].map((userId) => ({ userId, workspaceGroupId: groupId })));
    const refused = await dynamic.check({}, args([1004], { mode: "authoritative", maxRemovals: 2 }));
    expect(refused.failures).toEqual([
      {
        property: "members",
        reason: match.stringContaining(
          `would remove 3 members from workspace group "${sandbox.store.getWorkspaceGroup(groupId)!.name}" (${[1001, 1002, 1003].map(emailOf).join(", ")})`,
        ),
      },
    ]);
    expect(routeCount(sandbox, CREATE) + routeCount(sandbox, DELETE)).toBe(0);
    const { outs } = await dynamic.create(await declared([1004], { mode: "authoritative", maxRemovals: 3 }));
    expect(members()).toEqual([1004]);
    expect(outs.undeclared).toEqual({});
  });

  it("delete reads the group and removes each managed member with one DELETE, skipping those already gone", async () => {
    const { id, outs } = await dynamic.create(await declared([1001, 1002, 1003], {}, true));
    expect(outs.members).toEqual({ "1001": 1001, "1002": 1002, "1003": 1003 });
    sandbox.store.removeMembership(sandbox.store.findMembership(1002, groupId)!.id);
    sandbox.store.addMembership({ userId: 1004, workspaceGroupId: groupId }); // not managed: left alone
    newOperation();
    sandbox.counters.reset();
    await dynamic.delete(id, outs);
    expect(members()).toEqual([1004]);
    expect([routeCount(sandbox, LIST), routeCount(sandbox, DELETE), sandbox.counters.snapshot().total]).toEqual([1, 2, 3]);
  });

  it("delete keeps members who were there first, unless removePreexistingOnDestroy", async () => {
    sandbox.store.addMembership({ userId: 1001, workspaceGroupId: groupId });
    const { id, outs } = await dynamic.create(await declared([1001, 1002]));
    expect(outs.preexisting).toEqual([emailOf(1001)]);
    await dynamic.delete(id, outs);
    expect(members()).toEqual([1001]);
    const again = await dynamic.create(await declared([1001, 1002], { removePreexistingOnDestroy: true }));
    await dynamic.delete(again.id, again.outs);
    expect(members()).toEqual([]);
  });

  it("members this token created earlier (an interrupted create) are taken over as managed, not pre-existing", async () => {
    await dynamic.create(await declared([1001, 1002])); // its result never reached state
    newOperation();
    sandbox.counters.reset();
    const again = await declared([1001, 1002]);
    expect(again.__plan).toEqual({ gains: {}, losses: {}, unchanged: byEmail([1001, 1002]), adopted: [] });
    const { outs } = await dynamic.create(again);
    expect(outs).toMatchObject({ members: byEmail([1001, 1002]), preexisting: [] });
    expect(routeCount(sandbox, CREATE)).toBe(0);
    await dynamic.delete(String(groupId), outs);
    expect(members()).toEqual([]);
  });

  describe("people who left (their login is disabled)", () => {
    afterEach(() => sandbox.store.enableUser(1003));

    it("authoritative: a declared person who left is not added, and their remaining membership is removed like any undeclared member's", async () => {
      sandbox.store.addMemberships([1001, 1003].map((userId) => ({ userId, workspaceGroupId: groupId })));
      sandbox.store.disableUser(1003);
      const inputs = await declared([1001, 1002, 1003], { mode: "authoritative" });
      expect(inputs.inactive).toEqual(byEmail([1003]));
      expect(inputs.__plan).toMatchObject({ gains: byEmail([1002]), losses: byEmail([1003]), unchanged: byEmail([1001]) });
      const { outs } = await dynamic.create(inputs);
      expect(members()).toEqual([1001, 1002]);
      expect(outs).toMatchObject({ members: byEmail([1001, 1002]), inactive: byEmail([1003]) });
    });

    it("additive: their membership is left as it is, and nothing is added for them", async () => {
      sandbox.store.addMembership({ userId: 1003, workspaceGroupId: groupId });
      sandbox.store.disableUser(1003);
      const inputs = await declared([1001, 1003]);
      expect(inputs.__plan).toMatchObject({ gains: byEmail([1001]), losses: {}, unchanged: {} });
      const { outs } = await dynamic.create(inputs);
      expect(members()).toEqual([1001, 1003]);
      expect(outs).toMatchObject({ members: byEmail([1001]), undeclared: byEmail([1003]), inactive: byEmail([1003]) });
    });

    it("authoritative: a member who left after they were added is found by the refresh (one GET) and removed by the next update, its plan naming them", async () => {
      const { id, outs } = await dynamic.create(await declared([1001, 1003], { mode: "authoritative" }));
      sandbox.store.disableUser(1003); // HR offboards Grace after the group was applied
      newOperation();
      sandbox.counters.reset();
      const read = await dynamic.read(id, outs);
      expect(routeCount(sandbox, "GET /users")).toBe(1);
      expect(read.props).toMatchObject({ members: byEmail([1001]), inactive: byEmail([1003]), undeclared: byEmail([1003]) });
      const again = await declared([1001, 1003], { mode: "authoritative" }, false, read.inputs);
      expect(again.inactive).toEqual(byEmail([1003]));
      expect(again.__plan).toMatchObject({ gains: {}, losses: byEmail([1003]) });
      await expect(dynamic.diff(id, read.props!, again)).resolves.toEqual({ changes: true, replaces: [] });
      const { outs: after } = await dynamic.update(id, read.props!, again);
      expect(members()).toEqual([1001]);
      expect(after).toMatchObject({ members: byEmail([1001]), inactive: byEmail([1003]), undeclared: {} });
      newOperation(); // and the next preview plans nothing
      const next = await declared([1001, 1003], { mode: "authoritative" }, false, again);
      await expect(dynamic.diff(id, after, next)).resolves.toEqual({ changes: false, replaces: [] });
    });

    it("additive: a member who left after they were added is recorded as inactive and left in the group, no longer managed", async () => {
      const { id, outs } = await dynamic.create(await declared([1001, 1003]));
      sandbox.store.disableUser(1003);
      newOperation();
      const read = await dynamic.read(id, outs);
      expect(read.props).toMatchObject({ members: byEmail([1001]), inactive: byEmail([1003]), undeclared: byEmail([1003]) });
      const again = await declared([1001, 1003], {}, false, read.inputs);
      expect(again.inactive).toEqual(byEmail([1003]));
      await expect(dynamic.diff(id, read.props!, again)).resolves.toEqual({ changes: false, replaces: [] });
      expect(members()).toEqual([1001, 1003]);
    });

    it("a refresh forgets someone whose login works again (one GET for all of them), so the next preview adds them", async () => {
      sandbox.store.disableUser(1003);
      const first = await declared([1001, 1003]);
      const { id, outs } = await dynamic.create(first);
      sandbox.store.enableUser(1003);
      newOperation();
      sandbox.counters.reset();
      const read = await dynamic.read(id, outs);
      expect(read.inputs!.inactive).toBeUndefined();
      expect(routeCount(sandbox, "GET /users")).toBe(1);
      const again = await declared([1001, 1003], {}, false, read.inputs);
      expect(again.__plan).toMatchObject({ gains: byEmail([1003]) });
      await dynamic.update(id, read.props!, again);
      expect(members()).toEqual([1001, 1003]);
    });
  });

  describe("end dates recorded by the program", () => {
    it("pass through to the outputs; a new or changed end date is a change of its own", async () => {
      const inputs = await declared([1001, 1002], {
        expires: { [emailOf(1002).toUpperCase()]: "2026-12-31" },
        expired: { [emailOf(1003)]: "2026-06-30" },
      });
      expect(inputs).toMatchObject({ expires: { [emailOf(1002)]: "2026-12-31" }, expired: { [emailOf(1003)]: "2026-06-30" } });
      const { id, outs } = await dynamic.create(inputs);
      expect(outs).toMatchObject({ expires: { [emailOf(1002)]: "2026-12-31" }, expired: { [emailOf(1003)]: "2026-06-30" } });
      const same = await declared(
        [1002, 1001],
        { expires: { [emailOf(1002)]: "2026-12-31" }, expired: { [emailOf(1003)]: "2026-06-30" } },
        false,
        inputs,
      );
      await expect(dynamic.diff(id, outs, same)).resolves.toEqual({ changes: false, replaces: [] });
      const later = await declared(
        [1001, 1002],
        { expires: { [emailOf(1002)]: "2027-03-31" }, expired: { [emailOf(1003)]: "2026-06-30" } },
        false,
        inputs,
      );
      await expect(dynamic.diff(id, outs, later)).resolves.toEqual({ changes: true, replaces: [] });
    });

    it("are checked against the members: a date for someone undeclared, an expired person still declared, a malformed day", async () => {
      const result = await dynamic.check(
        {},
        args([1001, 1002], {
          expires: { [emailOf(1003)]: "2026-12-31", [emailOf(1001)]: "31.12.2026" },
          expired: { [emailOf(1002)]: "2026-01-31" },
        }),
      );
      expect(result.failures).toEqual([
        {
          property: `expires["${emailOf(1001)}"]`,
          reason: `expires["${emailOf(1001)}"] must be a day as YYYY-MM-DD, such as 2026-12-31; got "31.12.2026" (string).`,
        },
        { property: `expires["${emailOf(1003)}"]`, reason: `expires gives ${emailOf(1003)} an end date, but members does not name them.` },
        {
          property: `expired["${emailOf(1002)}"]`,
          reason: `${emailOf(1002)} is listed as expired (last day 2026-01-31) and is still in members; leave people whose access ended out of members.`,
        },
      ]);
    });
  });
});
