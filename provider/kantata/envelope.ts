import { KantataApiError } from "./errors";
import type { HttpResponse } from "./http";
import type { ApiListEnvelope, ApiResultRef } from "./types";

export interface EnvelopePage<T> {
  /** Objects in the order of `results`. */
  items: T[];
  /** Total for the whole query, not this page. */
  count: number;
}

/** An object from the wire before it is checked: the documented fields, each of any type. */
export type Unchecked<T> = { [K in keyof T]?: unknown };

/** Turns one wire object into the client's type; wireId and wireText throw on a field that is not what Kantata documents. */
export type Decoder<T> = (object: Record<string, unknown>) => T;

/** What is wrong with one field: never leaves this module, which turns it into a KantataApiError naming the response. */
class WireFieldError extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** An id as Kantata sends it: a decimal string (object ids) or an integer (foreign keys). */
export function wireId(value: unknown, field: string): number {
  const id = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new WireFieldError(`${field} is ${JSON.stringify(value ?? null)}, not an id`);
  return id;
}

export function wireText(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  throw new WireFieldError(`${field} is ${JSON.stringify(value ?? null)}, not a text`);
}

/** An optional field: absent or null reads as undefined; anything else must be what `read` reads. */
export const optional = <T>(value: unknown, read: (value: unknown) => T): T | undefined =>
  value === undefined || value === null ? undefined : read(value);

function isEnvelope(body: unknown): body is ApiListEnvelope {
  return isRecord(body) && Array.isArray(body.results);
}

/** A 2xx answer whose body is not what Kantata documents: the one error type, kind "unexpected", never retried. */
function malformed(response: HttpResponse, what: string): KantataApiError {
  return new KantataApiError({ ...response.request, kind: "unexpected", status: response.status, cause: `the response body ${what}` });
}

function envelopeOf(response: HttpResponse): ApiListEnvelope {
  if (!isEnvelope(response.data)) throw malformed(response, 'is not a Kantata list envelope (no "results" list)');
  return response.data;
}

const isRef = (ref: unknown): ref is ApiResultRef =>
  isRecord(ref) && typeof ref.key === "string" && (typeof ref.id === "string" || typeof ref.id === "number");

/** A whole number of 0 or more, which `count` and `meta.page_count` are documented to be. */
function wholeCount(response: HttpResponse, value: unknown, field: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw malformed(response, `has ${field} ${JSON.stringify(value ?? null)}, not a whole number`);
}

function decoded<T>(response: HttpResponse, pluralKey: string, id: unknown, object: unknown, decode: Decoder<T>): T {
  if (!isRecord(object)) throw malformed(response, `holds ${pluralKey} ${String(id)} as ${JSON.stringify(object)}, not an object`);
  try {
    return decode(object);
  } catch (error) {
    if (error instanceof WireFieldError) throw malformed(response, `holds ${pluralKey} ${String(id)} whose ${error.message}`);
    throw error;
  }
}

/**
 * Reads a Kantata list envelope: walks `results` (which carries the order) and decodes each object
 * found under its plural key. Entries of other keys (side-loads) are skipped; see {@link sideLoaded}.
 */
export function parseEnvelope<T>(response: HttpResponse, pluralKey: string, decode: Decoder<T>): EnvelopePage<T> {
  const body = envelopeOf(response);
  const objects = isRecord(body[pluralKey]) ? body[pluralKey] : {};
  const items: T[] = [];
  for (const ref of body.results as unknown[]) {
    if (!isRef(ref)) throw malformed(response, `lists ${JSON.stringify(ref)} in results, not a { key, id } reference`);
    if (ref.key !== pluralKey) continue;
    const object = objects[String(ref.id)];
    if (object === undefined) throw malformed(response, `lists ${pluralKey} ${ref.id} in results but not under "${pluralKey}"`);
    items.push(decoded(response, pluralKey, ref.id, object, decode));
  }
  return { items, count: wholeCount(response, body.count, "count") };
}

/** How many pages the query has, and how many rows this page holds. */
export function pageInfo(response: HttpResponse): { pageCount: number; rows: number } {
  const body = envelopeOf(response);
  return {
    pageCount: wholeCount(response, isRecord(body.meta) ? body.meta.page_count : undefined, "meta.page_count"),
    rows: body.results.length,
  };
}

/** The side-loaded objects of an envelope (`include=…`) under one plural key, decoded, in no particular order. */
export function sideLoaded<T>(response: HttpResponse, pluralKey: string, decode: Decoder<T>): T[] {
  const objects = isEnvelope(response.data) ? response.data[pluralKey] : undefined;
  return isRecord(objects) ? Object.entries(objects).map(([id, object]) => decoded(response, pluralKey, id, object, decode)) : [];
}
