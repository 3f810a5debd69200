import fs from "node:fs";
import path from "node:path";
import { DATA_FILE_NAME, Store } from "../../sandbox";
import { makeTempDir, parseDataFile } from "./helpers";

const dirs: string[] = [];
function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe("Store.updateWorkspaceGroup", () => {
  test("applies the given fields, keeps the others and moves updatedAt", () => {
    const store = Store.open();
    const group = store.addWorkspaceGroup({ name: "Ops", email: "ops@example.com", createdAt: "2024-05-01T00:00:00Z" });
    expect(group.updatedAt).toBe(group.createdAt);
    const updated = store.updateWorkspaceGroup(group.id, { notes: "on call", company: true });
    expect(updated).toEqual({ ...group, notes: "on call", company: true, updatedAt: updated.updatedAt });
    expect(updated.updatedAt > group.updatedAt).toBe(true);
    expect(store.getWorkspaceGroup(group.id)).toBe(updated);
  });

  test("refuses another group's name in any case, allows its own in another case, and throws for an unknown id", () => {
    const store = Store.open();
    const finance = store.getWorkspaceGroup(5523)!;
    expect(() => store.updateWorkspaceGroup(finance.id, { name: "delivery-amer" })).toThrow(/taken/);
    expect(store.updateWorkspaceGroup(finance.id, { name: "FINANCE" }).name).toBe("FINANCE");
    expect(store.findWorkspaceGroupByName("finance")?.id).toBe(finance.id);
    expect(() => store.updateWorkspaceGroup(999, { notes: "x" })).toThrow(/no workspace group 999/);
  });
});

describe("Store.removeWorkspaceGroup", () => {
  test("removes the group, its memberships and its name; false when there is no such group", () => {
    const store = Store.open();
    store.addMemberships([
      { userId: 1001, workspaceGroupId: 5521 },
      { userId: 1002, workspaceGroupId: 5521 },
      { userId: 1001, workspaceGroupId: 5522 },
    ]);
    expect(store.removeWorkspaceGroup(5521)).toBe(true);
    expect(store.getWorkspaceGroup(5521)).toBeUndefined();
    expect(store.findWorkspaceGroupByName("Delivery-EMEA")).toBeUndefined();
    expect(store.listMemberships().map((m) => m.workspaceGroupId)).toEqual([5522]);
    expect(store.findMembership(1001, 5521)).toBeUndefined();
    expect(store.removeWorkspaceGroup(5521)).toBe(false);
    // The name is free, and a new group does not reuse the id.
    expect(store.addWorkspaceGroup({ name: "delivery-emea" }).id).toBeGreaterThan(5523);
  });
});

describe("the data file", () => {
  test("an update and a delete survive a restart", () => {
    const dir = tempDir();
    const first = Store.open({ dataDir: dir });
    first.addMembership({ userId: 1001, workspaceGroupId: 5522 });
    const updated = first.updateWorkspaceGroup(5521, { name: "Delivery EMEA", website: "https://emea.example.com" });
    first.removeWorkspaceGroup(5522);

    const second = Store.open({ dataDir: dir });
    expect(second.getWorkspaceGroup(5521)).toEqual(updated);
    expect(second.getWorkspaceGroup(5522)).toBeUndefined();
    expect(second.listMemberships()).toEqual([]);
  });

  test("a file written before groups had details and updatedAt loads with nulls and updatedAt = createdAt, and stays version 1", () => {
    const dir = tempDir();
    const file = path.join(dir, DATA_FILE_NAME);
    const older = {
      version: 1,
      nextIds: { user: 1002, workspaceGroup: 5522, membership: 90002 },
      users: [{ id: 1001, fullName: "Ada Lovelace", emailAddress: "ada.lovelace@example.com" }],
      workspaceGroups: [{ id: 5521, name: "Delivery-EMEA", company: false, createdAt: "2024-01-02T09:00:00+00:00" }],
      memberships: [{ id: 90001, userId: 1001, workspaceGroupId: 5521, creatorId: 1, createdAt: "2024-02-01T09:00:00+00:00" }],
    };
    fs.writeFileSync(file, JSON.stringify(older));
    const store = Store.open({ dataDir: dir });
    expect(store.getWorkspaceGroup(5521)).toEqual({
      id: 5521,
      name: "Delivery-EMEA",
      company: false,
      notes: null,
      contactName: null,
      email: null,
      phoneNumber: null,
      address: null,
      website: null,
      externalReference: null,
      createdAt: "2024-01-02T09:00:00+00:00",
      updatedAt: "2024-01-02T09:00:00+00:00",
    });
    expect(store.getUser(1001)).toEqual(older.users[0]);
    store.addWorkspaceGroup({ name: "Written" });
    const written = parseDataFile(fs.readFileSync(file, "utf8"));
    expect(written.version).toBe(1);
    expect(written.workspaceGroups[0]).toMatchObject({ notes: null, updatedAt: "2024-01-02T09:00:00+00:00" });
  });

  test("a group detail of the wrong type in the file is refused", () => {
    const dir = tempDir();
    const store = Store.open({ dataDir: dir });
    store.updateWorkspaceGroup(5521, { notes: "fine" });
    const file = path.join(dir, DATA_FILE_NAME);
    const data = parseDataFile(fs.readFileSync(file, "utf8"));
    data.workspaceGroups[0].notes = 12;
    fs.writeFileSync(file, JSON.stringify(data));
    expect(() => Store.open({ dataDir: dir })).toThrow(/not a version 1 Kantata sandbox data file/);
  });
});
