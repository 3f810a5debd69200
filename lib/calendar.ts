import { KantataError } from "./errors";

/**
 * Calendar days for access that ends by itself. An end date (`until`) is the last day a person has
 * access, in the time zone the access file names (UTC by default); from the next day on it has
 * expired. "Today" is the day in that zone, or `KANTATA_ACCESS_TODAY` when set, so tests and anyone
 * asking "what will have expired by then?" fix the day instead of reading the clock. Days are
 * `YYYY-MM-DD` texts: they compare in calendar order as strings.
 */

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

export const DEFAULT_TIME_ZONE = "UTC";
/** Access that ends within this many days is listed under a warning in every review. */
export const EXPIRY_WARNING_DAYS = 14;
export const TODAY_VARIABLE = "KANTATA_ACCESS_TODAY";

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** `KANTATA_ACCESS_TODAY` is not a day. */
export class CalendarError extends KantataError {
  override readonly name = "CalendarError";
  readonly code = "config";
}

/** The day a text names, if it is a real `YYYY-MM-DD` date (no 2026-02-30, no 2026-2-3). */
export function parseDay(text: unknown): Day | undefined {
  const match = typeof text === "string" ? DAY_SHAPE.exec(text) : null;
  if (match === null) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? match[0] : undefined;
}

/** True for an IANA time zone name this runtime knows, such as "Europe/Berlin" or "UTC". */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA time zone name this runtime knows, for suggestions. */
export const timeZoneNames = (): string[] => [...Intl.supportedValuesOf("timeZone"), DEFAULT_TIME_ZONE];

/** The calendar day of an instant in a time zone. */
export function dayIn(timeZone: string, instant: Date): Day {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Today, in `timeZone`: `KANTATA_ACCESS_TODAY` when set (and then it must be a day), else the clock's day there. */
export function accessToday(timeZone: string = DEFAULT_TIME_ZONE, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Day {
  const fixed = env[TODAY_VARIABLE];
  if (fixed === undefined || fixed === "") return dayIn(timeZone, now);
  const day = parseDay(fixed.trim());
  if (day === undefined)
    throw new CalendarError(`${TODAY_VARIABLE} must be a day as YYYY-MM-DD, such as 2026-12-31; got ${JSON.stringify(fixed)}.`);
  return day;
}

/** Days from `from` to `to`: 1 from a day to the next, negative backwards. */
export const daysBetween = (from: Day, to: Day): number => Math.round((Date.parse(to) - Date.parse(from)) / MS_PER_DAY);

/** Access with this last day has ended by `today`: from the day after `until` on. */
export const hasExpired = (until: Day, today: Day): boolean => today > until;

/**
 * Access with this last day still runs today and ends within the warning window: its first day
 * without access (the day after `until`) is at most EXPIRY_WARNING_DAYS days away.
 */
export const expiresSoon = (until: Day, today: Day): boolean => !hasExpired(until, today) && daysBetween(today, until) < EXPIRY_WARNING_DAYS;
