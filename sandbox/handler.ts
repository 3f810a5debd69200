import type { Store } from "./store";

/** The contract between the router (routes.ts, server.ts) and the resource handlers. */

/**
 * What POST /user_group_memberships does with a bulk body in which some elements are invalid or
 * duplicates. Kantata does not document it, so the sandbox can play either outcome:
 * - "all-or-nothing": the whole batch is refused with 422, nothing is created, and every error
 *   carries the `index` of its element.
 * - "partial": the valid elements are created; the response is 200 with only those, and the refused
 *   elements are simply absent (no errors are reported).
 */
export type BulkPolicy = "all-or-nothing" | "partial";

/** The user behind the bearer token. Membership endpoints need an Account Administrator. */
export interface Caller {
  userId: number;
  admin: boolean;
}

export interface RequestContext {
  store: Store;
  caller: Caller;
  /** Path parameters by template name, e.g. `{ id: "90001" }`; not yet validated. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
  bulkPolicy: BulkPolicy;
}

/** A response to send. No body means none at all (204). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Handlers are synchronous: every store mutation completes before another request is looked at. */
export type Handler = (context: RequestContext) => Reply;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the API base, without `.json`; `{name}` segments become params. */
  template: string;
  handler: Handler;
  adminOnly?: boolean;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
