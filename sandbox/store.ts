import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { type AccountName, accountSeed } from "./accounts";
import type { AccountSeed, MembershipRecord, NewMembership, NewUser, NewWorkspaceGroup, UserRecord, WorkspaceGroupRecord } from "./records";
import { type JsonObject, isJsonObject } from "./json";
import { timestamp } from "./time";

export { timestamp } from "./time";
export type { MembershipRecord, NewMembership, NewUser, NewWorkspaceGroup, UserRecord, WorkspaceGroupRecord } from "./records";

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

export const DATA_FILE_NAME = "kantata-sandbox.json";
export const SYSTEM_CREATOR_ID = 1;

/** First ids handed out; chosen to look like Kantata's and to keep the three kinds apart at a glance. */
const FIRST_IDS = { user: 1001, workspaceGroup: 5521, membership: 90001 } as const;
type Sequence = keyof typeof FIRST_IDS;
const SEQUENCES = Object.keys(FIRST_IDS) as Sequence[];

/** The persisted file. `version` lets a later format refuse, rather than misread, an older file. */
interface DataFile {
  version: 1;
  nextIds: Record<Sequence, number>;
  users: UserRecord[];
  workspaceGroups: WorkspaceGroupRecord[];
  memberships: MembershipRecord[];
}

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
    return this.commit(() => this.insertUser({ id: this.take("user"), ...user }));
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
    return this.commit(() =>
      this.insertWorkspaceGroup({
        id: this.take("workspaceGroup"),
        name: group.name,
        company: group.company ?? false,
        createdAt: group.createdAt === undefined ? timestamp() : canonicalTimestamp(group.createdAt),
      }),
    );
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
    this.commit(() => {
      this.memberships.delete(id);
      this.membershipByPair.delete(pairKey(membership.userId, membership.workspaceGroupId));
    });
    return true;
  }

  /** One commit for the whole seed, however large: the company account's 9,000 memberships are one write. */
  private seed(seed: AccountSeed): void {
    this.commit(() => {
      const userIds = seed.users.map((user) => this.insertUser({ id: this.take("user"), ...user }).id);
      const groupIds = seed.workspaceGroups.map(
        (group) =>
          this.insertWorkspaceGroup({ id: this.take("workspaceGroup"), name: group.name, company: false, createdAt: group.createdAt }).id,
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
    data.workspaceGroups.forEach((group) => this.insertWorkspaceGroup({ ...group, createdAt: canonicalTimestamp(group.createdAt) }));
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
    if (this.filePath !== undefined) writeAtomically(this.filePath, JSON.stringify(this.toDataFile(), null, 2));
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

/**
 * Writes a temporary file in the same directory, then renames it over the target: rename is atomic
 * within a file system, so a reader sees the old file or the new one, never a partial one. The write is
 * synchronous so that a response is only sent once its data is on disk. No fsync: the sandbox's data is
 * disposable, and atomicity against concurrent readers is what matters.
 */
function writeAtomically(filePath: string, contents: string): void {
  const temporary = `${filePath}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(temporary, contents);
    fs.renameSync(temporary, filePath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function readDataFile(filePath: string): DataFile {
  const data: unknown = JSON.parse(fs.readFileSync(filePath, "utf8"));
  if (!isDataFile(data)) {
    // Refuse rather than overwrite: the file may hold someone's data in a format we do not know.
    throw new Error(`${filePath} is not a version 1 Kantata sandbox data file`);
  }
  return data;
}

const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isText = (value: unknown): value is string => typeof value === "string";
const isTimestamp = (value: unknown): value is string => isText(value) && !Number.isNaN(Date.parse(value));

const isUser = (v: unknown): v is UserRecord => isJsonObject(v) && isId(v.id) && isText(v.fullName) && isText(v.emailAddress);
const isWorkspaceGroup = (v: unknown): v is WorkspaceGroupRecord =>
  isJsonObject(v) && isId(v.id) && isText(v.name) && typeof v.company === "boolean" && isTimestamp(v.createdAt);
const isMembership = (v: unknown): v is MembershipRecord =>
  isJsonObject(v) && isId(v.id) && isId(v.userId) && isId(v.workspaceGroupId) && isId(v.creatorId) && isTimestamp(v.createdAt);
const isListOf = <T>(value: unknown, isItem: (item: unknown) => item is T): value is T[] => Array.isArray(value) && value.every(isItem);

function isDataFile(data: unknown): data is DataFile {
  return (
    isJsonObject(data) &&
    data.version === 1 &&
    isJsonObject(data.nextIds) &&
    SEQUENCES.every((sequence) => isId((data.nextIds as JsonObject)[sequence])) &&
    isListOf(data.users, isUser) &&
    isListOf(data.workspaceGroups, isWorkspaceGroup) &&
    isListOf(data.memberships, isMembership)
  );
}
