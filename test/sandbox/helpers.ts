import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ErrorDetail, type ListEnvelope, type Sandbox, type WorkspaceGroupRecord, timestamp } from "../../sandbox";

/** A decoded response: either a list envelope or an error body (or nothing, for 204). */
export type ResponseBody = Partial<ListEnvelope> & { errors?: ErrorDetail[] };

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: ResponseBody | undefined;
}

export interface CallOptions {
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent verbatim, for malformed bodies. */
  rawBody?: string;
  /** Defaults to the sandbox's admin token; null sends no Authorization header. */
  token?: string | null;
}

/** One real HTTP request to the sandbox; `path` is below /api/v1 and may carry a query. */
export async function call(sandbox: Sandbox, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const token = options.token === undefined ? sandbox.token : options.token;
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : (JSON.parse(text) as ResponseBody) };
}

export type WireFields = Record<string, unknown>;

/** The envelope's objects in `results` order, looked up under their plural key, as a client must. */
export function objects(body: ResponseBody | undefined, key: string): WireFields[] {
  const byId = (body?.[key] ?? {}) as Record<string, WireFields>;
  return (body?.results ?? []).map((ref) => byId[ref.id]);
}

/** The ids in `results`, in order. */
export const resultIds = (body: ResponseBody | undefined): string[] => (body?.results ?? []).map((ref) => ref.id);

/** A workspace group's optional text fields on the wire when none was ever set: Kantata sends them as null. */
export const NO_DETAILS = {
  notes: null,
  contact_name: null,
  email: null,
  phone_number: null,
  address: null,
  website: null,
  external_reference: null,
} as const;

let groupCounter = 0;

/** A new, empty workspace group, so each test can filter on memberships it alone owns. */
export const freshGroup = (sandbox: Sandbox): WorkspaceGroupRecord =>
  sandbox.store.addWorkspaceGroup({ name: `Test group ${process.pid}-${++groupCounter}` });

/** Adds each user to `group` directly in the store, with `created_at` one minute apart from `start`. */
export function addMembers(sandbox: Sandbox, group: WorkspaceGroupRecord, userIds: readonly number[], start = Date.UTC(2025, 0, 1)) {
  return sandbox.store.addMemberships(
    userIds.map((userId, i) => ({
      userId,
      workspaceGroupId: group.id,
      createdAt: timestamp(new Date(start + i * 60_000)),
    })),
  );
}

/** The sandbox's data file (`kantata-sandbox.json`) as tests read it: each kind's records as JSON objects. */
export interface DataFileJson {
  version: number;
  users: WireFields[];
  workspaceGroups: WireFields[];
  memberships: Array<WireFields & { id: number }>;
}

export const parseDataFile = (text: string): DataFileJson => JSON.parse(text) as DataFileJson;

export const makeTempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "kantata-sandbox-test-"));
