import { execFile } from "node:child_process";
import { decodeOutputs as decodeWorkspaceGroupOutputs } from "../../provider/resources/workspaceGroup/state";
import type { Mode, ResourceKind, StateGroup, StateMembership, StateResource, StateView } from "./model";

/**
 * The state view: which memberships the stack's resources manage, and which of them were adopted.
 * Read with `pulumi stack export --stack NAME` (the Pulumi CLI on PATH, which finds its backend and
 * credentials the usual way), decoded with type guards: an audit built on half-understood state would
 * mislead, so a resource of ours whose outputs don't decode fails the report, naming the resource.
 *
 *   pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers  outputs { group, groupId, members: {key: userId}, mode, preexisting: [key], undeclared }
 *   pulumi-nodejs:dynamic/kantata:UserGroupMembership    outputs { user, userId, group, groupId, membershipId, adopted }
 *   pulumi-nodejs:dynamic/kantata:WorkspaceGroup         outputs { name, groupId, adopted, deleted, notes, … }, read by the
 *                                                        provider's own decoder: the group itself is managed by code
 * and the same outputs under the provider plugin's types, `kantata:index:<Kind>`.
 */

export const TYPE_PREFIX = "pulumi-nodejs:dynamic/kantata:";
/** The provider plugin's types (`kantata:index:<Kind>`): the same kinds with the same outputs, through the other door. */
export const PLUGIN_TYPE_PREFIX = "kantata:index:";

/** The kind of a resource of ours through either door, or undefined for anything else in the stack. */
const kindOfType = (type: string): string | undefined =>
  [TYPE_PREFIX, PLUGIN_TYPE_PREFIX].filter((prefix) => type.startsWith(prefix)).map((prefix) => type.slice(prefix.length))[0];

export class StackStateError extends Error {
  override readonly name = "StackStateError";
}

type Bag = Record<string, unknown>;

const isBag = (value: unknown): value is Bag => typeof value === "object" && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value > 0;
const isMode = (value: unknown): value is Mode => value === "additive" || value === "authoritative";
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");
const isMemberMap = (value: unknown): value is Record<string, number> => isBag(value) && Object.values(value).every(isId);

interface ExportedResource {
  urn: string;
  type: string;
  outputs?: Bag;
}

const isResource = (value: unknown): value is ExportedResource =>
  isBag(value) && typeof value.urn === "string" && typeof value.type === "string" && (value.outputs === undefined || isBag(value.outputs));

export interface WorkspaceGroupMembersOutputs {
  group: string;
  groupId: number;
  members: Record<string, number>;
  mode: Mode;
  preexisting: string[];
}

export function isWorkspaceGroupMembersOutputs(value: unknown): value is WorkspaceGroupMembersOutputs {
  return (
    isBag(value) &&
    typeof value.group === "string" &&
    isId(value.groupId) &&
    isMemberMap(value.members) &&
    isMode(value.mode) &&
    (value.preexisting === undefined || isStringList(value.preexisting))
  );
}

export interface UserGroupMembershipOutputs {
  user: string | number;
  userId: number;
  group: string | number;
  groupId: number;
  membershipId: number;
  adopted: boolean;
}

export function isUserGroupMembershipOutputs(value: unknown): value is UserGroupMembershipOutputs {
  return (
    isBag(value) &&
    (typeof value.user === "string" || typeof value.user === "number") &&
    isId(value.userId) &&
    (typeof value.group === "string" || typeof value.group === "number") &&
    isId(value.groupId) &&
    isId(value.membershipId) &&
    (value.adopted === undefined || typeof value.adopted === "boolean")
  );
}

/** The resource's name: the URN's last `::` part. */
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** The state view of an exported deployment (`pulumi stack export`'s JSON, already parsed). */
export function decodeStackExport(exported: unknown, stack: string): StateView {
  const deployment = isBag(exported) ? exported.deployment : undefined;
  if (!isBag(deployment)) throw new StackStateError(`pulumi stack export of "${stack}" printed no deployment`);
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources)) throw new StackStateError(`pulumi stack export of "${stack}": deployment.resources is not a list`);
  const groups: StateGroup[] = [];
  const memberships: StateMembership[] = [];
  const problems: string[] = [];
  for (const raw of resources) {
    const kind = isResource(raw) ? kindOfType(raw.type) : undefined;
    if (!isResource(raw) || kind === undefined) continue;
    const resource = (k: ResourceKind): StateResource => ({ kind: k, name: nameOf(raw.urn), urn: raw.urn });
    if (kind === "WorkspaceGroupMembers") {
      if (!isWorkspaceGroupMembersOutputs(raw.outputs)) {
        problems.push(`${raw.urn}: outputs are not { group, groupId, members: {person: userId}, mode, preexisting }`);
        continue;
      }
      const { group, groupId, members, mode, preexisting = [] } = raw.outputs;
      const adopted = new Set(preexisting);
      const r = resource("WorkspaceGroupMembers");
      groups.push({ groupId, name: group, mode, resource: r });
      for (const [person, userId] of Object.entries(members))
        memberships.push({ groupId, userId, person, adopted: adopted.has(person), resource: r });
    } else if (kind === "UserGroupMembership") {
      if (!isUserGroupMembershipOutputs(raw.outputs)) {
        problems.push(`${raw.urn}: outputs are not { user, userId, group, groupId, membershipId, adopted }`);
        continue;
      }
      const { user, userId, groupId, adopted = false } = raw.outputs;
      memberships.push({
        groupId,
        userId,
        person: typeof user === "string" ? user.trim().toLowerCase() : String(user),
        adopted,
        resource: resource("UserGroupMembership"),
      });
    } else if (kind === "WorkspaceGroup") {
      let outputs: ReturnType<typeof decodeWorkspaceGroupOutputs>;
      try {
        outputs = decodeWorkspaceGroupOutputs(raw.outputs ?? {});
      } catch (error) {
        problems.push(`${raw.urn}: outputs are not a WorkspaceGroup's { name, groupId, adopted, deleted }: ${(error as Error).message}`);
        continue;
      }
      // A tombstone whose group never existed stands for no group of the account.
      if (outputs.groupId !== undefined) groups.push({ groupId: outputs.groupId, name: outputs.name, resource: resource("WorkspaceGroup") });
    }
    // Other kinds of ours (AccessRules) manage no group and no membership.
  }
  if (problems.length > 0) throw new StackStateError(`stack "${stack}" has resources the report cannot read:\n${problems.join("\n")}`);
  return { stack, groups, memberships };
}

/** Environment variables the Pulumi CLI must not see: it needs none of Kantata's, least of all the token. */
const WITHHELD = /^KANTATA_/;

/**
 * Runs `pulumi stack export --stack NAME` and decodes it. The CLI gets the environment without any
 * KANTATA_* variable, and the command line holds only the stack's name.
 */
export async function readStackState(stack: string, env: NodeJS.ProcessEnv = process.env, command = "pulumi"): Promise<StateView> {
  const childEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !WITHHELD.test(key)));
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      command,
      ["stack", "export", "--stack", stack],
      { env: childEnv, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, timeout: 5 * 60_000 },
      (error, out, err) => {
        if (error === null) return resolve(out);
        if ("code" in error && error.code === "ENOENT")
          return reject(new StackStateError(`--stack needs the Pulumi CLI, and "${command}" is not on PATH`));
        const why = err.trim().split("\n").slice(-5).join("\n") || error.message;
        reject(new StackStateError(`pulumi stack export --stack ${stack} failed:\n${why}`));
      },
    );
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new StackStateError(`pulumi stack export --stack ${stack} printed something other than JSON`);
  }
  return decodeStackExport(parsed, stack);
}
