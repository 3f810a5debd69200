import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { DATA_FILE_NAME, type Sandbox, startSandbox } from "../../sandbox";
import { call, makeTempDir, objects, parseDataFile } from "./helpers";

const dirs: string[] = [];
function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const addMembership = (sandbox: Sandbox, userId: number, groupId: number) =>
  call(sandbox, "POST", "/user_group_memberships", { body: { user_group_membership: { user_id: userId, workspace_group_id: groupId } } });

const readDataFile = (dir: string): { memberships: Array<{ id: number }> } =>
  parseDataFile(fs.readFileSync(path.join(dir, DATA_FILE_NAME), "utf8"));

test("without a data file the sandbox starts from the demo seed and writes it", async () => {
  const dir = tempDir();
  const sandbox = await startSandbox({ dataDir: dir });
  await sandbox.stop();
  const data = parseDataFile(fs.readFileSync(path.join(dir, DATA_FILE_NAME), "utf8"));
  expect(data).toMatchObject({ version: 1, memberships: [] });
  expect(data.users).toHaveLength(20);
  expect(data.workspaceGroups).toHaveLength(3);
});

test("memberships, groups and id sequences survive a restart with the same dataDir", async () => {
  const dir = tempDir();
  const first = await startSandbox({ dataDir: dir });
  const created = await addMembership(first, 1001, 5521);
  const [membershipId] = objects(created.body, "user_group_memberships").map((m) => Number(m.id));
  await call(first, "POST", "/workspace_groups", { body: { workspace_group: { name: "Persisted" } } });
  await first.stop();

  const second = await startSandbox({ dataDir: dir });
  try {
    const listed = await call(second, "GET", "/user_group_memberships");
    expect(objects(listed.body, "user_group_memberships")).toEqual(objects(created.body, "user_group_memberships"));
    expect(second.store.findWorkspaceGroupByName("persisted")).toBeDefined();
    const next = await addMembership(second, 1002, 5521);
    expect(Number(objects(next.body, "user_group_memberships")[0].id)).toBeGreaterThan(membershipId);
    // A deleted membership stays deleted after a restart too.
    await call(second, "DELETE", `/user_group_memberships/${membershipId}`);
  } finally {
    await second.stop();
  }
  const third = await startSandbox({ dataDir: dir });
  expect(third.store.getMembership(membershipId)).toBeUndefined();
  await third.stop();
});

test("the data file parses as JSON after every write and no temporary files are left behind", async () => {
  const dir = tempDir();
  const sandbox = await startSandbox({ dataDir: dir });
  try {
    for (const userId of [1001, 1002, 1003]) {
      await addMembership(sandbox, userId, 5522);
      expect(readDataFile(dir).memberships).toHaveLength(userId - 1000);
    }
    expect(fs.readdirSync(dir)).toEqual([DATA_FILE_NAME]);
  } finally {
    await sandbox.stop();
  }
});

/** Reads the file in a tight loop on another thread until told to stop; counts reads that do not parse. */
const READER = `
const { workerData, parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const stop = new Int32Array(workerData.stop);
let reads = 0;
let torn = 0;
parentPort.postMessage("ready");
while (Atomics.load(stop, 0) === 0) {
  try { JSON.parse(fs.readFileSync(workerData.file, "utf8")); } catch { torn++; }
  reads++;
}
parentPort.postMessage({ reads, torn });
`;

test("a reader running alongside the writes never sees a partial file", async () => {
  const dir = tempDir();
  const sandbox = await startSandbox({ dataDir: dir });
  // A larger file widens the window in which a non-atomic write would be visible half-done.
  const users = sandbox.store.ensureUsers(2000);
  const stop = new SharedArrayBuffer(4);
  const reader = new Worker(READER, { eval: true, workerData: { file: path.join(dir, DATA_FILE_NAME), stop } });
  try {
    await once(reader, "message"); // "ready"
    for (const user of users.slice(0, 60)) await addMembership(sandbox, user.id, 5523);
  } finally {
    Atomics.store(new Int32Array(stop), 0, 1);
    await sandbox.stop();
  }
  const [{ reads, torn }] = (await once(reader, "message")) as [{ reads: number; torn: number }];
  await reader.terminate();
  expect(reads).toBeGreaterThan(60);
  expect(torn).toBe(0);
});

test("a data file in an unknown format is refused, not overwritten", async () => {
  const dir = tempDir();
  const file = path.join(dir, DATA_FILE_NAME);
  fs.writeFileSync(file, JSON.stringify({ version: 2, things: [] }));
  await expect(startSandbox({ dataDir: dir })).rejects.toThrow(/not a version 1 Kantata sandbox data file/);
  expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ version: 2, things: [] });
});

test("a data file that breaks an invariant is refused", async () => {
  const dir = tempDir();
  const first = await startSandbox({ dataDir: dir });
  first.store.addMembership({ userId: 1001, workspaceGroupId: 5521 });
  await first.stop();
  const file = path.join(dir, DATA_FILE_NAME);
  const data = parseDataFile(fs.readFileSync(file, "utf8"));
  data.memberships.push({ ...data.memberships[0], id: data.memberships[0].id + 1 });
  fs.writeFileSync(file, JSON.stringify(data));
  await expect(startSandbox({ dataDir: dir })).rejects.toThrow(/already in workspace group/);
});

describe("restarting on the same port", () => {
  test("a sandbox stopped and started again on its port with the same dataDir serves the same data at the same url", async () => {
    const dir = tempDir();
    const first = await startSandbox({ dataDir: dir });
    const created = await addMembership(first, 1001, 5521);
    expect(created.status).toBe(200);
    const { port, url } = first;
    await first.stop();

    const second = await startSandbox({ port, dataDir: dir });
    try {
      expect(second.url).toBe(url);
      // The same client (and its pool of keep-alive connections) carries on against the new server.
      const listed = await call(second, "GET", "/user_group_memberships");
      expect(listed.status).toBe(200);
      expect(objects(listed.body, "user_group_memberships")).toEqual(objects(created.body, "user_group_memberships"));
      expect((await addMembership(second, 1002, 5521)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  test("a restart while a create's response is still pending keeps the create and fails only that response", async () => {
    const dir = tempDir();
    const first = await startSandbox({ dataDir: dir });
    first.faults.failNext(1, "slow", { method: "POST", delayMs: 60_000 });
    const pending = addMembership(first, 1003, 5522);
    while (first.store.findMembership(1003, 5522) === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    await first.stop();
    await expect(pending).rejects.toThrow();

    const second = await startSandbox({ port: first.port, dataDir: dir });
    try {
      const { status, body } = await call(second, "GET", "/user_group_memberships?user_ids=1003&group_ids=5522");
      expect(status).toBe(200);
      expect(body?.count).toBe(1);
    } finally {
      await second.stop();
    }
  });
});
