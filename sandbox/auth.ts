import { ApiError, systemError } from "./errors";
import type { Caller } from "./handler";

export interface Tokens {
  /** An Account Administrator's token: every endpoint works. */
  admin: string;
  /** A valid token of a user who is not an administrator: membership endpoints answer 403. */
  nonAdmin: string;
}

/** The token holders' user ids; `creator_id` of what they create. 12 is the id in Kantata's own example. */
export const ADMIN_USER_ID = 12;
export const NON_ADMIN_USER_ID = 13;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The caller behind `Authorization: Bearer <token>`; anything else is Kantata's 401. */
export function authenticate(authorization: string | undefined, tokens: Tokens): Caller {
  const token = BEARER.exec(authorization ?? "")?.[1];
  if (token === tokens.admin) return { userId: ADMIN_USER_ID, admin: true };
  if (token === tokens.nonAdmin) return { userId: NON_ADMIN_USER_ID, admin: false };
  throw new ApiError(401, [{ type: "oauth", message: "Invalid OAuth 2 Request" }]);
}

export function assertAdmin(caller: Caller): void {
  if (!caller.admin) throw systemError(403, "You must be an Account Administrator to manage user group memberships.");
}
