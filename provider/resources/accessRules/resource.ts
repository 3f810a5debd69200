import * as pulumi from "@pulumi/pulumi";
import type { AccessRule } from "../../plan/rules";
import type { RuleSource } from "./source";
import { providerShim } from "../../shim";
import { KIND_PROPERTY } from "../../runtime/kind";
import { ownUrn } from "../urn";

export interface AccessRulesArgs {
  /**
   * The rules every change must keep, judged at `pulumi preview` against what the groups will hold
   * after `up`: `{ separate: [groupA, groupB, …] }` (nobody in more than one), `{ allowedDomains: [domain,
   * …], groups?: [...] }` (members' addresses; every managed group by default), `{ maxMembers: { group, max } }`.
   * Each may carry a `reason`, quoted when it fires. Groups by name, as plain texts.
   */
  rules: AccessRule[];
  /** Where an access file wrote the rules and the groups (declareAccess sets it): every problem then starts with FILE:LINE. */
  source?: RuleSource;
}

/**
 * Access rules for the groups of a program. A broken rule fails the preview (and so `pulumi up`, which
 * previews first) before anything is written. Declare it after the resources it covers and pass them as
 * `dependsOn`: the engine then checks it after every one of them, when what they will do is known.
 */
export class AccessRules extends pulumi.dynamic.Resource {
  declare readonly rules: pulumi.Output<AccessRule[]>;
  /** What each rule looked at when the rules were last applied: the groups and how many people they hold. */
  declare readonly evaluation: pulumi.Output<Array<{ groups: string[]; people: number }>>;

  constructor(name: string, args: AccessRulesArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = { [KIND_PROPERTY]: "AccessRules", __urn: ownUrn(name, "AccessRules", opts), ...accessRulesInputs(args) };
    super(providerShim, name, inputs, opts, "kantata", "AccessRules");
  }
}

/** What a program registers for its rules, through either door (the outputs to come, then the arguments). */
export function accessRulesInputs(args: AccessRulesArgs): pulumi.Inputs {
  const { source, ...rules } = args;
  return { evaluation: undefined, ...rules, ...(source !== undefined && { __source: source }) };
}
