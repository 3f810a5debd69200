import { inspect } from "node:util";

const REDACTED = "[redacted]";

/**
 * Holds the API token so that it can be used but never shown: `String()`, JSON, `util.inspect` and
 * console output all print "[redacted]". The value lives in a private field, which neither
 * serializers nor inspectors can see.
 */
export class ApiToken {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw token, for the Authorization header only. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
