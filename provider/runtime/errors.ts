import { KantataError } from "../../lib/errors";

/**
 * The errors resource providers throw, in the package's one hierarchy (lib/errors.ts). The engine shows
 * their message; the CLIs and tests decide by `code`.
 */

/**
 * Thrown by create/update after some changes were applied and others failed. The dynamic-provider host
 * turns an error carrying `id` and `properties` into a partial-initialization result: the engine records
 * the resource with these properties (what really exists) instead of forgetting it, and the next `up`
 * resumes from there.
 */
export class PartialFailure extends KantataError {
  override readonly name = "PartialFailure";
  readonly code = "partial";
  /** What the engine shows: the dynamic-provider host reports an init failure's `reasons`, not its message. */
  readonly reasons: string[] = [this.message];

  constructor(
    readonly id: string,
    readonly properties: object,
    message: string,
  ) {
    super(`${message} State records what was applied; the next \`pulumi up\` retries the rest.`);
  }
}

/** Every change of an operation failed: nothing was applied, so the state the engine has stays true. */
export class ChangeFailed extends KantataError {
  override readonly name = "ChangeFailed";
  readonly code = "failed";
}

/** A change a guard stops before anything is written (more removals than maxRemovals; a membership that exists already). */
export class ChangeRefused extends KantataError {
  override readonly name = "ChangeRefused";
  readonly code = "refused";
}

/**
 * State the provider cannot read: written by a much older or newer version, or edited by hand. Says
 * what is wrong; `pulumi refresh` or the previous package version is the way out.
 */
export class StateError extends KantataError {
  override readonly name = "StateError";
  readonly code = "state";
  constructor(problem: string) {
    super(`pulumi-kantata cannot read this resource's state: ${problem}. Run \`pulumi refresh\`, or use the package version that wrote it.`);
  }
}
