import * as pulumi from "@pulumi/pulumi";

/**
 * The URN the engine gives a kantata resource, as an input the provider sees at `check`: Pulumi's
 * dynamic providers are never told which resource a call is for, and the provider needs it to name the
 * resource in messages, to show them under it in the CLI, and to tell two resources declaring the same
 * membership apart. Hidden from diffs (the engine hides `__` properties) and never changes the plan.
 */
export function ownUrn(name: string, kind: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Output<string> {
  return pulumi.createUrn(name, `pulumi-nodejs:dynamic/kantata:${kind}`, opts?.parent);
}
