import { type WireObject, pageEnvelope, singlePageEnvelope } from "../envelope";
import { systemError, validationError } from "../errors";
import { type Handler, type Route, ok } from "../handler";
import { findByPathId, idFilter, pageParams, passes, textFilter } from "../params";
import { ADMIN_USER_ID, NON_ADMIN_USER_ID } from "../auth";
import type { Caller } from "../handler";
import type { Store, UserRecord } from "../store";

export const USERS_KEY = "users";
/**
 * Kantata documents "up to 200 per call" for `by_email_addresses` but not what happens above it.
 * Decision: a 400, so a client that forgets to split its lookups fails here rather than in production.
 */
export const MAX_EMAIL_ADDRESSES = 200;

/** No `disabled` field: Kantata documents none, so a client tells disabled users apart only by asking with and without `show_disabled=true`. */
export const userWire = (user: UserRecord): WireObject => ({
  id: String(user.id),
  full_name: user.fullName,
  email_address: user.emailAddress,
});

/**
 * Disabled users (an inactive account membership, or disabled by Kantata) are hidden from
 * `GET /users` unless `show_disabled=true` is given, as documented; a value other than "true" hides
 * them, as `on_my_account` works.
 */
const showsDisabled = (query: URLSearchParams): boolean => query.get("show_disabled") === "true";
const visible = (user: UserRecord, query: URLSearchParams): boolean => user.disabled !== true || showsDisabled(query);

/**
 * Kantata hides users who share no project with the caller unless `on_my_account=true` is given. The
 * sandbox has no projects, so without that flag the list is always empty: a client that forgets it
 * finds nobody here, as it would find almost nobody in a real account. Every filter sees only the
 * visible users, so a disabled user's address finds nobody without `show_disabled=true`.
 */
const list: Handler = ({ store, query }) => {
  const page = pageParams(query);
  const only = idFilter(query, "only");
  const byEmail = textFilter(query, "by_email_address");
  const byEmails = textFilter(query, "by_email_addresses");
  if (byEmails !== undefined && byEmails.size > MAX_EMAIL_ADDRESSES) {
    throw validationError(400, "by_email_addresses", `by_email_addresses takes at most ${MAX_EMAIL_ADDRESSES} addresses, got ${byEmails.size}`);
  }
  const onMyAccount = query.get("on_my_account") === "true";
  const matches = onMyAccount
    ? store
        .listUsers()
        .filter((user) => {
          const email = user.emailAddress.toLowerCase();
          return visible(user, query) && passes(only, user.id) && passes(byEmail, email) && passes(byEmails, email);
        })
        .sort((a, b) => a.id - b.id)
    : [];
  return ok(pageEnvelope(USERS_KEY, matches, page, userWire));
};

/**
 * Decision (Kantata documents the hiding for the list only): a show follows the list, so a disabled
 * user is a 404 unless `show_disabled=true`, the same answer as for an id that does not exist.
 */
const show: Handler = ({ store, params, query }) => {
  const user = findByPathId(params.id, (id) => store.getUser(id));
  if (user === undefined || !visible(user, query)) throw systemError(404, `No user with id ${params.id}`);
  return ok(singlePageEnvelope(USERS_KEY, [userWire(user)]));
};

/**
 * The token holder as a user. Decision: the token users are not store records, so the account's user
 * list stays exactly the seed (tests count it) and ids 12 and 13 stay outside the user sequence. An
 * extra admin token whose user id is a store user is that user.
 */
export function tokenUser(store: Store, caller: Caller): UserRecord {
  const stored = store.getUser(caller.userId);
  if (stored !== undefined) return stored;
  if (caller.userId === ADMIN_USER_ID)
    return { id: ADMIN_USER_ID, fullName: "Sandbox Administrator", emailAddress: "sandbox.admin@example.com" };
  if (caller.userId === NON_ADMIN_USER_ID)
    return { id: NON_ADMIN_USER_ID, fullName: "Sandbox Viewer", emailAddress: "sandbox.viewer@example.com" };
  return { id: caller.userId, fullName: `Sandbox Administrator ${caller.userId}`, emailAddress: `sandbox.admin.${caller.userId}@example.com` };
}

/**
 * `GET /users/me`: the token's own user, in the usual single-object envelope. Decision: answered even
 * when that user is disabled. The hiding is documented for the list; "me" is whoever the token
 * authenticates, and the sandbox does not model what Kantata does to a disabled user's tokens.
 */
const me: Handler = ({ store, caller }) => ok(singlePageEnvelope(USERS_KEY, [userWire(tokenUser(store, caller))]));

export const userRoutes: readonly Route[] = [
  { method: "GET", template: "/users", handler: list },
  // Before /users/{id}: routes are tried in order, and "me" would otherwise be taken for an id (and 404).
  { method: "GET", template: "/users/me", handler: me },
  { method: "GET", template: "/users/{id}", handler: show },
];
