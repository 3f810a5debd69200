import type { UpOptions, UpResult } from "@pulumi/pulumi/automation";
import type { Sandbox } from "../../sandbox";
import type { EngineStack } from "../../scripts/lib/pulumi";
import type { Bag } from "./dynamic";

/**
 * `up`, then a `preview` that must plan no change at all (only `same`) and make no request to Kantata:
 * state written by the up must read back as exactly what the program declares.
 */
export async function upThenNoChanges(engine: EngineStack, sandbox: Sandbox, options?: UpOptions): Promise<UpResult> {
  const result = await engine.stack.up(options);
  const before = sandbox.counters.snapshot().total;
  const preview = await engine.stack.preview();
  expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  expect(sandbox.counters.snapshot().total - before).toBe(0);
  return result;
}

/** A resource of an exported deployment, as the suites read it (`exportStack` hands the deployment back as untyped JSON). */
export interface DeployedResource {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
  outputs?: Bag;
}

/** The resources of the stack's current deployment; none before the first `up`. */
export async function deployedResources(engine: EngineStack): Promise<DeployedResource[]> {
  const deployment = (await engine.stack.exportStack()).deployment as { resources?: DeployedResource[] };
  return deployment.resources ?? [];
}
