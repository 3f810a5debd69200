import type { PulumiFn, UpOptions, UpResult } from "@pulumi/pulumi/automation";
import type { Sandbox, SandboxOptions } from "../../sandbox";
import { type EngineStack, type EngineStackOptions, createEngineStack } from "../../scripts/lib/pulumi";
import type { Bag } from "./dynamic";
import { startTestSandbox } from "./sandbox";

/**
 * What each test of an engine suite builds for itself: a sandbox, and inline stacks on it, all closed after
 * the test. A test's stack starts empty, so no test depends on what another one did.
 *
 *   const own = ownedPerTest();
 *   it("…", async () => {
 *     const sandbox = await own.sandbox();
 *     const engine = await own.stack(sandbox, async () => { new UserGroupMembership(…); });
 *   });
 */
export function ownedPerTest() {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async sandbox(options?: SandboxOptions): Promise<Sandbox> {
      const sandbox = await startTestSandbox(options);
      cleanups.push(() => sandbox.stop());
      return sandbox;
    },
    /** A stack running `program`, pointed at the sandbox; the token in stack config unless `options` says otherwise. */
    async stack(sandbox: Sandbox, program: PulumiFn, options: Partial<EngineStackOptions> = {}): Promise<EngineStack> {
      const engine = await createEngineStack({ program, baseUrl: sandbox.url, token: sandbox.token, tokenVia: "config", ...options });
      cleanups.push(() => engine.dispose());
      return engine;
    },
  };
}

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
