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

/**
 * Reads a Kantata list envelope: walks `results` (which carries the order) and looks each object up
 * under its plural key. Entries of other keys (side-loads) are skipped; see {@link sideLoaded}.
 */
export function parseEnvelope<T>(body: unknown, pluralKey: string): EnvelopePage<T> {
  if (!isEnvelope(body)) {
    throw new TypeError(`expected a Kantata list envelope with "results", got ${JSON.stringify(body)?.slice(0, 200)}`);
  }
  const objects = (body[pluralKey] ?? {}) as Record<string, T>;
  const items: T[] = [];
  for (const ref of body.results) {
    if (ref.key !== pluralKey) continue;
    const object = objects[String(ref.id)];
    if (object === undefined) {
      throw new TypeError(`envelope lists ${pluralKey} ${ref.id} in results but not under "${pluralKey}"`);
    }
    items.push(object);
  }
  return { items, count: Number(body.count ?? items.length), pageCount: Number(body.meta?.page_count ?? 0) };
}

/** How many pages the query has, and how many rows this page holds. */
export function pageInfo(body: unknown): { pageCount: number; rows: number } {
  if (!isEnvelope(body)) throw new TypeError(`expected a Kantata list envelope with "results", got ${JSON.stringify(body)?.slice(0, 200)}`);
  return { pageCount: Number(body.meta?.page_count ?? 0), rows: body.results.length };
}

/** The side-loaded objects of an envelope (`include=…`) under one plural key, in no particular order. */
export function sideLoaded<T>(body: unknown, pluralKey: string): T[] {
  const objects = isEnvelope(body) ? body[pluralKey] : undefined;
  return typeof objects === "object" && objects !== null ? Object.values(objects as Record<string, T>) : [];
}
