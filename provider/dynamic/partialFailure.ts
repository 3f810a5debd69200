/**
 * Thrown by create/update after some changes were applied and others failed. The dynamic-provider host
 * turns an error carrying `id` and `properties` into a partial-initialization result: the engine records
 * the resource with these properties (what really exists) instead of forgetting it, and the next `up`
 * resumes from there.
 */
export class PartialFailure extends Error {
  override readonly name = "PartialFailure";
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
