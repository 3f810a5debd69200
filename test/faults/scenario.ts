// The stack every fault test declares, and the two checks every fault ends with: the sandbox holds exactly
// what is declared (plus what was there before, untouched), and a preview plans nothing.
import { ADMIN_USER_ID } from "../../sandbox";
import { type Declaration, type FaultProject, type FaultSandbox, GROUPS, fmt } from "./harness";

export interface Sizes {
  /** Members of one WorkspaceGroupMembers (Delivery-EMEA, additive, by email). */
  groupMembers: number;
  /** UserGroupMembership resources (Finance, by email). */
  memberships: number;
  /** The WorkspaceGroupMembers declares its people by id instead of email (cheaper `check` for very large groups). */
  byId?: boolean;
  adoptExisting?: boolean;
}

export interface Scenario {
  declaration: Declaration;
  /** user ids declared per group */
  declared: Map<number, number[]>;
  /** memberships that existed before the stack, per group (made by someone else) */
  before: Map<number, number[]>;
  total: number;
  /** The name of the resource that declares a (group, user) pair, e.g. "finance-1234"; undefined if none does. */
  resourceOf(groupId: number, userId: number): string | undefined;
}

/**
 * Users: the group's people first, then the single memberships' people, then a few outsiders. Before the
 * stack exists someone else (the sandbox's system user) already put 3 of the group's declared people and
 * 4 outsiders into Delivery-EMEA, and 3 outsiders into Finance: additive mode must never touch those.
 */
export function buildScenario(box: FaultSandbox, sizes: Sizes): Scenario {
  const outsiders = 7;
  const users = box.store.ensureUsers(sizes.groupMembers + sizes.memberships + outsiders).sort((a, b) => a.id - b.id);
  const groupUsers = users.slice(0, sizes.groupMembers);
  const singleUsers = users.slice(sizes.groupMembers, sizes.groupMembers + sizes.memberships);
  const others = users.slice(sizes.groupMembers + sizes.memberships);
  const beforeEmea = [...groupUsers.slice(0, 3), ...others.slice(0, 4)].map((u) => u.id);
  const beforeFinance = others.slice(4).map((u) => u.id);
  box.store.addMemberships([
    ...beforeEmea.map((userId) => ({ userId, workspaceGroupId: GROUPS.emea })),
    ...beforeFinance.map((userId) => ({ userId, workspaceGroupId: GROUPS.finance })),
  ]);
  const declaration: Declaration = {
    groups:
      sizes.groupMembers > 0
        ? [{ name: "delivery-emea", group: "Delivery-EMEA", members: groupUsers.map((u) => (sizes.byId ? u.id : u.emailAddress)) }]
        : [],
    memberships: singleUsers.map((u) => ({
      name: `finance-${u.id}`,
      user: u.emailAddress,
      group: "Finance",
      adoptExisting: sizes.adoptExisting,
    })),
  };
  return {
    declaration,
    declared: new Map([
      [GROUPS.emea, groupUsers.map((u) => u.id)],
      [GROUPS.finance, singleUsers.map((u) => u.id)],
    ]),
    before: new Map([
      [GROUPS.emea, beforeEmea],
      [GROUPS.finance, beforeFinance],
    ]),
    total: sizes.groupMembers + sizes.memberships,
    resourceOf: (groupId, userId) => {
      if (groupId === GROUPS.emea && groupUsers.some((u) => u.id === userId)) return declaration.groups[0]?.name;
      if (groupId === GROUPS.finance) return declaration.memberships[singleUsers.findIndex((u) => u.id === userId)]?.name;
      return undefined;
    },
  };
}

const sorted = (ids: Iterable<number>): number[] => [...new Set(ids)].sort((a, b) => a - b);

/** Every declared pair exactly once, and everything that was there before still there; nothing else. */
export function expectExactlyDeclared(box: FaultSandbox, scenario: Scenario, extra: Map<number, number[]> = new Map()): void {
  for (const [groupId, declared] of scenario.declared) {
    const expected = sorted([...declared, ...(scenario.before.get(groupId) ?? []), ...(extra.get(groupId) ?? [])]);
    // membersOf lists one entry per membership, unsorted-set: a duplicate would make it longer than expected.
    expect({ groupId, members: box.membersOf(groupId) }).toEqual({ groupId, members: expected });
  }
}

/** After destroy: none of the stack's memberships; what was there before is untouched. */
export function expectOnlyBefore(box: FaultSandbox, scenario: Scenario, extra: Map<number, number[]> = new Map()): void {
  for (const groupId of scenario.declared.keys()) {
    const expected = sorted([...(scenario.before.get(groupId) ?? []), ...(extra.get(groupId) ?? [])]);
    expect({ groupId, members: box.membersOf(groupId) }).toEqual({ groupId, members: expected });
  }
  expect(box.store.listMemberships().filter((m) => m.creatorId === ADMIN_USER_ID)).toEqual([]);
}

/** A preview that plans nothing. */
export async function expectCleanPreview(project: FaultProject): Promise<void> {
  const { changes } = await project.previewChanges();
  expect(changes).toEqual({});
}

export const converged = (scenario: Scenario): string => `converged: ${fmt(scenario.total)}/${fmt(scenario.total)} memberships, preview clean`;
