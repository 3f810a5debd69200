import fc from "fast-check";
import { type MembershipRecord, type Sandbox, type UserRecord, startSandbox } from "../../sandbox";
import { NO_DETAILS, type WireFields, addMembers, call, freshGroup, objects, resultIds } from "./helpers";

let sandbox: Sandbox;
let users: UserRecord[];

beforeAll(async () => {
  sandbox = await startSandbox();
  users = sandbox.store.ensureUsers(260);
});
afterAll(() => sandbox.stop());

const get = (path: string) => call(sandbox, "GET", path);
const idsOf = (memberships: readonly MembershipRecord[]): string[] => memberships.map((m) => String(m.id));
const userIds = (count: number): number[] => users.slice(0, count).map((u) => u.id);

describe("GET /user_group_memberships: the envelope", () => {
  test("an empty result has count 0 and page_count and page_number 0", async () => {
    const group = freshGroup(sandbox);
    const { status, body } = await get(`/user_group_memberships?group_ids=${group.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      count: 0,
      meta: { count: 0, page_count: 0, page_number: 0, page_size: 20 },
      results: [],
      user_group_memberships: {},
    });
  });

  test("ids and foreign keys are strings and objects are keyed by id under the plural key", async () => {
    const group = freshGroup(sandbox);
    const [membership] = addMembers(sandbox, group, userIds(1));
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}`);
    expect(body?.results).toEqual([{ key: "user_group_memberships", id: String(membership.id) }]);
    expect(body?.user_group_memberships).toEqual({
      [String(membership.id)]: {
        id: String(membership.id),
        user_id: String(membership.userId),
        workspace_group_id: String(group.id),
        creator_id: String(membership.creatorId),
        created_at: membership.createdAt,
      },
    });
  });

  test("count is the total for the whole query while results hold only the page", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, userIds(5));
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}&per_page=2&page=2`);
    expect(body?.count).toBe(5);
    expect(body?.meta).toEqual({ count: 5, page_count: 3, page_number: 2, page_size: 2 });
    expect(body?.results).toHaveLength(2);
  });

  test("the .json suffix is optional", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, userIds(2));
    const plain = await get(`/user_group_memberships?group_ids=${group.id}`);
    const suffixed = await get(`/user_group_memberships.json?group_ids=${group.id}`);
    expect(suffixed.status).toBe(200);
    expect(suffixed.body).toEqual(plain.body);
  });
});

describe("GET /user_group_memberships: pagination", () => {
  test("per_page defaults to 20", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, userIds(25));
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}`);
    expect(body?.results).toHaveLength(20);
    expect(body?.meta).toEqual({ count: 25, page_count: 2, page_number: 1, page_size: 20 });
  });

  test("per_page above 200 is silently cut to 200", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, userIds(250));
    const { status, body } = await get(`/user_group_memberships?group_ids=${group.id}&per_page=1000`);
    expect(status).toBe(200);
    expect(body?.results).toHaveLength(200);
    expect(body?.meta).toEqual({ count: 250, page_count: 2, page_number: 1, page_size: 200 });
  });

  test("walking the pages with any page size yields every membership exactly once, in order", async () => {
    const group = freshGroup(sandbox);
    const members = addMembers(sandbox, group, userIds(23));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 25 }), async (perPage) => {
        const walked: string[] = [];
        for (let page = 1; ; page++) {
          const { body } = await get(`/user_group_memberships?group_ids=${group.id}&order=created_at:asc&per_page=${perPage}&page=${page}`);
          walked.push(...resultIds(body));
          if (page >= (body?.meta?.page_count ?? 0)) break;
        }
        expect(walked).toEqual(idsOf(members));
      }),
      { numRuns: 15 },
    );
  });

  test("a page past the end is empty but still reports the total", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, userIds(3));
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}&page=5`);
    expect(body?.results).toEqual([]);
    expect(body?.meta).toEqual({ count: 3, page_count: 1, page_number: 5, page_size: 20 });
  });

  test.each(["page=0", "page=abc", "per_page=0", "per_page=-5", "per_page=2.5"])(
    "%s is a 400 validation error naming the parameter",
    async (param) => {
      const { status, body } = await get(`/user_group_memberships?${param}`);
      expect(status).toBe(400);
      expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field: param.split("=")[0] })]);
    },
  );
});

describe("GET /user_group_memberships: filters", () => {
  test("user_ids keeps the memberships of the listed users", async () => {
    const [a, b] = [freshGroup(sandbox), freshGroup(sandbox)];
    const [u1, u2, u3] = userIds(3);
    const inA = addMembers(sandbox, a, [u1, u2, u3]);
    const inB = addMembers(sandbox, b, [u1, u2]);
    const { body } = await get(`/user_group_memberships?user_ids=${u1},${u3}&group_ids=${a.id},${b.id}&order=created_at:asc`);
    // inA[0] and inB[0] share a created_at; the tie goes to the lower id.
    expect(resultIds(body)).toEqual(idsOf([inA[0], inB[0], inA[2]]));
  });

  test("group_ids keeps the memberships of the listed groups", async () => {
    const [a, b, c] = [freshGroup(sandbox), freshGroup(sandbox), freshGroup(sandbox)];
    const inA = addMembers(sandbox, a, userIds(2));
    addMembers(sandbox, b, userIds(2));
    const inC = addMembers(sandbox, c, userIds(1));
    const { body } = await get(`/user_group_memberships?group_ids=${a.id},${c.id}&order=created_at:asc`);
    expect(resultIds(body)).toEqual(idsOf([inA[0], inC[0], inA[1]]));
  });

  test("only returns the named memberships and never 404s for unknown ones", async () => {
    const group = freshGroup(sandbox);
    const members = addMembers(sandbox, group, userIds(3));
    const hit = await get(`/user_group_memberships?only=${members[1].id},99999999`);
    expect(hit.status).toBe(200);
    expect(resultIds(hit.body)).toEqual([String(members[1].id)]);
    const miss = await get("/user_group_memberships?only=99999999");
    expect(miss.status).toBe(200);
    expect(miss.body?.count).toBe(0);
  });

  test("an id list entry that is not an id matches nothing", async () => {
    const { status, body } = await get("/user_group_memberships?user_ids=abc");
    expect(status).toBe(200);
    expect(body?.count).toBe(0);
  });

  test("a blank filter is ignored, as Rails ignores blank parameters", async () => {
    const filtered = await get("/user_group_memberships?user_ids=&per_page=1");
    const unfiltered = await get("/user_group_memberships?per_page=1");
    expect(filtered.body?.count).toBe(unfiltered.body?.count);
    expect(filtered.body?.count).toBeGreaterThan(0);
  });

  test("include=user,workspace_group side-loads the referenced users and groups", async () => {
    const group = freshGroup(sandbox);
    const [u1, u2] = users;
    addMembers(sandbox, group, [u1.id, u2.id]);
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}&include=user,workspace_group`);
    expect(body?.users).toEqual({
      [String(u1.id)]: { id: String(u1.id), full_name: u1.fullName, email_address: u1.emailAddress },
      [String(u2.id)]: { id: String(u2.id), full_name: u2.fullName, email_address: u2.emailAddress },
    });
    expect(body?.workspace_groups).toEqual({
      [String(group.id)]: {
        id: String(group.id),
        name: group.name,
        company: false,
        ...NO_DETAILS,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      },
    });
  });

  test("include=user side-loads exactly the users of each page, on every page", async () => {
    const group = freshGroup(sandbox);
    addMembers(sandbox, group, userIds(30));
    const usersOfPage = async (page: number) => {
      const { body } = await get(`/user_group_memberships?group_ids=${group.id}&include=user&per_page=20&page=${page}`);
      const memberIds = objects(body, "user_group_memberships").map((m) => m.user_id);
      const sideLoaded = (body?.users ?? {}) as Record<string, WireFields>;
      expect(Object.keys(sideLoaded).sort()).toEqual([...memberIds].sort());
      for (const id of memberIds) {
        const user = users.find((u) => String(u.id) === id);
        expect(sideLoaded[String(id)]).toEqual({ id, full_name: user?.fullName, email_address: user?.emailAddress });
      }
      return memberIds;
    };
    const [first, second] = [await usersOfPage(1), await usersOfPage(2)];
    expect([first.length, second.length]).toEqual([20, 10]);
    expect(new Set([...first, ...second]).size).toBe(30);
  });

  test("without include nothing is side-loaded", async () => {
    const { body } = await get("/user_group_memberships?per_page=1");
    expect(Object.keys(body ?? {}).sort()).toEqual(["count", "meta", "results", "user_group_memberships"]);
  });

  test("an include the resource does not have is a 400 validation error", async () => {
    const { status, body } = await get("/user_group_memberships?include=creator");
    expect(status).toBe(400);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "include" })]);
  });
});

describe("GET /user_group_memberships: order", () => {
  test("the default order is created_at descending", async () => {
    const group = freshGroup(sandbox);
    const members = addMembers(sandbox, group, userIds(4));
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}`);
    expect(resultIds(body)).toEqual(idsOf(members).reverse());
    expect(objects(body, "user_group_memberships").map((m) => m.created_at)).toEqual(members.map((m) => m.createdAt).reverse());
  });

  test("created_at:asc lists the oldest first", async () => {
    const group = freshGroup(sandbox);
    // Created newest-first, so id order and created_at order disagree.
    const members = userIds(4).map((userId, i) =>
      sandbox.store.addMembership({ userId, workspaceGroupId: group.id, createdAt: `2025-03-0${4 - i}T10:00:00+00:00` }),
    );
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}&order=created_at:asc`);
    expect(resultIds(body)).toEqual(idsOf(members).reverse());
  });

  test("equal created_at values are ordered by id in the same direction", async () => {
    const group = freshGroup(sandbox);
    const tied = sandbox.store.addMemberships(
      userIds(3).map((userId) => ({ userId, workspaceGroupId: group.id, createdAt: "2025-06-01T00:00:00+00:00" })),
    );
    const ascending = await get(`/user_group_memberships?group_ids=${group.id}&order=created_at:asc`);
    const descending = await get(`/user_group_memberships?group_ids=${group.id}&order=created_at:desc`);
    expect(resultIds(ascending.body)).toEqual(idsOf(tied));
    expect(resultIds(descending.body)).toEqual(idsOf(tied).reverse());
  });

  test("timestamps with other offsets are stored in UTC and ordered by the instant they name", async () => {
    const group = freshGroup(sandbox);
    const [pacific, utc] = userIds(2);
    const late = sandbox.store.addMembership({ userId: pacific, workspaceGroupId: group.id, createdAt: "2025-01-14T09:12:03-08:00" });
    const early = sandbox.store.addMembership({ userId: utc, workspaceGroupId: group.id, createdAt: "2025-01-14T16:00:00Z" });
    expect(late.createdAt).toBe("2025-01-14T17:12:03+00:00");
    const { body } = await get(`/user_group_memberships?group_ids=${group.id}&order=created_at:asc`);
    expect(resultIds(body)).toEqual(idsOf([early, late]));
  });

  test("an order that is not created_at:asc or created_at:desc is a 400 validation error", async () => {
    const { status, body } = await get("/user_group_memberships?order=id:asc");
    expect(status).toBe(400);
    expect(body?.errors).toEqual([expect.objectContaining({ type: "validation", field: "order" })]);
  });
});
