import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import fc from "fast-check";
import {
  type KantataClient,
  KantataApiError,
  type Membership,
  type RetryPolicy,
  type User,
  type WorkspaceGroup,
  createKantataClient,
  isKantataApiError,
} from "../../provider/kantata";
import { SECRET_TOKEN } from "../support/sandbox";

/**
 * The client against answers Kantata does not document, served over real HTTP by a local server (no
 * stubbed axios): bad JSON, wrong types, an HTML error page, a truncated page, a missing count, odd
 * status codes. Every call either gives well-typed values or fails with a KantataApiError — never a
 * TypeError — and no write is sent again unless its answer said to retry (and a POST only after a
 * read that looked for what it may have created).
 */

/** One scripted answer: a status and a body, or a body cut off mid-way (the connection closes). */
interface Answer {
  status: number;
  body: string;
  html?: boolean;
  retryAfter?: string;
  cut?: boolean;
}
interface Seen {
  method: string;
  path: string;
  body: string;
  answer: Answer | undefined;
}

/** After the script, every request gets a 404: walks and retries end, whatever the script said. */
const AFTER_SCRIPT: Answer = { status: 404, body: '{"errors":[{"type":"not_found","message":"no such route"}]}' };

let server: Server;
let baseUrl: string;
let script: Answer[] = [];
let seen: Seen[] = [];

function answer(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const scripted = script[seen.length];
    const url = new URL(req.url ?? "/", "http://localhost");
    seen.push({
      method: req.method ?? "",
      path: url.pathname.replace(/^\/api\/v1/, ""),
      body: Buffer.concat(chunks).toString(),
      answer: scripted,
    });
    const { status, body, html, retryAfter, cut } = scripted ?? AFTER_SCRIPT;
    const headers: Record<string, string | number> = {
      "Content-Type": html ? "text/html; charset=utf-8" : "application/json",
      "Content-Length": Buffer.byteLength(body) + (cut ? 100 : 0),
      ...(retryAfter !== undefined && { "Retry-After": retryAfter }),
    };
    res.writeHead(status, headers);
    if (cut) res.write(body, () => res.destroy());
    else res.end(body);
  });
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Real retries, in milliseconds: a 429 or a 5xx is retried a few times, then reported. */
const QUICK: RetryPolicy = { maxAttempts: 3, maxElapsedMs: 15, baseDelayMs: 1, maxDelayMs: 4 };
const client = (): KantataClient =>
  createKantataClient(
    { explicit: { baseUrl, apiToken: SECRET_TOKEN, concurrency: "fixed", maxConcurrency: 4, logger: () => {} }, env: {} },
    { retryPolicy: QUICK },
  );

// --- Answers --------------------------------------------------------------------------------------------

const KEYS = ["user_group_memberships", "users", "workspace_groups"] as const;
type Key = (typeof KEYS)[number];

/** Values of the wrong type for any field. */
const wrong = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom("", "abc", "12", "1e3", -1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, true, [], {}, [1], { id: 1 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const id = fc.integer({ min: 1, max: 99_999 });

/** One object as Kantata documents it. */
const objectOf = (key: Key, objectId: number): fc.Arbitrary<Record<string, unknown>> => {
  switch (key) {
    case "user_group_memberships":
      return fc.record({
        id: fc.constant(String(objectId)),
        user_id: id,
        workspace_group_id: id,
        creator_id: fc.option(id),
        created_at: fc.constant("2026-01-01T00:00:00+00:00"),
      });
    case "users":
      return fc.record({ id: fc.constant(String(objectId)), email_address: fc.emailAddress(), full_name: fc.string() });
    case "workspace_groups":
      return fc.record({ id: fc.constant(String(objectId)), name: fc.string(), company: fc.boolean(), notes: fc.option(fc.string()) });
  }
};

/** A list envelope as Kantata documents it: objects under their plural key, `results` naming them, the count and the pages (memberships side-load their users). */
const validEnvelope = (key: Key) =>
  fc.uniqueArray(id, { maxLength: 4 }).chain((ids) =>
    fc.tuple(fc.tuple(...ids.map((i) => objectOf(key, i))), fc.tuple(...ids.map((i) => objectOf("users", i)))).map(([objects, users]) => ({
      count: ids.length,
      meta: { count: ids.length, page_count: ids.length > 0 ? 1 : 0, page_number: 1, page_size: 200 },
      results: ids.map((i) => ({ key, id: String(i) })),
      [key]: Object.fromEntries(objects.map((object, n) => [String(ids[n]), object])),
      ...(key === "user_group_memberships" && { users: Object.fromEntries(users.map((user, n) => [String(ids[n]), user])) }),
    })),
  );

/** One change to a JSON value: at a place (a fraction of all its keys and items, in document order), a wrong value, or the key removed. */
/** A place as a fraction, spread evenly: fast-check's doubles crowd 0 and 1, which would only ever change the first or last key. */
const place = fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((n) => n / 10_000);
const mutation = fc.record({ at: place, to: fc.option(wrong, { nil: undefined }) });

function mutate(value: unknown, { at, to }: { at: number; to: unknown }): unknown {
  const copy: unknown = structuredClone(value);
  const places: Array<[Record<string, unknown>, string]> = [];
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      places.push([node as Record<string, unknown>, key]);
      walk(child);
    }
  };
  walk(copy);
  if (places.length === 0) return to;
  const [parent, key] = places[Math.floor(at * places.length)];
  if (to !== undefined) parent[key] = to;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}

/** A valid envelope with one to three things wrong in it: where a client's reading goes wrong. */
const brokenEnvelope = (key: Key) =>
  fc.tuple(validEnvelope(key), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([valid, changes]) => changes.reduce(mutate, valid));

const HTML = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>";
/** Mostly success codes: a bad body matters most when the status says all is well. */
const status = fc.oneof(
  { weight: 7, arbitrary: fc.constantFrom(200, 200, 200, 201, 204) },
  { weight: 3, arbitrary: fc.constantFrom(301, 304, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503) },
);

const body = (key: Key) =>
  fc.oneof(
    { weight: 5, arbitrary: brokenEnvelope(key).map((e) => JSON.stringify(e)) },
    { weight: 1, arbitrary: validEnvelope(key).map((e) => JSON.stringify(e)) },
    // A truncated page: valid JSON cut short.
    {
      weight: 2,
      arbitrary: validEnvelope(key)
        .map((e) => JSON.stringify(e))
        .chain((text) => fc.nat(text.length - 1).map((end) => text.slice(0, end))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "null", "[]", '"text"', "42", "{", '{"errors": "none"}', '{"errors": [null, 1, {"message": 5}]}', HTML),
    },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  );
const scripted = (key: Key): fc.Arbitrary<Answer> =>
  fc.record(
    {
      status,
      body: body(key),
      html: fc.boolean(),
      retryAfter: fc.constantFrom("0", "1", "abc", "Wed, 21 Oct 2015 07:28:00 GMT", "-5"),
      cut: fc.integer({ min: 1, max: 10 }).map((n) => n === 1),
    },
    { requiredKeys: ["status", "body"] },
  );
/** Answers in the order the requests come, each about the objects the call reads. */
const answers = (key: Key) => fc.array(scripted(key), { minLength: 1, maxLength: 8 });

// --- Calls and what a good result looks like ---------------------------------------------------------------

const whole = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n);
const isMembership = (m: Membership) =>
  whole(m.id) && whole(m.userId) && whole(m.workspaceGroupId) && (m.creatorId === undefined || whole(m.creatorId));
const isUser = (u: User) => whole(u.id) && typeof u.email === "string" && typeof u.fullName === "string";
const isGroup = (g: WorkspaceGroup) => whole(g.id) && typeof g.name === "string" && typeof g.company === "boolean";
const every =
  <T>(check: (item: T) => boolean) =>
  (items: T[]) =>
    Array.isArray(items) && items.every(check);

/** Each call, the objects its answers are about, and what a good result looks like. */
const CALLS: Record<string, { key: Key; call: (c: KantataClient) => Promise<unknown>; good: (value: never) => boolean }> = {
  listMemberships: {
    key: "user_group_memberships",
    call: (c) => c.listMemberships({ groupIds: [1, 2] }),
    good: every(isMembership),
  },
  listGroupMembers: {
    key: "user_group_memberships",
    call: (c) => c.listGroupMembers(1),
    good: ({ memberships, users }: { memberships: Membership[]; users: Map<number, User> }) =>
      every(isMembership)(memberships) && [...users].every(([key, user]) => whole(key) && isUser(user)),
  },
  countUsers: {
    key: "users",
    call: (c) => c.countUsers(),
    good: (n: number) => whole(n) && n >= 0,
  },
  currentUser: {
    key: "users",
    call: (c) => c.currentUser(),
    good: isUser,
  },
  findUsersByEmail: {
    key: "users",
    call: (c) => c.findUsersByEmail(["ada@example.com", "alan@example.com"]),
    good: every(isUser),
  },
  listWorkspaceGroups: {
    key: "workspace_groups",
    call: (c) => c.listWorkspaceGroups(),
    good: every(isGroup),
  },
  findWorkspaceGroupByName: {
    key: "workspace_groups",
    call: (c) => c.findWorkspaceGroupByName("Finance"),
    good: (g?: WorkspaceGroup) => g === undefined || isGroup(g),
  },
  createWorkspaceGroup: {
    key: "workspace_groups",
    call: (c) => c.createWorkspaceGroup({ name: "Finance" }),
    good: isGroup,
  },
  updateWorkspaceGroup: {
    key: "workspace_groups",
    call: (c) => c.updateWorkspaceGroup(7, { notes: "n" }),
    good: isGroup,
  },
  deleteWorkspaceGroup: {
    key: "workspace_groups",
    call: (c) => c.deleteWorkspaceGroup(7),
    good: (o: string) => o === "deleted" || o === "already_gone",
  },
  deleteMembership: {
    key: "user_group_memberships",
    call: (c) => c.deleteMembership(9),
    good: (o: string) => o === "deleted" || o === "already_gone",
  },
  createMemberships: {
    key: "user_group_memberships",
    call: (c) => c.createMemberships([1, 2, 3].map((userId) => ({ userId, workspaceGroupId: 5 }))),
    good: (o: { created: Membership[]; existing: Membership[]; failed: Array<{ error: unknown }> }) =>
      every(isMembership)(o.created) && every(isMembership)(o.existing) && o.failed.every((f) => f.error instanceof KantataApiError),
  },
};

/** createMemberships reports refused pairs instead of throwing. */
const reportsFailures = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "failed" in value && Array.isArray(value.failed) && value.failed.length > 0;

/** An answer after which sending the same write again is allowed: Kantata said to retry, or the connection dropped. */
const saysRetry = (a: Answer | undefined) => a !== undefined && (a.cut === true || a.status === 429 || a.status >= 500);

/** A write sent again only after an answer that said to retry; a POST only after a GET of the same list came between. */
function expectNoBlindRepeat(requests: readonly Seen[]): void {
  requests.forEach((request, i) => {
    if (request.method === "GET") return;
    const before = requests.slice(0, i);
    const last = before
      .map((r, j) => [r, j] as const)
      .filter(([r]) => r.method === request.method && r.path === request.path && r.body === request.body)
      .pop();
    if (last === undefined) return;
    const [earlier, j] = last;
    if (!saysRetry(earlier.answer)) throw new Error(`${request.method} ${request.path} sent again after ${JSON.stringify(earlier.answer)}`);
    if (request.method === "POST" && !requests.slice(j + 1, i).some((r) => r.method === "GET" && r.path === request.path))
      throw new Error(`POST ${request.path} sent again without looking for what the first one created`);
  });
}

describe("malformed answers to the client", () => {
  it.each(Object.keys(CALLS))("%s: well-typed values or a KantataApiError, and no write repeated blindly", async (name) => {
    const { key, call, good } = CALLS[name];
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(answers(key), async (list) => {
        script = list;
        seen = [];
        const outcome = await call(client()).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        if ("error" in outcome) {
          const { error } = outcome;
          if (!(error instanceof KantataApiError) || !isKantataApiError(error)) throw error;
          expect(error.message).not.toContain(SECRET_TOKEN);
          failed++;
        } else if (!good(outcome.value as never)) {
          throw new Error(`not well-typed: ${JSON.stringify(outcome.value)}`);
        } else if (reportsFailures(outcome.value)) {
          failed++;
        }
        expectNoBlindRepeat(seen);
      }),
      { seed: 24_10, numRuns: 80 },
    );
    // The answers are bad enough that most calls fail.
    expect(failed).toBeGreaterThan(10);
  });
});
