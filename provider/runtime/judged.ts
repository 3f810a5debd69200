import { ChangeRefused } from "./errors";
import type { Failures } from "./inputs";

/**
 * Problems a resource's check hands over to the AccessRules resource that judges it, so that one
 * preview names every problem of a declaration. The engine stops a preview at the first check that
 * fails, and the checks run one resource at a time: an unknown address in one group would hide every
 * other group's problems and every broken rule. A members' resource whose program names a judge
 * (`judgedBy`; declareAccess names the file's AccessRules) records its problems here instead of failing,
 * carries them in its checked inputs (so create and update refuse them), and the judge, checked after
 * every resource it depends on, fails with all of them at once beside its own.
 */

export interface HandedOver {
  /** The URN of the resource whose check found the problem. */
  owner: string;
  /** The property of that resource, as its own failure named it (`members[3]`, `group`). */
  property: string;
  reason: string;
  /** For a problem with one declared person: how they are keyed (the normalised address, or the id). */
  member?: string;
}

/** Inputs as the engine hands them over (the kinds' Bag; not imported, since the context imports this module). */
type Bag = Record<string, unknown>;

export class Judged {
  private readonly byJudge = new Map<string, Map<string, HandedOver[]>>();

  /** What `owner`'s latest check hands to `judge` (replacing what an earlier check of it said; none clears it). */
  record(judge: string, owner: string, problems: readonly HandedOver[]): void {
    const owners = this.byJudge.get(judge) ?? new Map<string, HandedOver[]>();
    if (problems.length > 0) owners.set(owner, [...problems]);
    else owners.delete(owner);
    this.byJudge.set(judge, owners);
  }

  /** Every problem handed to `judge` by the resources checked in this process. */
  handedTo(judge: string): HandedOver[] {
    return [...(this.byJudge.get(judge)?.values() ?? [])].flat();
  }
}

/** The judge a program names for a resource (`__judgedBy`: the name of an AccessRules resource), if any. */
export const judgeOf = (news: { __judgedBy?: unknown }): string | undefined =>
  typeof news.__judgedBy === "string" && news.__judgedBy !== "" ? news.__judgedBy : undefined;

/** The name a resource has in its program: the last part of its URN. */
export const nameInUrn = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** The problems a check handed over, as checked inputs carry them (`__handedOver`): a create or update of them is refused. */
export function refuseHandedOver(bag: Bag): void {
  const problems = bag.__handedOver;
  if (!Array.isArray(problems) || problems.length === 0) return;
  throw new ChangeRefused(
    `This resource's declaration has ${problems.length === 1 ? "a problem" : `${problems.length} problems`} ` +
      `(the preview names them): ${problems.map(String).join(" ")}`,
  );
}

/** Whether checked inputs carry handed-over problems: nothing can be planned from them. */
export const hasHandedOver = (bag: Bag): boolean => Array.isArray(bag.__handedOver) && bag.__handedOver.length > 0;

/** The failures as the judge will report them, with the declared person each concerns (`memberAt` reads `members[i]`). */
export function handOver(owner: string, failures: Failures, memberAt: (property: string) => string | undefined): HandedOver[] {
  return failures.map(({ property, reason }) => {
    const member = memberAt(property);
    return { owner, property, reason, ...(member !== undefined && { member }) };
  });
}
