import type { AccountSeed, NewUser, SeedMembership, SeedWorkspaceGroup } from "./records";
import { mulberry32 } from "./random";
import { timestamp } from "./time";

/**
 * The "company" account: an existing company's Kantata account, for tests and benchmarks that need
 * realistic volume and shape rather than a handful of records. Generated from a fixed seed, so every
 * sandbox started with it holds byte-identical data. Nothing depends on the clock.
 */

export const COMPANY_EMAIL_DOMAIN = "northwind.example";
export const COMPANY_USER_COUNT = 2500;

/**
 * The groups in id order (5521…) with their member counts: a few large groups (the regions, the
 * consultant pool) of several hundred to ~1,500 members, a handful of medium ones and many small ones.
 * The first three names repeat the demo's groups at the same ids. "Delivery-EMEA Archive" and
 * "Finance - Billing" contain other groups' names, so a `matching` lookup returns more than one group.
 */
export const COMPANY_GROUPS: ReadonlyArray<{ readonly name: string; readonly members: number }> = [
  { name: "Delivery-EMEA", members: 1480 },
  { name: "Delivery-AMER", members: 1300 },
  { name: "Finance", members: 120 },
  { name: "Consultants", members: 1000 },
  { name: "Resource Pool - Contractors", members: 900 },
  { name: "Delivery-APAC", members: 715 },
  { name: "Project Managers", members: 520 },
  { name: "Engineering - Platform", members: 430 },
  { name: "Engineering - Product", members: 360 },
  { name: "Professional Services - UK", members: 250 },
  { name: "Professional Services - DACH", members: 210 },
  { name: "Solution Architects", members: 180 },
  { name: "Customer Success", members: 150 },
  { name: "Sales - Enterprise", members: 140 },
  { name: "Finance - Billing", members: 64 },
  { name: "Finance - Revenue Recognition", members: 28 },
  { name: "HR", members: 45 },
  { name: "HR - Recruiting", members: 32 },
  { name: "Legal", members: 14 },
  { name: "IT Operations", members: 58 },
  { name: "Security", members: 22 },
  { name: "Data & Analytics", members: 71 },
  { name: "Marketing", members: 66 },
  { name: "Marketing - Events", members: 18 },
  { name: "Sales - Mid-Market", members: 88 },
  { name: "Sales Operations", members: 35 },
  { name: "PMO", members: 41 },
  { name: "Quality Assurance", members: 96 },
  { name: "Training & Enablement", members: 27 },
  { name: "Executive Team", members: 12 },
  { name: "Procurement", members: 19 },
  { name: "Support - Tier 1", members: 99 },
  { name: "Support - Tier 2", members: 54 },
  { name: "Engineering - QA Automation", members: 47 },
  { name: "Engineering - Mobile", members: 63 },
  { name: "Design / UX", members: 38 },
  { name: "Partners & Alliances", members: 24 },
  { name: "Timesheet Approvers", members: 92 },
  { name: "Resource Managers", members: 76 },
  { name: "Delivery-EMEA Archive", members: 16 },
];
export const COMPANY_GROUP_COUNT = COMPANY_GROUPS.length;
export const COMPANY_MEMBERSHIP_COUNT = COMPANY_GROUPS.reduce((sum, group) => sum + group.members, 0);

const COMPANY_SEED = 20250114;
/** Groups were set up over two years; memberships were added from then until this fixed past instant. */
const GROUPS_FROM = Date.UTC(2019, 2, 1);
const GROUPS_SPAN_MS = 2 * 365 * 24 * 3600 * 1000;
const MEMBERSHIPS_UNTIL = Date.UTC(2025, 9, 31, 18);

// Names from many countries, some with accents, apostrophes, hyphens and particles, as a real
// account has them; the email local part is folded to ASCII.
const FIRST_NAMES = [
  "James",
  "Mary",
  "John",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "William",
  "Elizabeth",
  "David",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Charles",
  "Karen",
  "Daniel",
  "Nancy",
  "Matthew",
  "Lisa",
  "Anthony",
  "Betty",
  "Mark",
  "Sandra",
  "Paul",
  "Ashley",
  "Steven",
  "Emily",
  "Andrew",
  "Michelle",
  "Joshua",
  "Amanda",
  "Kevin",
  "Melissa",
  "Brian",
  "Stephanie",
  "Oliver",
  "Amelia",
  "Harry",
  "Isla",
  "George",
  "Ava",
  "Noah",
  "Mia",
  "Jack",
  "Sophie",
  "Lukas",
  "Hannah",
  "Jonas",
  "Lea",
  "Felix",
  "Anna",
  "Léa",
  "Chloé",
  "Hugo",
  "Zoë",
  "José",
  "María",
  "Sofía",
  "Mateo",
  "Lucía",
  "Søren",
  "Ingrid",
  "Björn",
  "Åsa",
  "Priya",
  "Arjun",
  "Aisha",
  "Wei",
  "Mei",
  "Hiroshi",
  "Yuki",
  "Min-jun",
  "Ji-woo",
  "Olumide",
  "Chiamaka",
  "Siobhan",
  "Niamh",
  "Seán",
  "Aoife",
  "Mateusz",
  "Zofia",
  "François",
  "Renée",
  "Jean-Luc",
  "Anne-Marie",
];
const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Müller",
  "Schmidt",
  "Schneider",
  "Fischer",
  "Weber",
  "Meyer",
  "Wagner",
  "Becker",
  "Hoffmann",
  "Schäfer",
  "Dubois",
  "Lefèvre",
  "Moreau",
  "Laurent",
  "Girard",
  "Núñez",
  "García-López",
  "Fernández",
  "Álvarez",
  "Romero",
  "O'Brien",
  "O'Connor",
  "McCarthy",
  "Murphy",
  "Kelly",
  "van der Berg",
  "de Vries",
  "Jansen",
  "de la Cruz",
  "Van Dyke",
  "Nguyễn",
  "Tran",
  "Kim",
  "Park",
  "Choi",
  "Wang",
  "Li",
  "Zhang",
  "Chen",
  "Liu",
  "Tanaka",
  "Suzuki",
  "Sato",
  "Patel",
  "Sharma",
  "Singh",
  "Gupta",
  "Okafor",
  "Adeyemi",
  "Mensah",
  "Kowalski",
  "Nowak",
  "Wiśniewska",
  "Andersson",
  "Johansson",
  "Nielsen",
  "Hansen",
  "Øberg",
  "Rossi",
  "Bianchi",
];

/** "Seán", "O'Brien" → "sean", "obrien": accents folded, anything else that is not a letter or digit dropped. */
const emailPart = (name: string): string =>
  name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ø/g, "o")
    .replace(/[^a-z0-9-]/g, "");

function companyUsers(random: () => number): NewUser[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const taken = new Map<string, number>();
  return Array.from({ length: COMPANY_USER_COUNT }, () => {
    const [first, last] = [pick(FIRST_NAMES), pick(LAST_NAMES)];
    // The second "James Smith" gets james.smith2@, the third james.smith3@, in id order.
    const local = `${emailPart(first)}.${emailPart(last)}`;
    const seen = (taken.get(local) ?? 0) + 1;
    taken.set(local, seen);
    return { fullName: `${first} ${last}`, emailAddress: `${local}${seen === 1 ? "" : seen}@${COMPANY_EMAIL_DOMAIN}` };
  });
}

/** `count` distinct positions out of `0…total-1`, by a partial Fisher–Yates shuffle. */
function sample(random: () => number, total: number, count: number): number[] {
  const positions = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (total - i));
    [positions[i], positions[j]] = [positions[j], positions[i]];
  }
  return positions.slice(0, count);
}

export function companySeed(): AccountSeed {
  const random = mulberry32(COMPANY_SEED);
  const users = companyUsers(random);
  const groupTimes = COMPANY_GROUPS.map(() => GROUPS_FROM + Math.floor(random() * GROUPS_SPAN_MS));
  const workspaceGroups: SeedWorkspaceGroup[] = COMPANY_GROUPS.map((group, i) => ({
    name: group.name,
    createdAt: timestamp(new Date(groupTimes[i])),
  }));
  const memberships: Array<SeedMembership & { at: number }> = COMPANY_GROUPS.flatMap((group, workspaceGroup) =>
    sample(random, users.length, group.members).map((user) => {
      const at = groupTimes[workspaceGroup] + Math.floor(random() * (MEMBERSHIPS_UNTIL - groupTimes[workspaceGroup]));
      return { user, workspaceGroup, at, createdAt: timestamp(new Date(at)) };
    }),
  );
  // Ids in time order, as Kantata hands them out; the sort is stable, so equal instants keep generation order.
  memberships.sort((a, b) => a.at - b.at);
  return {
    users,
    workspaceGroups,
    memberships: memberships.map(({ user, workspaceGroup, createdAt }) => ({ user, workspaceGroup, createdAt })),
  };
}
