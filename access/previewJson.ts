import { isBag } from "../provider/runtime/decode";

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
  // The review reads every step's op, URN and states: a step without them as the engine writes them is not the engine's.
  const steps: unknown[] = (parsed as PreviewJson).steps ?? [];
  for (const [i, step] of steps.entries()) {
    const problem = stepProblem(step);
    if (problem !== undefined) throw new Error(`${source} does not look like \`pulumi preview --json\` output (steps[${i}]${problem}).`);
  }
  return parsed;
}

/** What is wrong with one step, as " has no …" or ".oldState.outputs is not an object"; undefined when nothing is. */
function stepProblem(step: unknown): string | undefined {
  if (!isBag(step) || typeof step.op !== "string" || typeof step.urn !== "string") return ' has no "op" and "urn" texts';
  for (const state of ["oldState", "newState"] as const) {
    const value = step[state];
    if (value === undefined) continue;
    if (!isBag(value)) return `.${state} is not an object`;
    for (const part of ["inputs", "outputs"] as const)
      if (value[part] !== undefined && !isBag(value[part])) return `.${state}.${part} is not an object`;
  }
  return undefined;
}

/** The resource's name: the last segment of its URN. */
export const resourceName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
