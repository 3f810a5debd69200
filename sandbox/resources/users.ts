import { type WireObject, pageEnvelope, singlePageEnvelope } from "../envelope";
import { systemError } from "../errors";
import { type Handler, type Route, ok } from "../handler";
import { findByPathId, idFilter, pageParams, passes, textFilter } from "../params";
import type { UserRecord } from "../store";

export const USERS_KEY = "users";

export const userWire = (user: UserRecord): WireObject => ({
  id: String(user.id),
  full_name: user.fullName,
  email_address: user.emailAddress,
});

/**
 * Kantata hides users who share no project with the caller unless `on_my_account=true` is given. The
 * sandbox has no projects, so without that flag the list is always empty: a client that forgets it
 * finds nobody here, as it would find almost nobody in a real account.
 */
const list: Handler = ({ store, query }) => {
  const page = pageParams(query);
  const only = idFilter(query, "only");
  const byEmail = textFilter(query, "by_email_address");
  const byEmails = textFilter(query, "by_email_addresses");
  const onMyAccount = query.get("on_my_account") === "true";
  const matches = onMyAccount
    ? store
        .listUsers()
        .filter((user) => {
          const email = user.emailAddress.toLowerCase();
          return passes(only, user.id) && passes(byEmail, email) && passes(byEmails, email);
        })
        .sort((a, b) => a.id - b.id)
    : [];
  return ok(pageEnvelope(USERS_KEY, matches, page, userWire));
};

const show: Handler = ({ store, params }) => {
  const user = findByPathId(params.id, (id) => store.getUser(id));
  if (user === undefined) throw systemError(404, `No user with id ${params.id}`);
  return ok(singlePageEnvelope(USERS_KEY, [userWire(user)]));
};

export const userRoutes: readonly Route[] = [
  { method: "GET", template: "/users", handler: list },
  { method: "GET", template: "/users/{id}", handler: show },
];
