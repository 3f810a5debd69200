import type * as pulumi from "@pulumi/pulumi";

/**
 * The value the engine sends during preview for an input computed from another resource's output
 * (`pulumi.runtime.unknownValue`). Spelled out here so validation code does not have to load the SDK runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (value: unknown): value is typeof UNKNOWN => value === UNKNOWN;

export type Failures = pulumi.dynamic.CheckFailure[];

const describeValue = (value: unknown): string =>
  value === undefined ? "nothing" : `${JSON.stringify(value) ?? String(value)} (${typeof value})`;

/**
 * A Kantata id in the form users write it — a positive integer or its decimal string — as a number.
 * Records a failure naming the property, the value and the fix otherwise. Unknown values pass through.
 */
export function parseId(property: string, value: unknown, failures: Failures): number | typeof UNKNOWN | undefined {
  if (isUnknown(value)) return UNKNOWN;
  const parsed = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  failures.push({
    property,
    reason: `${property} must be a Kantata OX id: a positive integer such as 123 or a numeric string such as "123"; got ${describeValue(value)}. Fix the value in your program.`,
  });
  return undefined;
}

/** An optional boolean flag, `false` when absent. */
export function parseFlag(property: string, value: unknown, failures: Failures): boolean | typeof UNKNOWN | undefined {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean" || isUnknown(value)) return value;
  failures.push({ property, reason: `${property} must be true or false; got ${describeValue(value)}.` });
  return undefined;
}
