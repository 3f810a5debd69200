import fs from "node:fs";
import path from "node:path";
import {
  COMPANY_EMAIL_DOMAIN,
  COMPANY_GROUP_COUNT,
  COMPANY_GROUPS,
  COMPANY_MEMBERSHIP_COUNT,
  COMPANY_USER_COUNT,
  DATA_FILE_NAME,
  MAX_PER_PAGE,
  SYSTEM_CREATOR_ID,
  type Sandbox,
  startSandbox,
} from "../../sandbox";
import { type WireFields, call, makeTempDir, objects, parseDataFile } from "./helpers";

const dirs: string[] = [];
function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ account: "company" });
});
afterAll(async () => {
  await sandbox.stop();
  dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

const get = (target: Sandbox, path: string) => call(target, "GET", path);
const fold = (text: string): string => text.toLowerCase();

describe("the company account", () => {
  test("has the documented sizes: 2,500 users, 40 groups, 9,000 memberships", async () => {
    expect([COMPANY_USER_COUNT, COMPANY_GROUP_COUNT, COMPANY_MEMBERSHIP_COUNT]).toEqual([2500, 40, 9000]);
    expect((await get(sandbox, "/users?on_my_account=true")).body?.count).toBe(COMPANY_USER_COUNT);
    expect((await get(sandbox, "/workspace_groups")).body?.count).toBe(COMPANY_GROUP_COUNT);
    expect((await get(sandbox, "/user_group_memberships")).body?.count).toBe(COMPANY_MEMBERSHIP_COUNT);
  });

  test("each group has the member count COMPANY_GROUPS gives it, with ids from 5521 in that order", async () => {
    const listed = objects((await get(sandbox, `/workspace_groups?per_page=${MAX_PER_PAGE}`)).body, "workspace_groups");
    const groups = [...listed].sort((a, b) => Number(a.id) - Number(b.id));
    expect(groups.map((g) => g.name)).toEqual(COMPANY_GROUPS.map((g) => g.name));
    expect(groups.map((g) => Number(g.id))).toEqual(COMPANY_GROUPS.map((_, i) => 5521 + i));
    const counts = await Promise.all(
      groups.map(async (g) => (await get(sandbox, `/user_group_memberships?group_ids=${String(g.id)}&per_page=1`)).body?.count),
    );
    expect(counts).toEqual(COMPANY_GROUPS.map((g) => g.members));
  });

  test("the spread is realistic: a few groups of several hundred to ~1,500 and many of 10 to 100", () => {
    const sizes = COMPANY_GROUPS.map((g) => g.members);
    expect(Math.max(...sizes)).toBeGreaterThan(MAX_PER_PAGE);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1500);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    expect(sizes.filter((size) => size >= 300).length).toBeGreaterThanOrEqual(4);
    expect(sizes.filter((size) => size <= 100).length).toBeGreaterThanOrEqual(20);
  });

  test("the largest group needs several pages, and every page side-loads its members' emails", async () => {
    const largest = [...COMPANY_GROUPS].sort((a, b) => b.members - a.members)[0];
    const id = 5521 + COMPANY_GROUPS.indexOf(largest);
    const emails = new Set<string>();
    let pages = 0;
    for (let page = 1; ; page++) {
      const { body } = await get(sandbox, `/user_group_memberships?group_ids=${id}&include=user&per_page=${MAX_PER_PAGE}&page=${page}`);
      const users = (body?.users ?? {}) as Record<string, WireFields>;
      for (const m of objects(body, "user_group_memberships")) emails.add(String(users[String(m.user_id)].email_address));
      pages++;
      if (page >= (body?.meta?.page_count ?? 0)) break;
    }
    expect(pages).toBe(Math.ceil(largest.members / MAX_PER_PAGE));
    expect(emails.size).toBe(largest.members);
  });

  test("group names are unique case-insensitively, and emails are unique firstname.lastname[N]@northwind.example", () => {
    const names = sandbox.store.listWorkspaceGroups().map((g) => fold(g.name));
    expect(new Set(names).size).toBe(names.length);
    const users = sandbox.store.listUsers();
    const emails = users.map((u) => fold(u.emailAddress));
    expect(new Set(emails).size).toBe(emails.length);
    const format = new RegExp(`^[a-z][a-z-]*\\.[a-z][a-z-]*([2-9]|[1-9]\\d+)?@${COMPANY_EMAIL_DOMAIN.replace(".", "\\.")}$`);
    expect(users.filter((u) => !format.test(u.emailAddress))).toEqual([]);
    expect(users.every((u) => /^\S+ \S.*$/.test(u.fullName))).toBe(true);
  });

  test("a name taken twice gets a numbered address the second time, in id order", () => {
    const byLocal = new Map<string, number[]>();
    for (const user of sandbox.store.listUsers()) {
      const local = user.emailAddress.split("@")[0].replace(/\d+$/, "");
      byLocal.set(local, [...(byLocal.get(local) ?? []), user.id]);
    }
    const [local, ids] = [...byLocal].find(([, list]) => list.length >= 3) ?? ["", []];
    expect(ids.map((id) => sandbox.store.getUser(id)?.emailAddress)).toEqual(
      ids.map((_, i) => `${local}${i === 0 ? "" : i + 1}@${COMPANY_EMAIL_DOMAIN}`),
    );
  });

  test("ids start where the demo's sequences start, memberships are in created_at order, in the past, made by the system", async () => {
    const users = sandbox.store.listUsers().map((u) => u.id);
    const memberships = sandbox.store.listMemberships();
    expect([users[0], users[users.length - 1]]).toEqual([1001, 1000 + COMPANY_USER_COUNT]);
    expect([memberships[0].id, memberships[memberships.length - 1].id]).toEqual([90001, 90000 + COMPANY_MEMBERSHIP_COUNT]);
    const times = memberships.map((m) => m.createdAt);
    expect([...times].sort()).toEqual(times);
    expect(times[times.length - 1] < new Date().toISOString()).toBe(true);
    expect(memberships.every((m) => m.creatorId === SYSTEM_CREATOR_ID)).toBe(true);
    const group = sandbox.store.getWorkspaceGroup(memberships[0].workspaceGroupId);
    expect(group !== undefined && group.createdAt <= memberships[0].createdAt).toBe(true);
  });

  test("two sandboxes started with it hold byte-identical data", async () => {
    const [a, b] = [tempDir(), tempDir()];
    await (await startSandbox({ account: "company", dataDir: a })).stop();
    await (await startSandbox({ account: "company", dataDir: b })).stop();
    const [fileA, fileB] = [a, b].map((dir) => fs.readFileSync(path.join(dir, DATA_FILE_NAME)));
    expect(fileA.equals(fileB)).toBe(true);
    expect(parseDataFile(fileA.toString("utf8")).memberships).toHaveLength(COMPANY_MEMBERSHIP_COUNT);
  });

  test("starts fast: the 9,000 memberships are one store write", async () => {
    const started = Date.now();
    const timed = await startSandbox({ account: "company", dataDir: tempDir() });
    await timed.stop();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("an existing data file wins over the account option", async () => {
    const dir = tempDir();
    await (await startSandbox({ dataDir: dir })).stop();
    const reopened = await startSandbox({ account: "company", dataDir: dir });
    try {
      expect((await get(reopened, "/users?on_my_account=true")).body?.count).toBe(20);
    } finally {
      await reopened.stop();
    }
  });

  test("creates through the API continue the sequences", async () => {
    const { body } = await call(sandbox, "POST", "/workspace_groups", { body: { workspace_group: { name: "New after seed" } } });
    expect(objects(body, "workspace_groups")[0].id).toBe(String(5521 + COMPANY_GROUP_COUNT));
  });
});
