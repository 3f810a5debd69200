/**
 * The root of every error this package throws on purpose. Callers decide by `code` (and, for API
 * errors, `kind`), never by message text or `instanceof`: a serialized provider and a required one hold
 * different copies of each class, so `isKantataError` checks the brand, not the prototype.
 *
 *   api       Kantata OX answered with an error, or not at all, or with a body it does not document
 *   config    the settings (token, base URL, limits) are missing or invalid
 *   usage     a command line is wrong: the CLIs print their usage and exit 2
 *   input     a file or a declaration is wrong (access.yaml, a group name that does not exist)
 *   state     Pulumi state this version cannot read
 *   partial   some changes of an operation were applied and others failed (state records what was applied)
 *   failed    changes of an operation failed and none was applied
 *   refused   a change a guard stops (maxRemovals)
 */
export type ErrorCode = "api" | "config" | "usage" | "input" | "state" | "partial" | "failed" | "refused";

const BRAND = Symbol.for("pulumi-kantata.error");

export abstract class KantataError extends Error {
  abstract readonly code: ErrorCode;
  readonly [BRAND] = true;
}

/** True for any error of this package's hierarchy (of the given code, if one is named), from any copy of the class. */
export function isKantataError<C extends ErrorCode>(error: unknown, code?: C): error is KantataError & { code: C } {
  if (typeof error !== "object" || error === null || (error as { [BRAND]?: unknown })[BRAND] !== true) return false;
  return code === undefined || (error as KantataError).code === code;
}

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends KantataError {
  override readonly name = "UsageError";
  readonly code = "usage";
}

/** A declaration the provider cannot take: a type or function it does not have, a component's bad argument. */
export class InputError extends KantataError {
  override readonly name = "InputError";
  readonly code = "input";
}
