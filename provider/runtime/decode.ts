import { type Day, parseDay } from "../../lib/calendar";
import { MODES, type MemberMap, type MembershipMode, type MembershipPlan } from "../plan/memberships";
import { StateError } from "./errors";
import { UNKNOWN, isUnknown } from "./inputs";
import type { Bag } from "./kindProvider";

/**
 * Reading state back: property bags from the engine (or a preview's JSON) into typed values, once, at
 * the boundary. Anything that is not what this version writes is a StateError naming the property.
 */

export const isBag = (value: unknown): value is Bag => typeof value === "object" && value !== null && !Array.isArray(value);

export function memberMap(value: unknown, where: string): MemberMap {
  if (value === undefined || value === null) return {};
  if (!isBag(value)) throw new StateError(`${where} is not a map of people to user ids`);
  const map: MemberMap = {};
  for (const [key, id] of Object.entries(value)) {
    if (typeof id !== "number" || !Number.isSafeInteger(id)) throw new StateError(`${where}["${key}"] is not a user id`);
    map[key] = id;
  }
  return map;
}

/** People by key → a calendar day (an end date). */
export type DayMap = Record<string, Day>;

export function day(value: unknown, where: string): Day {
  const parsed = parseDay(value);
  if (parsed === undefined) throw new StateError(`${where} is ${JSON.stringify(value)}, not a day (YYYY-MM-DD)`);
  return parsed;
}

export function dayMap(value: unknown, where: string): DayMap {
  if (value === undefined || value === null) return {};
  if (!isBag(value)) throw new StateError(`${where} is not a map of people to days`);
  return Object.fromEntries(Object.entries(value).map(([key, until]) => [key, day(until, `${where}["${key}"]`)]));
}

export function text(value: unknown, where: string): string {
  if (typeof value !== "string") throw new StateError(`${where} is ${JSON.stringify(value)}, not a text`);
  return value;
}

export function whole(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw new StateError(`${where} is ${JSON.stringify(value)}, not a whole number`);
  return value;
}

export function mode(value: unknown): MembershipMode {
  if (MODES.includes(value as MembershipMode)) return value as MembershipMode;
  throw new StateError(`mode is ${JSON.stringify(value)}, not "additive" or "authoritative"`);
}

export function keys(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((key): key is string => typeof key === "string"))
    throw new StateError(`${where} is not a list of people`);
  return value;
}

/** A value that may be the preview's unknown sentinel, else decoded. */
export const orUnknown = <T>(value: unknown, decode: (value: unknown) => T): T | typeof UNKNOWN => (isUnknown(value) ? UNKNOWN : decode(value));

/** The resource's URN, where the program-side class recorded one. */
export const urnOf = (bag: Bag): { __urn?: string } => (typeof bag.__urn === "string" ? { __urn: bag.__urn } : {});

/** A recorded plan (`__plan`), or undefined where none was recorded. */
export function decodePlan(value: unknown): MembershipPlan | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isBag(value)) throw new StateError("__plan is not a plan");
  return {
    gains: memberMap(value.gains, "__plan.gains"),
    losses: memberMap(value.losses, "__plan.losses"),
    unchanged: memberMap(value.unchanged, "__plan.unchanged"),
    adopted: keys(value.adopted, "__plan.adopted"),
  };
}
