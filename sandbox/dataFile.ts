import fs from "node:fs";
import { writeFileAtomically } from "../lib/files";
import { type JsonObject, isJsonObject } from "./json";
import { type MembershipRecord, type UserRecord, type WorkspaceGroupDetails, type WorkspaceGroupRecord, groupDetails } from "./records";

/**
 * The store's data file, `kantata-sandbox.json`: its format, reading it (and files of earlier builds)
 * and writing it atomically.
 */

export const DATA_FILE_NAME = "kantata-sandbox.json";

export const SEQUENCES = ["user", "workspaceGroup", "membership"] as const;
export type Sequence = (typeof SEQUENCES)[number];

/**
 * The persisted file. `version` lets a later format refuse, rather than misread, an older file.
 * Still version 1: later fields (a user's `disabled`, a group's `updatedAt` and details) are additive
 * and have defaults, so files written before them load unchanged; an older sandbox reading a newer
 * file would see every user active and lose the new fields on its next write, which is acceptable
 * for disposable test data and keeps files interchangeable.
 */
export interface DataFile {
  version: 1;
  nextIds: Record<Sequence, number>;
  users: UserRecord[];
  workspaceGroups: WorkspaceGroupRecord[];
  memberships: MembershipRecord[];
}

/** Reads and checks the file; records of earlier builds get the later fields' defaults. Throws on anything else. */
export function readDataFile(filePath: string): DataFile {
  const data: unknown = JSON.parse(fs.readFileSync(filePath, "utf8"));
  if (!isDataFile(data)) {
    // Refuse rather than overwrite: the file may hold someone's data in a format we do not know.
    throw new Error(`${filePath} is not a version 1 Kantata sandbox data file`);
  }
  return {
    version: 1,
    nextIds: data.nextIds,
    users: data.users.map(upgradeUser),
    workspaceGroups: data.workspaceGroups.map(upgradeWorkspaceGroup),
    memberships: data.memberships,
  };
}

/**
 * Writes the data file atomically (a reader sees the old file or the new one, never a partial one). The
 * write is synchronous so that a response is only sent once its data is on disk. No fsync: the
 * sandbox's data is disposable, and atomicity against concurrent readers is what matters.
 */
export function writeDataFile(filePath: string, data: DataFile): void {
  writeFileAtomically(filePath, JSON.stringify(data, null, 2));
}

/** A user as files hold it: `disabled` is absent in files written before it existed. */
type StoredUser = Omit<UserRecord, "disabled"> & { disabled?: boolean };
/** A group as files hold it: `updatedAt` and the details are absent in files written before them. */
type StoredWorkspaceGroup = Pick<WorkspaceGroupRecord, "id" | "name" | "company" | "createdAt"> &
  Partial<Pick<WorkspaceGroupRecord, "updatedAt" | keyof WorkspaceGroupDetails>>;

interface StoredDataFile {
  version: 1;
  nextIds: Record<Sequence, number>;
  users: StoredUser[];
  workspaceGroups: StoredWorkspaceGroup[];
  memberships: MembershipRecord[];
}

const DETAIL_FIELDS = [
  "notes",
  "contactName",
  "email",
  "phoneNumber",
  "address",
  "website",
  "externalReference",
] as const satisfies ReadonlyArray<keyof WorkspaceGroupDetails>;

const upgradeUser = (user: StoredUser): UserRecord => {
  const active = { id: user.id, fullName: user.fullName, emailAddress: user.emailAddress };
  return user.disabled === true ? { ...active, disabled: true } : active;
};

const upgradeWorkspaceGroup = (group: StoredWorkspaceGroup): WorkspaceGroupRecord => ({
  id: group.id,
  name: group.name,
  company: group.company,
  ...groupDetails(group),
  createdAt: group.createdAt,
  updatedAt: group.updatedAt ?? group.createdAt,
});

const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isText = (value: unknown): value is string => typeof value === "string";
const isTimestamp = (value: unknown): value is string => isText(value) && !Number.isNaN(Date.parse(value));
const isOptional = (value: unknown, isType: (value: unknown) => boolean): boolean => value === undefined || isType(value);
const isTextOrNull = (value: unknown): boolean => value === null || isText(value);

const isUser = (v: unknown): v is StoredUser =>
  isJsonObject(v) && isId(v.id) && isText(v.fullName) && isText(v.emailAddress) && isOptional(v.disabled, (d) => typeof d === "boolean");
const isWorkspaceGroup = (v: unknown): v is StoredWorkspaceGroup =>
  isJsonObject(v) &&
  isId(v.id) &&
  isText(v.name) &&
  typeof v.company === "boolean" &&
  isTimestamp(v.createdAt) &&
  isOptional(v.updatedAt, isTimestamp) &&
  DETAIL_FIELDS.every((field) => isOptional(v[field], isTextOrNull));
const isMembership = (v: unknown): v is MembershipRecord =>
  isJsonObject(v) && isId(v.id) && isId(v.userId) && isId(v.workspaceGroupId) && isId(v.creatorId) && isTimestamp(v.createdAt);
const isListOf = <T>(value: unknown, isItem: (item: unknown) => item is T): value is T[] => Array.isArray(value) && value.every(isItem);

function isDataFile(data: unknown): data is StoredDataFile {
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
