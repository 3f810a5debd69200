import type { ErrorDetail, Page } from "./envelope";
import { systemError, validationError } from "./errors";
import { type JsonObject, isJsonObject } from "./json";

/**
 * Reading request values: path ids, query parameters and body fields. Where Kantata's behaviour is
 * not documented the choice is noted; the sandbox leans strict where a lenient answer would hide a
 * client bug (bad paging or ordering is a 400), and lenient where Rails would be (filters).
 */

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

const DECIMAL_ID = /^[1-9]\d*$/;

/** "123" → 123. Anything but a plain positive decimal integer (in the safe range) → undefined. */
export function parseId(text: string): number | undefined {
  const id = DECIMAL_ID.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}

/** The record a path id names, if the id is well-formed and the record exists. */
export function findByPathId<T>(text: string, find: (id: number) => T | undefined): T | undefined {
  const id = parseId(text);
  return id === undefined ? undefined : find(id);
}

/** A non-blank query parameter, else undefined. */
function presentParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value.trim() === "" ? undefined : value;
}

const splitList = (value: string): string[] =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/**
 * A comma-separated id filter (`user_ids=1,2`). Absent or blank means no filter (inferred: Rails
 * skips blank params). Entries that are not ids are dropped: they name no record, so they match nothing.
 */
export function idFilter(query: URLSearchParams, name: string): ReadonlySet<number> | undefined {
  const value = presentParam(query, name);
  if (value === undefined) return undefined;
  return new Set(splitList(value).flatMap((item) => parseId(item) ?? []));
}

/** A comma-separated text filter, lower-cased for case-insensitive matching. Blank means no filter. */
export function textFilter(query: URLSearchParams, name: string): ReadonlySet<string> | undefined {
  const value = presentParam(query, name);
  return value === undefined ? undefined : new Set(splitList(value).map((item) => item.toLowerCase()));
}

/** A single text parameter, trimmed and lower-cased for case-insensitive matching. Blank means no filter. */
export function lowerCaseParam(query: URLSearchParams, name: string): string | undefined {
  return presentParam(query, name)?.trim().toLowerCase();
}

/** True when there is no filter or the value passes it. */
export const passes = <T>(filter: ReadonlySet<T> | undefined, value: T): boolean => filter === undefined || filter.has(value);

/** A positive integer parameter with a default; anything else is a 400 (decision: catch client bugs). */
function positiveIntegerParam(query: URLSearchParams, name: string, fallback: number): number {
  const value = presentParam(query, name);
  if (value === undefined) return fallback;
  const number = parseId(value.trim());
  if (number === undefined) throw validationError(400, name, `${name} must be a positive integer, got "${value}"`);
  return number;
}

/** `page` (default 1) and `per_page` (default 20; above 200 silently cut to 200, as documented). */
export function pageParams(query: URLSearchParams): Page {
  return {
    number: positiveIntegerParam(query, "page", 1),
    size: Math.min(positiveIntegerParam(query, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE),
  };
}

/** `order`, one of the endpoint's documented values; anything else is a 400 naming the valid ones. */
export function orderParam<T extends string>(query: URLSearchParams, allowed: readonly T[], fallback: T): T {
  const value = presentParam(query, "order");
  if (value === undefined) return fallback;
  const order = allowed.find((candidate) => candidate === value.trim());
  if (order === undefined) throw validationError(400, "order", `order must be one of ${allowed.join(", ")}, got "${value}"`);
  return order;
}

/** `include=a,b`. An association the endpoint does not have is a 400 rather than silently missing data. */
export function includeParam<T extends string>(query: URLSearchParams, allowed: readonly T[]): ReadonlySet<T> {
  const value = presentParam(query, "include");
  const included = new Set<T>();
  for (const name of value === undefined ? [] : splitList(value)) {
    const association = allowed.find((candidate) => candidate === name);
    if (association === undefined)
      throw validationError(400, "include", `include must name ${allowed.join(", ")}; "${name}" is not an association`);
    included.add(association);
  }
  return included;
}

/** The object under the body's root key (`{"workspace_group": {...}}`); missing is a 400, like Rails' ParameterMissing. */
export function requireRoot(body: unknown, key: string): JsonObject {
  const root = isJsonObject(body) ? body[key] : undefined;
  if (!isJsonObject(root)) throw systemError(400, `param is missing or the value is empty: ${key}`);
  return root;
}

/**
 * A body field holding an id. The contract says integer; decimal strings are accepted too, since
 * Kantata sends ids as strings and a client may echo them back. Problems are appended to `problems`
 * so a bulk element reports every bad field at once.
 */
export function idField(fields: JsonObject, field: string, problems: ErrorDetail[]): number | undefined {
  const value = fields[field];
  const id = typeof value === "number" ? value : typeof value === "string" ? parseId(value) : undefined;
  if (id !== undefined && Number.isSafeInteger(id) && id > 0) return id;
  const message = value === undefined || value === null ? "can't be blank" : "must be a positive integer";
  problems.push({ type: "validation", field, message: `${field} ${message}` });
  return undefined;
}
