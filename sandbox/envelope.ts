/** Response bodies as Kantata shapes them: the list envelope of every GET and POST, and the error body. */

/** A resource in wire form: `id` and foreign keys are strings, fields are snake_case. */
export interface WireObject {
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface ResultRef {
  key: string;
  id: string;
}

export interface EnvelopeMeta {
  count: number;
  page_count: number;
  page_number: number;
  page_size: number;
}

/** `results` carries the order; the objects sit under their plural key (and side-loads under theirs), indexed by id. */
export interface ListEnvelope {
  count: number;
  meta: EnvelopeMeta;
  results: ResultRef[];
  [pluralKey: string]: unknown;
}

export interface Page {
  /** 1-based. */
  number: number;
  size: number;
}

/** Side-loaded objects by plural key, e.g. `{ users: [...] }`. */
export type SideLoads = Readonly<Record<string, readonly WireObject[]>>;

export type ErrorType = "oauth" | "system" | "validation";

export interface ErrorDetail {
  type: ErrorType;
  message: string;
  /** Set on `validation` errors. */
  field?: string;
  /** Position of the failing element in a bulk body (inferred; Kantata does not document it). */
  index?: number;
}

export interface ErrorBody {
  errors: ErrorDetail[];
}

const indexById = (objects: readonly WireObject[]): Record<string, WireObject> =>
  Object.fromEntries(objects.map((object) => [object.id, object]));

/**
 * `objects` are the page's objects in result order; `total` counts the whole query. With no results
 * at all, `page_count` and `page_number` are 0, as Kantata sends them.
 */
export function listEnvelope(key: string, objects: readonly WireObject[], total: number, page: Page, sideLoads: SideLoads = {}): ListEnvelope {
  const empty = total === 0;
  const sideLoaded = Object.fromEntries(Object.entries(sideLoads).map(([sideKey, list]) => [sideKey, indexById(list)]));
  return {
    count: total,
    meta: {
      count: total,
      page_count: empty ? 0 : Math.ceil(total / page.size),
      page_number: empty ? 0 : page.number,
      page_size: page.size,
    },
    results: objects.map((object) => ({ key, id: object.id })),
    [key]: indexById(objects),
    ...sideLoaded,
  };
}

/**
 * One page of a query's whole result. `records` must already be filtered and ordered; `sideLoad` sees
 * only the records on the page, so includes follow what is returned.
 */
export function pageEnvelope<T>(
  key: string,
  records: readonly T[],
  page: Page,
  toWire: (record: T) => WireObject,
  sideLoad: (pageRecords: readonly T[]) => SideLoads = () => ({}),
): ListEnvelope {
  const onPage = records.slice((page.number - 1) * page.size, page.number * page.size);
  return listEnvelope(key, onPage.map(toWire), records.length, page, sideLoad(onPage));
}

/** Everything on one page: the shape of create and show responses. */
export const singlePageEnvelope = (key: string, objects: readonly WireObject[], sideLoads?: SideLoads): ListEnvelope =>
  listEnvelope(key, objects, objects.length, { number: 1, size: objects.length }, sideLoads);

export const errorBody = (errors: readonly ErrorDetail[]): ErrorBody => ({ errors: [...errors] });
