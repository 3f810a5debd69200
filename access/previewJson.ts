/** The parts of `pulumi preview --json` that describe a step, as the engine prints them. */

export interface PreviewState {
  urn?: string;
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  /** Declared with `retainOnDelete`: deleting it forgets it, and asks the provider nothing. */
  retainOnDelete?: boolean;
}

export interface PreviewStep {
  /** "create", "update", "delete", "replace", "same", "create-replacement", "delete-replaced", "read", … */
  op: string;
  urn: string;
  oldState?: PreviewState;
  newState?: PreviewState;
  replaceReasons?: string[];
}

export interface PreviewJson {
  steps?: PreviewStep[];
  changeSummary?: Record<string, number>;
}

/** Parses preview JSON, saying what is wrong with input that is not one. */
export function parsePreviewJson(text: string, source: string): PreviewJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON (${(error as Error).message}). Pass the output of \`pulumi preview --json\`.`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as PreviewJson).steps ?? [])) {
    throw new Error(`${source} does not look like \`pulumi preview --json\` output (no "steps" list).`);
  }
  // The review reads every step's op and URN: a step without them is not the engine's.
  const steps: unknown[] = (parsed as PreviewJson).steps ?? [];
  const bad = steps.findIndex((step) => !isStep(step));
  if (bad >= 0) throw new Error(`${source} does not look like \`pulumi preview --json\` output (steps[${bad}] has no "op" and "urn" texts).`);
  return parsed;
}

const isStep = (step: unknown): boolean =>
  typeof step === "object" && step !== null && typeof (step as PreviewStep).op === "string" && typeof (step as PreviewStep).urn === "string";

/** The resource's name: the last segment of its URN. */
export const resourceName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
