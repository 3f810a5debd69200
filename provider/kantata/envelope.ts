import { KantataApiError } from "./errors";
import type { HttpResponse } from "./http";
import type { ApiListEnvelope } from "./types";

export interface EnvelopePage<T> {
  /** Objects in the order of `results`. */
  items: T[];
  /** Total for the whole query, not this page. */
  count: number;
  pageCount: number;
}

function isEnvelope(body: unknown): body is ApiListEnvelope {
  return typeof body === "object" && body !== null && Array.isArray((body as ApiListEnvelope).results);
}

/** A 2xx answer whose body is not what Kantata documents: the one error type, kind "unexpected", never retried. */
function malformed(response: HttpResponse, what: string): KantataApiError {
  return new KantataApiError({ ...response.request, kind: "unexpected", status: response.status, cause: `the response body ${what}` });
}

function envelopeOf(response: HttpResponse): ApiListEnvelope {
  if (!isEnvelope(response.data)) throw malformed(response, 'is not a Kantata list envelope (no "results" list)');
  return response.data;
}

/**
 * Reads a Kantata list envelope: walks `results` (which carries the order) and looks each object up
 * under its plural key. Entries of other keys (side-loads) are skipped; see {@link sideLoaded}.
 */
export function parseEnvelope<T>(response: HttpResponse, pluralKey: string): EnvelopePage<T> {
  const body = envelopeOf(response);
  const objects = (body[pluralKey] ?? {}) as Record<string, T>;
  const items: T[] = [];
  for (const ref of body.results) {
    if (ref.key !== pluralKey) continue;
    const object = objects[String(ref.id)];
    if (object === undefined) throw malformed(response, `lists ${pluralKey} ${ref.id} in results but not under "${pluralKey}"`);
    items.push(object);
  }
  return { items, count: Number(body.count ?? items.length), pageCount: Number(body.meta?.page_count ?? 0) };
}

/** How many pages the query has, and how many rows this page holds. */
export function pageInfo(response: HttpResponse): { pageCount: number; rows: number } {
  const body = envelopeOf(response);
  return { pageCount: Number(body.meta?.page_count ?? 0), rows: body.results.length };
}

/** The side-loaded objects of an envelope (`include=…`) under one plural key, in no particular order. */
export function sideLoaded<T>(response: HttpResponse, pluralKey: string): T[] {
  const objects = isEnvelope(response.data) ? response.data[pluralKey] : undefined;
  return typeof objects === "object" && objects !== null ? Object.values(objects as Record<string, T>) : [];
}
