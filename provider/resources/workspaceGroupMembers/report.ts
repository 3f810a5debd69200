import { EXPIRY_WARNING_DAYS, expiresSoon } from "../../../lib/calendar";
import { type MemberMap, type MembershipMode, type MembershipPlan, everyone, namePeople, onePerLine } from "../../plan/memberships";
import type { EndDates } from "./endDates";

export interface Notice {
  severity: "info" | "warning";
  message: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What a plan does, for the person running Pulumi: who gains access, who stays as they are (the first
 * few of each), and who loses it — everyone, by email; past five one per line, after the rest, so a
 * preview posted to a pull request names them all. A warning when people lose access whom this
 * resource never declared (an authoritative takeover, or members added outside code); otherwise
 * information. Undefined for a plan that changes nobody's access. `created`: the group is new in this change.
 */
export function describePlan(
  group: string,
  mode: MembershipMode,
  plan: MembershipPlan,
  managedBefore: MemberMap | undefined,
  groupIs: "existing" | "created" = "existing",
): Notice | undefined {
  const gains = Object.keys(plan.gains);
  const losses = Object.keys(plan.losses);
  const staying = Object.keys(plan.unchanged);
  if (gains.length + losses.length + staying.length === 0) return undefined;
  const known = new Set(Object.values(managedBefore ?? {}));
  const outsiders = losses.filter((key) => !known.has(plan.losses[key]));
  const parts: string[] = [];
  const who = outsiders.length === losses.length ? " not declared in code" : "";
  const lose = `${count(losses.length, `person${who} loses`, `people${who} lose`)} access:`;
  if (losses.length > 0 && !onePerLine(losses)) parts.push(`${lose} ${everyone(losses)}`);
  if (gains.length > 0) parts.push(`${count(gains.length, "person gains", "people gain")} access: ${namePeople(gains)}`);
  if (staying.length > 0)
    parts.push(`${count(staying.length, "member stays", "members stay")} as they are (already in the group): ${namePeople(staying)}`);
  const subject =
    groupIs === "created"
      ? `workspace group "${group}" is created in this change (${mode})`
      : managedBefore === undefined
        ? `workspace group "${group}" comes under management (${mode})`
        : `workspace group "${group}" (${mode})`;
  const listed = onePerLine(losses) ? `${parts.length > 0 ? " " : ""}${lose}${everyone(losses)}` : "";
  const said = parts.length > 0 ? `${parts.join("; ")}.` : "";
  return { severity: outsiders.length > 0 ? "warning" : "info", message: `${subject}: ${said}${listed}` };
}

/**
 * People the declaration names whose login is disabled: a warning at every preview until they are
 * removed from the declaration. Undefined when there are none.
 */
export function describeInactive(group: string, mode: MembershipMode, inactive: MemberMap): Notice | undefined {
  const people = Object.keys(inactive).sort();
  if (people.length === 0) return undefined;
  const what =
    mode === "authoritative"
      ? "nothing is added for them, and any membership they still have is removed"
      : "nothing is added for them; memberships they still have are left as they are";
  return {
    severity: "warning",
    message:
      `workspace group "${group}": ${count(people.length, "person is", "people are")} no longer active in Kantata OX (login disabled) — ` +
      `remove from access.yaml (or the program): ${namePeople(people)}. Until then ${what}.`,
  };
}

/**
 * End dates: people whose access this plan removes because it expired (information), and people whose
 * access ends within the warning window, counted from the day the program judged them against (a warning).
 */
export function describeEndDates(group: string, dates: EndDates, plan: MembershipPlan | undefined): Notice[] {
  const notices: Notice[] = [];
  const ended = Object.keys(dates.expired).filter((key) => plan !== undefined && key in plan.losses);
  if (ended.length > 0) {
    const who = ended.map((key) => `${key} (last day ${dates.expired[key]})`);
    notices.push({ severity: "info", message: `workspace group "${group}": access that expired is removed: ${namePeople(who)}.` });
  }
  const today = dates.today;
  const soon = today === undefined ? [] : Object.keys(dates.expires).filter((key) => expiresSoon(dates.expires[key], today));
  if (soon.length > 0) {
    const who = soon.sort().map((key) => `${key} (last day ${dates.expires[key]})`);
    notices.push({
      severity: "warning",
      message: `workspace group "${group}": access ends within ${EXPIRY_WARNING_DAYS} days for ${namePeople(who)}.`,
    });
  }
  return notices;
}
