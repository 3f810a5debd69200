import { type Day, hasExpired } from "../lib/calendar";
import { normalizeEmail } from "../provider/identity/references";
import type { AccessGroup } from "./accessFile";

/** A group's members on a given day, and the end dates its resource records (each only when there is one). */
export interface MembersOnDay {
  /** Everyone listed whose access has not ended: what the resource declares. */
  members: Array<string | number>;
  /** Their end dates, by normalised email. */
  expires?: Record<string, Day>;
  /** People left out because their last day has passed, by normalised email. */
  expired?: Record<string, Day>;
  /** The day judged against, when anyone has an end date. */
  today?: Day;
}

/**
 * Who of a group still has access on `today`: from the day after `until` on, a person is left out of
 * the members (so the planner removes them like anyone taken off the list) and recorded as expired.
 */
export function endDatesOn(group: AccessGroup, today: Day): MembersOnDay {
  const members: Array<string | number> = [];
  const expires: Record<string, Day> = {};
  const expired: Record<string, Day> = {};
  for (const member of group.members) {
    const key = typeof member === "string" ? normalizeEmail(member) : undefined;
    const until = key === undefined ? undefined : group.endDates?.[key]?.until;
    if (key === undefined || until === undefined) members.push(member);
    else if (hasExpired(until, today)) expired[key] = until;
    else {
      expires[key] = until;
      members.push(member);
    }
  }
  const dated = Object.keys(expires).length + Object.keys(expired).length > 0;
  return {
    members,
    ...(Object.keys(expires).length > 0 && { expires }),
    ...(Object.keys(expired).length > 0 && { expired }),
    ...(dated && { today }),
  };
}
