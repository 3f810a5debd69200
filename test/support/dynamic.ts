import type * as pulumi from "@pulumi/pulumi";
import * as router from "../../provider/router";
import { type ContextOptions, createContext } from "../../provider/runtime/context";
import type { UserGroupMembershipOutputs } from "../../provider/resources/userGroupMembership/state";
import type { WorkspaceGroupOutputs } from "../../provider/resources/workspaceGroup/state";
import type { WorkspaceGroupMembersOutputs } from "../../provider/resources/workspaceGroupMembers/state";
import type { Sandbox } from "../../sandbox";

/**
 * The provider's router, as tests call it. The router returns Pulumi's result types, whose property
 * bags default to `any`; these are the same calls, passed straight through, with the bags typed as
 * what any kind records, so tests read them through a type. The router's create and update always
 * return outputs; check returns no inputs when it fails, and read none once the resource is gone.
 */
export type Bag = Record<string, unknown> & Partial<UserGroupMembershipOutputs & WorkspaceGroupMembersOutputs & WorkspaceGroupOutputs>;

type Properties = Record<string, unknown>;

/** The engine's calls to one provider process. */
export interface ProviderProcess {
  check(olds: Properties, news: Properties): Promise<pulumi.dynamic.CheckResult<Bag>>;
  diff(id: string, olds: Properties, news: Properties): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Properties): Promise<{ id: string; outs: Bag }>;
  read(id: string, props: Properties | undefined): Promise<pulumi.dynamic.ReadResult<Bag>>;
  update(id: string, olds: Properties, news: Properties): Promise<{ outs: Bag }>;
  delete(id: string, props: Properties): Promise<void>;
}

/**
 * A provider process of its own: the router bound to a new context, made as `configure` makes one.
 * Nothing read by another process (cached groups, resolved addresses, declared owners) is remembered, so
 * "a new Pulumi operation" is a new call of this. The process environment is not read unless given.
 */
export function providerProcess(options: ContextOptions = {}): ProviderProcess {
  const context = createContext({ env: {}, ...options });
  const calls = router.routerFor(() => context);
  return {
    check: (olds, news) => calls.check(olds, news) as Promise<pulumi.dynamic.CheckResult<Bag>>,
    diff: (id, olds, news) => calls.diff(id, olds, news),
    create: (inputs) => calls.create(inputs) as Promise<{ id: string; outs: Bag }>,
    read: (id, props) => calls.read(id, props) as Promise<pulumi.dynamic.ReadResult<Bag>>,
    update: (id, olds, news) => calls.update(id, olds, news) as Promise<{ outs: Bag }>,
    delete: (id, props) => calls.delete(id, props),
  };
}

/** Stack config as the engine hands it to `configure`. */
export function stackConfig(values: Record<string, string>): pulumi.dynamic.Config {
  return {
    get: (key) => values[key],
    require: (key) => {
      if (!(key in values)) throw new Error(`missing config ${key}`);
      return values[key];
    },
  };
}

/** A provider process pointed at the sandbox by stack config (its URL and token, plus `config`). */
export function providerFor(sandbox: Sandbox, config: Record<string, string> = {}): ProviderProcess {
  return providerProcess({ pulumiConfig: stackConfig({ "kantata:baseUrl": sandbox.url, "kantata:apiToken": sandbox.token, ...config }) });
}

// The router of this (Jest worker) process, configured by `configure` as the engine does. Kept for tests
// written before providerProcess; a new test makes its own process with providerFor/providerProcess.
export const configure = router.configure;
export const check = (olds: Properties, news: Properties) => router.check(olds, news) as Promise<pulumi.dynamic.CheckResult<Bag>>;
export const diff = router.diff;
export const create = (inputs: Properties) => router.create(inputs) as Promise<{ id: string; outs: Bag }>;
export const read = (id: string, props: Properties | undefined) => router.read(id, props) as Promise<pulumi.dynamic.ReadResult<Bag>>;
export const update = (id: string, olds: Properties, news: Properties) => router.update(id, olds, news) as Promise<{ outs: Bag }>;
const remove = router.delete;
export { remove as delete };

/** What a provider call rejected with, read through the fields a PartialFailure carries (or, should it resolve, what it resolved to). */
export interface Failure {
  name: string;
  message: string;
  id?: string;
  properties?: Bag;
}

/** `call.catch((e) => e)`, typed: the rejection as a Failure. */
export const failureOf = (call: Promise<unknown>): Promise<Failure> => call.catch((error: unknown) => error) as Promise<Failure>;
