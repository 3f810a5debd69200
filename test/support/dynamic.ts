import type * as pulumi from "@pulumi/pulumi";
import * as router from "../../provider/router";
import type { UserGroupMembershipOutputs } from "../../provider/resources/userGroupMembership/state";
import type { WorkspaceGroupOutputs } from "../../provider/resources/workspaceGroup/state";
import type { WorkspaceGroupMembersOutputs } from "../../provider/resources/workspaceGroupMembers/state";

/**
 * The provider's router, as tests call it. The router returns Pulumi's result types, whose property
 * bags default to `any`; these are the same calls, passed straight through, with the bags typed as
 * what any kind records, so tests read them through a type. The router's create and update always
 * return outputs; check returns no inputs when it fails, and read none once the resource is gone.
 */
export type Bag = Record<string, unknown> & Partial<UserGroupMembershipOutputs & WorkspaceGroupMembersOutputs & WorkspaceGroupOutputs>;

type Properties = Record<string, unknown>;

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
