import type * as pulumi from "@pulumi/pulumi";
import type { KantataClient } from "../../kantata/client";
import { normalizeEmail } from "../../identity/references";
import type { MemberMap } from "../identityInputs";
import { refreshed } from "../inputs";
import { providerLog } from "../runtime";
import { type WorkspaceGroupMembersOutputs, inputsOf, preexistingIdsOf, recordObserved } from "./state";

/**
 * `read` for a refresh: one paged GET of the group, with its members' users side-loaded. Reports as
 * inputs what exists, so drift is an ordinary per-person diff against the program at the next preview:
 * a member removed by hand shows as `+ their address`, an undeclared member of an authoritative group as
 * `- their address`. A member whose address changed is re-keyed under the new one (the program's old
 * address is then looked up afresh), and the provider log says what happened to whom.
 */
export async function refresh(
  client: KantataClient,
  id: string,
  props: WorkspaceGroupMembersOutputs,
): Promise<pulumi.dynamic.ReadResult<WorkspaceGroupMembersOutputs>> {
  const live = await client.listGroupMembers(props.groupId);
  if (live.memberships.length === 0 && (await client.listWorkspaceGroups({ only: [props.groupId] })).length === 0) {
    providerLog(`workspace group "${props.group}" (id ${props.groupId}) no longer exists in Kantata OX; Pulumi forgets it.`);
    return {};
  }
  const present = new Set(live.memberships.map((m) => m.userId));
  const members: MemberMap = {};
  const gone: Array<[string, number]> = [];
  for (const [key, userId] of Object.entries(props.members ?? {})) {
    if (!present.has(userId)) gone.push([key, userId]);
    const email = live.users.get(userId)?.email;
    const current = email === undefined ? key : normalizeEmail(email);
    if (key.includes("@") && current !== key) {
      providerLog(`${key} (user ${userId}) now has the address ${current}; the program's ${key} will be looked up again.`);
      members[current] = userId;
    } else {
      members[key] = userId;
    }
  }
  if (gone.length > 0) await explainDepartures(client, props.group, gone);
  const outs = recordObserved({ ...inputsOf(props), members }, {}, preexistingIdsOf(props), { present, users: live.users });
  return refreshed(id, outs, { ...inputsOf(outs), members: { ...outs.members, ...outs.undeclared } });
}

/** Says, for managed members who are gone, whether the user was deleted or only removed from the group. */
async function explainDepartures(client: KantataClient, group: string, gone: Array<[string, number]>): Promise<void> {
  const existing = new Set((await client.findUsersById(gone.map(([, userId]) => userId))).map((user) => user.id));
  for (const [key, userId] of gone) {
    providerLog(
      existing.has(userId)
        ? `${key} (user ${userId}) was removed from workspace group "${group}" outside Pulumi.`
        : `${key} (user ${userId}) no longer exists in Kantata OX; the program's entry will be looked up again.`,
    );
  }
}
