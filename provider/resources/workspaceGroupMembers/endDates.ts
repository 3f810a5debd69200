import { type Day, parseDay } from "../../../lib/calendar";
import { parseUserRef, userKey } from "../../identity/references";
import type { MemberMap } from "../../plan/memberships";
import { isBag } from "../../runtime/decode";
import type { DayMap } from "../../runtime/decode";
import { type Failures, describeValue, isUnknown } from "../../runtime/inputs";

/**
 * A group's end dates as the program records them (declareAccess fills them from access.yaml): who
 * still has access and until when (`expires`), and who was left out of `members` because their access
 * ended (`expired`). The program decides who has expired; the provider only checks that the records
 * agree with the members, so the review can rely on them.
 */
export interface EndDates {
  expires: DayMap;
  expired: DayMap;
  today?: Day;
}

const DAY_EXAMPLE = "such as 2026-12-31";

/** People (email or id, keyed as state keys them) → days; every problem reported. */
function parseDays(property: "expires" | "expired", value: unknown, failures: Failures): DayMap {
  if (value === undefined || value === null) return {};
  if (isUnknown(value) || !isBag(value)) {
    failures.push({
      property,
      reason: `${property} must map people (email addresses or user ids) to days as YYYY-MM-DD, ${DAY_EXAMPLE}, known at preview; got ${describeValue(value)}.`,
    });
    return {};
  }
  const days: DayMap = {};
  for (const [person, until] of Object.entries(value)) {
    const ref = parseUserRef(person);
    const day = parseDay(until);
    if (ref === undefined)
      failures.push({
        property: `${property}["${person}"]`,
        reason: `${property} names ${JSON.stringify(person)}, which is not an email address or a user id.`,
      });
    else if (day === undefined)
      failures.push({
        property: `${property}["${person}"]`,
        reason: `${property}["${person}"] must be a day as YYYY-MM-DD, ${DAY_EXAMPLE}; got ${describeValue(until)}.`,
      });
    else days[userKey(ref)] = day;
  }
  return days;
}

/** Reads `expires`, `expired` and the hidden `__today` from the program's arguments. */
export function parseEndDates(args: { expires?: unknown; expired?: unknown; __today?: unknown }, failures: Failures): EndDates {
  const today = parseDay(args.__today);
  return {
    expires: parseDays("expires", args.expires, failures),
    expired: parseDays("expired", args.expired, failures),
    ...(today !== undefined && { today }),
  };
}

/** An end date for someone not declared, or an expired person still declared, is a program mistake: say so. */
export function checkAgainstMembers(dates: EndDates, declared: { members: MemberMap; inactive: MemberMap }, failures: Failures): void {
  const named = (key: string) => key in declared.members || key in declared.inactive;
  for (const key of Object.keys(dates.expires))
    if (!named(key))
      failures.push({ property: `expires["${key}"]`, reason: `expires gives ${key} an end date, but members does not name them.` });
  for (const key of Object.keys(dates.expired))
    if (named(key))
      failures.push({
        property: `expired["${key}"]`,
        reason: `${key} is listed as expired (last day ${dates.expired[key]}) and is still in members; leave people whose access ended out of members.`,
      });
}
