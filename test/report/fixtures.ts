import type { AccountSnapshot, ReportInputs, SnapshotMembership, SnapshotUser, StateResource } from "../../access/report/model";

/** A small account for model and renderer tests: ids like the sandbox's demo seed. */
export const EMEA = 5521;
export const AMER = 5522;
export const FINANCE = 5523;
export const ADA = 1001;
export const ALAN = 1002;
export const GRACE = 1003;
export const EDSGER = 1004;
export const BARBARA = 1005;
/** The token's user in the sandbox: what the provider creates carries it as creator_id. */
export const ADMIN = 12;
/** "Made in the Kantata UI": the sandbox's creator of memberships added by hand; no user record. */
export const SYSTEM = 1;

export const AT = new Date("2026-01-02T03:04:05.000Z");
export const TOOL = { name: "pulumi-kantata", version: "0.0.0-test" };

const person = (id: number, first: string, last: string): SnapshotUser => ({
  id,
  email: `${first}.${last}@example.com`.toLowerCase(),
  fullName: `${first} ${last}`,
});

export const USERS: SnapshotUser[] = [
  person(ADA, "Ada", "Lovelace"),
  person(ALAN, "Alan", "Turing"),
  person(GRACE, "Grace", "Hopper"),
  person(EDSGER, "Edsger", "Dijkstra"),
  person(BARBARA, "Barbara", "Liskov"),
  { id: ADMIN, email: "Sandbox.Admin@Example.com", fullName: "Sandbox Administrator" },
];

let nextId = 90001;
export const membership = (userId: number, groupId: number, extra: Partial<SnapshotMembership> = {}): SnapshotMembership => ({
  id: nextId++,
  userId,
  workspaceGroupId: groupId,
  creatorId: SYSTEM,
  createdAt: "2024-05-06T07:08:09+00:00",
  ...extra,
});

export function snapshot(memberships: SnapshotMembership[], overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    account: "https://api.mavenlink.com/api/v1",
    groups: [
      { id: EMEA, name: "Delivery-EMEA" },
      { id: AMER, name: "Delivery-AMER" },
      { id: FINANCE, name: "Finance" },
    ],
    memberships,
    users: new Map(USERS.map((u) => [u.id, u])),
    ...overrides,
  };
}

export const inputs = (over: Partial<ReportInputs> & Pick<ReportInputs, "snapshot">): ReportInputs => ({ generatedAt: AT, tool: TOOL, ...over });

export const resource = (kind: StateResource["kind"], name: string): StateResource => ({
  kind,
  name,
  urn: `urn:pulumi:prod::access::pulumi-nodejs:dynamic/kantata:${kind}::${name}`,
});
