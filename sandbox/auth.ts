import { ApiError, systemError } from "./errors";
import type { Caller } from "./handler";

/** An additional Account Administrator, so a test can act as a second admin with its own `creator_id`. */
export interface ExtraAdminToken {
  token: string;
  userId: number;
}

export interface Tokens {
  /** An Account Administrator's token: every endpoint works. */
  admin: string;
  /** A valid token of a user who is not an administrator: membership endpoints answer 403. */
  nonAdmin: string;
  /** More administrators' tokens; each acts as its own user. */
  extraAdmins?: readonly ExtraAdminToken[];
}

/** The token holders' user ids; `creator_id` of what they create. 12 is the id in Kantata's own example. */
export const ADMIN_USER_ID = 12;
export const NON_ADMIN_USER_ID = 13;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Refuses token sets in which one token would name two users, or a user id that is not an id. */
export function assertTokens(tokens: Tokens): void {
  const all = [tokens.admin, tokens.nonAdmin, ...(tokens.extraAdmins ?? []).map((extra) => extra.token)];
  if (all.some((token) => !/^\S+$/.test(token))) throw new RangeError("tokens must be non-empty and contain no whitespace");
  if (new Set(all).size !== all.length) throw new RangeError("token, nonAdminToken and extraAdminTokens must all differ");
  for (const { userId } of tokens.extraAdmins ?? []) {
    if (!(Number.isSafeInteger(userId) && userId > 0)) throw new RangeError(`extra admin user id must be a positive integer, got ${userId}`);
  }
}

/** The token of `Authorization: Bearer <token>`, valid or not; undefined without one. */
export const bearerToken = (authorization: string | undefined): string | undefined => BEARER.exec(authorization ?? "")?.[1];

/** The caller behind `Authorization: Bearer <token>`; anything else is Kantata's 401. */
export function authenticate(authorization: string | undefined, tokens: Tokens): Caller {
  const token = bearerToken(authorization);
  if (token === tokens.admin) return { userId: ADMIN_USER_ID, admin: true };
  if (token === tokens.nonAdmin) return { userId: NON_ADMIN_USER_ID, admin: false };
  const extra = tokens.extraAdmins?.find((candidate) => candidate.token === token);
  if (extra !== undefined) return { userId: extra.userId, admin: true };
  throw new ApiError(401, [{ type: "oauth", message: "Invalid OAuth 2 Request" }]);
}

/** A 403 unless the caller is an Account Administrator; the message names the route's resource ("workspace groups"). */
export function assertAdmin(caller: Caller, template: string): void {
  const resource = template.split("/")[1].replace(/_/g, " ");
  if (!caller.admin) throw systemError(403, `You must be an Account Administrator to manage ${resource}.`);
}
