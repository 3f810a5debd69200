import fs from "node:fs";
import path from "node:path";
import { type AccountName, accountSeed } from "./accounts";
import { DATA_FILE_NAME, type DataFile, SEQUENCES, type Sequence, readDataFile, writeDataFile } from "./dataFile";
import {
  type AccountSeed,
  type MembershipRecord,
  type NewMembership,
  type NewUser,
  type NewWorkspaceGroup,
  type UserRecord,
  type WorkspaceGroupChanges,
  type WorkspaceGroupRecord,
  groupDetails,
} from "./records";
import { timestamp } from "./time";

export { timestamp } from "./time";
export { DATA_FILE_NAME } from "./dataFile";
export type {
  MembershipRecord,
  NewMembership,
  NewUser,
  NewWorkspaceGroup,
  UserRecord,
  WorkspaceGroupChanges,
  WorkspaceGroupRecord,
} from "./records";

/**
 * The sandbox's data: users, workspace groups and memberships, with id sequences. Records use numbers
 * for ids; the wire form (string ids, snake_case) is built by the resource handlers.
 *
 * The store guards its own invariants (known references, one membership per user and group, unique
 * group names and emails) and throws a plain Error when one would break. Handlers check the same
 * conditions first to answer with Kantata's 422s; tests that mutate the store directly get the throw.
 */

export interface StoreOptions {
  /** Directory of `kantata-sandbox.json`. Without it the data lives in memory only. */
  dataDir?: string;
  /** What a fresh store starts with; ignored when the data file exists. Default "demo". */
  account?: AccountName;
}

export const SYSTEM_CREATOR_ID = 1;

/** First ids handed out; chosen to look like Kantata's and to keep the three kinds apart at a glance. */
const FIRST_IDS: Readonly<Record<Sequence, number>> = { user: 1001, workspaceGroup: 5521, membership: 90001 };

/** Any parseable timestamp in the store's one format; RangeError if it does not parse. Applied wherever timestamps come in. */
const canonicalTimestamp = (text: string): string => timestamp(new Date(text));

/** "user:group", the natural key of a membership. */
export const pairKey = (userId: number, workspaceGroupId: number): string => `${userId}:${workspaceGroupId}`;
const fold = (text: string): string => text.trim().toLowerCase();

export class Store {
  private readonly users = new Map<number, UserRecord>();
  private readonly groups = new Map<number, WorkspaceGroupRecord>();
  private readonly memberships = new Map<number, MembershipRecord>();
  // Indexes for the lookups done on every create; benchmarks hold thousands of records, so no scans.
  private readonly userByEmail = new Map<string, UserRecord>();
  private readonly groupByName = new Map<string, WorkspaceGroupRecord>();
  private readonly membershipByPair = new Map<string, MembershipRecord>();
  private readonly nextIds: Record<Sequence, number> = { ...FIRST_IDS };

  private constructor(private readonly filePath: string | undefined) {}

  /** Loads `<dataDir>/kantata-sandbox.json` if it exists; otherwise starts from the account's seed (and writes it). */
  static open(options: StoreOptions = {}): Store {
    const filePath = options.dataDir === undefined ? undefined : path.join(options.dataDir, DATA_FILE_NAME);
    if (options.dataDir !== undefined) fs.mkdirSync(options.dataDir, { recursive: true });
    const store = new Store(filePath);
    if (filePath !== undefined && fs.existsSync(filePath)) {
      store.load(readDataFile(filePath));
    } else {
      store.seed(accountSeed(options.account ?? "demo"));
    }
    return store;
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()];
  }

  getUser(id: number): UserRecord | undefined {
    return this.users.get(id);
  }

  /** Case-insensitive, as Kantata compares email addresses. */
  findUserByEmail(emailAddress: string): UserRecord | undefined {
    return this.userByEmail.get(fold(emailAddress));
  }

  addUser(user: NewUser): UserRecord {
    return this.commit(() => this.insertUser({ id: this.take("user"), fullName: user.fullName, emailAddress: user.emailAddress }));
  }

  /** Hides the user from `GET /users` unless `show_disabled=true`; their memberships stay. Throws if there is no such user. */
  disableUser(id: number): UserRecord {
    const { disabled: _, ...active } = this.requireUser(id);
    return this.replaceUser({ ...active, disabled: true });
  }

  /** Undoes {@link disableUser}. Throws if there is no such user. */
  enableUser(id: number): UserRecord {
    const { disabled: _, ...active } = this.requireUser(id);
    return this.replaceUser(active);
  }

  /**
   * Makes sure at least `count` users exist, for benchmarks. Missing ones are created from the user
   * sequence as "Sandbox User <id>" <sandbox.user.<id>@example.com>, so on a fresh store the ids are
   * 1001…(1000 + count). Returns the first `count` users by id. One write for the whole batch.
   */
  ensureUsers(count: number): UserRecord[] {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`ensureUsers: count must be a non-negative integer, got ${count}`);
    this.commit(() => {
      while (this.users.size < count) {
        const id = this.take("user");
        this.insertUser({ id, fullName: `Sandbox User ${id}`, emailAddress: `sandbox.user.${id}@example.com` });
      }
    });
    return this.listUsers()
      .sort((a, b) => a.id - b.id)
      .slice(0, count);
  }

  listWorkspaceGroups(): WorkspaceGroupRecord[] {
    return [...this.groups.values()];
  }

  getWorkspaceGroup(id: number): WorkspaceGroupRecord | undefined {
    return this.groups.get(id);
  }

  /** Case-insensitive, as Kantata compares group names. */
  findWorkspaceGroupByName(name: string): WorkspaceGroupRecord | undefined {
    return this.groupByName.get(fold(name));
  }

  addWorkspaceGroup(group: NewWorkspaceGroup): WorkspaceGroupRecord {
    const createdAt = group.createdAt === undefined ? timestamp() : canonicalTimestamp(group.createdAt);
    return this.commit(() =>
      this.insertWorkspaceGroup({
        id: this.take("workspaceGroup"),
        name: group.name,
        company: group.company ?? false,
        ...groupDetails(group),
        createdAt,
        updatedAt: createdAt,
      }),
    );
  }

  /**
   * Applies the given fields. `updatedAt` moves to now only if a value really changes (Rails touches
   * it only then), and nothing is written otherwise. A new name must not be another group's, ignoring
   * case; the group's own name in another case is fine. Throws if there is no such group.
   */
  updateWorkspaceGroup(id: number, changes: WorkspaceGroupChanges): WorkspaceGroupRecord {
    const group = this.requireWorkspaceGroup(id);
    const changed = (Object.keys(changes) as Array<keyof WorkspaceGroupChanges>).some(
      (field) => changes[field] !== undefined && changes[field] !== group[field],
    );
    if (!changed) return group;
    const clash = changes.name === undefined ? undefined : this.findWorkspaceGroupByName(changes.name);
    if (clash !== undefined && clash.id !== id) throw new Error(`workspace group name "${changes.name}" is taken`);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as WorkspaceGroupChanges;
    const updated: WorkspaceGroupRecord = { ...group, ...defined, updatedAt: timestamp() };
    return this.commit(() => {
      this.groupByName.delete(fold(group.name));
      this.groups.set(id, updated);
      this.groupByName.set(fold(updated.name), updated);
      return updated;
    });
  }

  /**
   * Removes the group and, with it, every membership in it. Kantata does not document what happens to
   * a deleted group's memberships; a membership cannot outlive its group here (the store's invariant
   * is that every membership points at a group), so they go too, in the same write. Returns false if
   * there was no such group.
   */
  removeWorkspaceGroup(id: number): boolean {
    const group = this.groups.get(id);
    if (group === undefined) return false;
    this.commit(() => {
      for (const membership of this.memberships.values()) {
        if (membership.workspaceGroupId === id) this.forgetMembership(membership);
      }
      this.groups.delete(id);
      this.groupByName.delete(fold(group.name));
    });
    return true;
  }

  /** In insertion (= id) order. */
  listMemberships(): MembershipRecord[] {
    return [...this.memberships.values()];
  }

  getMembership(id: number): MembershipRecord | undefined {
    return this.memberships.get(id);
  }

  findMembership(userId: number, workspaceGroupId: number): MembershipRecord | undefined {
    return this.membershipByPair.get(pairKey(userId, workspaceGroupId));
  }

  addMembership(membership: NewMembership): MembershipRecord {
    return this.addMemberships([membership])[0];
  }

  /** All or nothing: every membership is checked before any is stored, then the file is written once. */
  addMemberships(memberships: readonly NewMembership[]): MembershipRecord[] {
    const now = timestamp();
    const batch = new Set<string>();
    const checked = memberships.map((m) => {
      this.assertInsertableMembership(m.userId, m.workspaceGroupId);
      const key = pairKey(m.userId, m.workspaceGroupId);
      if (batch.has(key)) throw new Error(`membership of user ${m.userId} in group ${m.workspaceGroupId} given twice`);
      batch.add(key);
      return {
        userId: m.userId,
        workspaceGroupId: m.workspaceGroupId,
        creatorId: m.creatorId ?? SYSTEM_CREATOR_ID,
        createdAt: m.createdAt === undefined ? now : canonicalTimestamp(m.createdAt),
      };
    });
    return this.commit(() => checked.map((m) => this.insertMembership({ id: this.take("membership"), ...m })));
  }

  /** Returns false if there was no such membership. */
  removeMembership(id: number): boolean {
    const membership = this.memberships.get(id);
    if (membership === undefined) return false;
    this.commit(() => this.forgetMembership(membership));
    return true;
  }

  /** One commit for the whole seed, however large: the company account's 9,000 memberships are one write. */
  private seed(seed: AccountSeed): void {
    this.commit(() => {
      const userIds = seed.users.map((user) => this.insertUser({ id: this.take("user"), ...user }).id);
      const groupIds = seed.workspaceGroups.map(
        (group) =>
          this.insertWorkspaceGroup({
            id: this.take("workspaceGroup"),
            name: group.name,
            company: false,
            ...groupDetails(),
            createdAt: group.createdAt,
            updatedAt: group.createdAt,
          }).id,
      );
      for (const m of seed.memberships) {
        this.insertMembership({
          id: this.take("membership"),
          userId: userIds[m.user],
          workspaceGroupId: groupIds[m.workspaceGroup],
          creatorId: SYSTEM_CREATOR_ID,
          createdAt: m.createdAt,
        });
      }
    });
  }

  /** Goes through the insert methods so a hand-edited file is held to the same invariants as the API. */
  private load(data: DataFile): void {
    data.users.forEach((user) => this.insertUser(user));
    data.workspaceGroups.forEach((group) =>
      this.insertWorkspaceGroup({ ...group, createdAt: canonicalTimestamp(group.createdAt), updatedAt: canonicalTimestamp(group.updatedAt) }),
    );
    data.memberships.forEach((membership) => this.insertMembership({ ...membership, createdAt: canonicalTimestamp(membership.createdAt) }));
    for (const sequence of SEQUENCES) this.nextIds[sequence] = Math.max(this.nextIds[sequence], data.nextIds[sequence]);
  }

  private take(sequence: Sequence): number {
    return this.nextIds[sequence]++;
  }

  private insertUser(user: UserRecord): UserRecord {
    if (this.users.has(user.id)) throw new Error(`user ${user.id} exists already`);
    if (this.findUserByEmail(user.emailAddress) !== undefined) throw new Error(`email ${user.emailAddress} is taken`);
    this.users.set(user.id, user);
    this.userByEmail.set(fold(user.emailAddress), user);
    this.bumpSequence("user", user.id);
    return user;
  }

  private requireUser(id: number): UserRecord {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`no user ${id}`);
    return user;
  }

  /** Swaps a user's record for a new version of it (same id and email), in the indexes too. */
  private replaceUser(user: UserRecord): UserRecord {
    return this.commit(() => {
      this.users.set(user.id, user);
      this.userByEmail.set(fold(user.emailAddress), user);
      return user;
    });
  }

  private requireWorkspaceGroup(id: number): WorkspaceGroupRecord {
    const group = this.groups.get(id);
    if (group === undefined) throw new Error(`no workspace group ${id}`);
    return group;
  }

  private insertWorkspaceGroup(group: WorkspaceGroupRecord): WorkspaceGroupRecord {
    if (this.groups.has(group.id)) throw new Error(`workspace group ${group.id} exists already`);
    if (this.findWorkspaceGroupByName(group.name) !== undefined) throw new Error(`workspace group name "${group.name}" is taken`);
    this.groups.set(group.id, group);
    this.groupByName.set(fold(group.name), group);
    this.bumpSequence("workspaceGroup", group.id);
    return group;
  }

  private insertMembership(membership: MembershipRecord): MembershipRecord {
    if (this.memberships.has(membership.id)) throw new Error(`membership ${membership.id} exists already`);
    this.assertInsertableMembership(membership.userId, membership.workspaceGroupId);
    this.memberships.set(membership.id, membership);
    this.membershipByPair.set(pairKey(membership.userId, membership.workspaceGroupId), membership);
    this.bumpSequence("membership", membership.id);
    return membership;
  }

  private forgetMembership(membership: MembershipRecord): void {
    this.memberships.delete(membership.id);
    this.membershipByPair.delete(pairKey(membership.userId, membership.workspaceGroupId));
  }

  private assertInsertableMembership(userId: number, workspaceGroupId: number): void {
    if (!this.users.has(userId)) throw new Error(`no user ${userId}`);
    if (!this.groups.has(workspaceGroupId)) throw new Error(`no workspace group ${workspaceGroupId}`);
    if (this.findMembership(userId, workspaceGroupId) !== undefined) {
      throw new Error(`user ${userId} is already in workspace group ${workspaceGroupId}`);
    }
  }

  /** Keeps a sequence ahead of every id in use, so loaded or hand-made records never collide with new ones. */
  private bumpSequence(sequence: Sequence, usedId: number): void {
    this.nextIds[sequence] = Math.max(this.nextIds[sequence], usedId + 1);
  }

  /** Runs a mutation, then persists. Mutations are synchronous, so no request ever sees half of one. */
  private commit<T>(mutation: () => T): T {
    const result = mutation();
    if (this.filePath !== undefined) writeDataFile(this.filePath, this.toDataFile());
    return result;
  }

  private toDataFile(): DataFile {
    return {
      version: 1,
      nextIds: { ...this.nextIds },
      users: this.listUsers(),
      workspaceGroups: this.listWorkspaceGroups(),
      memberships: this.listMemberships(),
    };
  }
}
