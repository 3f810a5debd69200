import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "./context";

/** A property bag as the engine hands it over: each kind decodes it into its own types at the boundary. */
export type Bag = Record<string, unknown>;

/**
 * One resource kind's provider. Like Pulumi's ResourceProvider, but every method receives the process's
 * context, and property bags are decoded by the kind itself (never cast): state written by another
 * version fails with a clear message instead of being half-read.
 */
export interface KindProvider {
  check(ctx: ProviderContext, olds: Bag | undefined, news: Bag): Promise<pulumi.dynamic.CheckResult<object>>;
  diff(ctx: ProviderContext, id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult>;
  create(ctx: ProviderContext, inputs: Bag): Promise<pulumi.dynamic.CreateResult<object>>;
  read(ctx: ProviderContext, id: string, props: Bag): Promise<pulumi.dynamic.ReadResult<object>>;
  update(ctx: ProviderContext, id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult<object>>;
  delete(ctx: ProviderContext, id: string, props: Bag): Promise<void>;
}
