import { companySeed } from "./companyAccount";
import type { AccountSeed } from "./records";

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
