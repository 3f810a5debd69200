/**
 * Jest's asymmetric matchers, typed `unknown` instead of `any` so they can stand for a value inside an
 * expected object without an `any` leaking into it. The same matchers: `match.any(String)` is
 * `expect.any(String)`.
 */
export const match = {
  any: (type: unknown): unknown => expect.any(type),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
  objectContaining: (object: object): unknown => expect.objectContaining(object),
};
