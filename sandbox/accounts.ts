import { companySeed } from "./companyAccount";
import type { NewUser } from "./store";

/**
 * What a fresh sandbox starts with. Records are given in id order and refer to each other by
 * position, so the store hands out the ids from its sequences (users 1001…, groups 5521…,
 * memberships 90001…) whatever the account.
 */
export interface AccountSeed {
  users: readonly NewUser[];
  workspaceGroups: readonly SeedWorkspaceGroup[];
  /** In id order; every one is created by {@link SYSTEM_CREATOR_ID}, as if made in the Kantata UI. */
  memberships: readonly SeedMembership[];
}

export interface SeedWorkspaceGroup {
  name: string;
  /** In the store's one timestamp format. */
  createdAt: string;
}

export interface SeedMembership {
  /** Position in {@link AccountSeed.users}. */
  user: number;
  /** Position in {@link AccountSeed.workspaceGroups}. */
  workspaceGroup: number;
  createdAt: string;
}

/**
 * "demo": 20 users, three empty groups; small enough to read in a test. "company": an existing
 * company's account, thousands of records (see companyAccount.ts); it replaces the demo seed.
 */
export const ACCOUNTS = ["demo", "company"] as const;
export type AccountName = (typeof ACCOUNTS)[number];

const SEED_TIMESTAMP = "2024-01-02T09:00:00+00:00";
const DEMO_USER_NAMES = [
  "Ada Lovelace",
  "Alan Turing",
  "Grace Hopper",
  "Edsger Dijkstra",
  "Barbara Liskov",
  "Donald Knuth",
  "Margaret Hamilton",
  "Dennis Ritchie",
  "Ken Thompson",
  "Frances Allen",
  "John McCarthy",
  "Radia Perlman",
  "Tony Hoare",
  "Leslie Lamport",
  "Katherine Johnson",
  "Claude Shannon",
  "Hedy Lamarr",
  "John Backus",
  "Niklaus Wirth",
  "Sophie Wilson",
];
const DEMO_GROUP_NAMES = ["Delivery-EMEA", "Delivery-AMER", "Finance"];

function demoSeed(): AccountSeed {
  return {
    users: DEMO_USER_NAMES.map((fullName) => ({ fullName, emailAddress: `${fullName.toLowerCase().replace(/ /g, ".")}@example.com` })),
    workspaceGroups: DEMO_GROUP_NAMES.map((name) => ({ name, createdAt: SEED_TIMESTAMP })),
    memberships: [],
  };
}

export function accountSeed(account: AccountName): AccountSeed {
  switch (account) {
    case "demo":
      return demoSeed();
    case "company":
      return companySeed();
  }
}
