import type * as pulumi from "@pulumi/pulumi";

/**
 * The value the engine sends during preview for an input computed from another resource's output
 * (`pulumi.runtime.unknownValue`). Spelled out here so validation code does not have to load the SDK runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (value: unknown): value is typeof UNKNOWN => value === UNKNOWN;

export type Failures = pulumi.dynamic.CheckFailure[];

/** A value as an error message shows it: its JSON and its type. */
export const describeValue = (value: unknown): string =>
  value === undefined ? "nothing" : `${JSON.stringify(value) ?? typeof value} (${typeof value})`;

/** An optional boolean flag, `false` when absent. */
export function parseFlag(property: string, value: unknown, failures: Failures): boolean | typeof UNKNOWN | undefined {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean" || isUnknown(value)) return value;
  failures.push({ property, reason: `${property} must be true or false; got ${describeValue(value)}.` });
  return undefined;
}

/** Inputs as `check` returns them during preview: any value may still be unknown. */
export type Unknowable<T> = { [K in keyof T]: T[K] | typeof UNKNOWN };

/** Narrows checked inputs to known values. The engine resolves every input before create and update. */
export function requireKnown<T extends object>(inputs: Unknowable<T>): T {
  const unknown = Object.entries(inputs).find(([, value]) => isUnknown(value));
  if (unknown) throw new Error(`Input ${unknown[0]} is still unknown at apply time; this is a bug in pulumi-kantata, please report it.`);
  return inputs as T;
}

/**
 * A `read` result that reports refreshed inputs too (SDK ≥ 3.216), so drift shows as an ordinary diff
 * against the program. The SDK's type says `inputs` has the outputs' type; the engine treats it as
 * inputs, and outputs-only fields there would show up in every preview. This is the one cast for that.
 */
export function refreshed<Inputs extends object, Outputs extends Inputs>(
  id: string,
  props: Outputs,
  inputs: Inputs,
): pulumi.dynamic.ReadResult<Outputs> {
  return { id, props, inputs: inputs as Outputs };
}
