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
export function ownedPerTest(defaults: Partial<EngineStackOptions> = {}) {
  return owned(afterEach, defaults);
}

/**
 * The same for a `describe` block whose tests share one sandbox and stack, opened in its beforeAll and closed
 * after its last test: what each test changes is its own part of the stack (see Slices), or the block's last
 * test changes it. Every CLI run costs seconds of CPU, so a stack and an `up` for many tests saves them.
 */
export function ownedPerBlock(defaults: Partial<EngineStackOptions> = {}) {
  return owned(afterAll, defaults);
}

/** `defaults`: options of every stack (createEngineStack's), e.g. `readOutputs: false` where no test reads an up's outputs. */
function owned(closeAfter: (close: () => Promise<void>) => void, defaults: Partial<EngineStackOptions>) {
  const cleanups: Array<() => Promise<unknown>> = [];
  closeAfter(async () => {
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
      const engine = await createEngineStack({
        program,
        baseUrl: sandbox.url,
        token: sandbox.token,
        tokenVia: "config",
        ...defaults,
        ...options,
      });
      cleanups.push(() => engine.dispose());
      return engine;
    },
  };
}

/**
 * What the tests of a block declare in the one stack they share (ownedPerBlock): each test a part of the
 * program of its own, its slice, keyed by the test, with resources and Kantata OX objects (a group) no other
 * slice touches. The block's beforeAll applies every slice's starting point with one `up`; a test then changes
 * and asserts on its own slice only, so it starts from that starting point whichever tests ran before it, as
 * it would in a stack of its own. Other slices' resources are unchanged in each of its runs (`own`).
 * After each test, every slice is declared again as the last successful `up` left it (`applied`), so a test
 * that stopped after a failed preview leaves nothing declared for the next.
 */
export class Slices<T> {
  private declared: Record<string, T>;
  private lastApplied: Record<string, T>;

  /** `size`: how many resources a slice declares; `shared`: those of no slice (the stack itself, …). */
  constructor(
    start: Record<string, T>,
    private readonly size: { of: (slice: T) => number; shared: number },
  ) {
    this.declared = { ...start };
    this.lastApplied = { ...start };
    afterEach(() => {
      this.declared = { ...this.lastApplied };
    });
  }

  keys(): string[] {
    return Object.keys(this.declared);
  }

  entries(): Array<[string, T]> {
    return Object.entries(this.declared);
  }

  get(key: string): T {
    if (!(key in this.declared)) throw new Error(`no slice ${key}`);
    return this.declared[key];
  }

  /** What the program declares for the slice on its next run. */
  declare(key: string, next: T): void {
    this.get(key);
    this.declared[key] = next;
  }

  /** Call after a successful `up`: state holds what is declared now. */
  applied(): void {
    this.lastApplied = { ...this.declared };
  }

  /**
   * The resource changes of a run, as if the stack held only the slice `key`: every other resource of the
   * stack (`shared`, and the other slices') is taken out of `same`, where each of them must be; `same` is
   * left out when none of the slice's own is. A change to another slice's resource leaves a key of its own.
   */
  own(key: string, changes: Partial<Record<string, number>> | undefined): Record<string, number> {
    const others = this.entries().reduce((n, [k, slice]) => (k === key ? n : n + this.size.of(slice)), this.size.shared);
    const { same = 0, ...rest } = changes ?? {};
    const changed = Object.fromEntries(Object.entries(rest).filter((entry): entry is [string, number] => entry[1] !== undefined));
    return same === others ? changed : { ...changed, same: same - others };
  }
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

/** The outputs of the resource the program named `name`, among these deployed resources. */
export const outputsOf = (resources: readonly DeployedResource[], name: string): Bag | undefined =>
  resources.find((r) => r.urn.endsWith(`::${name}`))?.outputs;
