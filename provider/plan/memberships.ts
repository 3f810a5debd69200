/**
 * The one planner of who gains and who loses access. Given who is declared and who is a member, it says
 * which memberships a step adds, which it removes and which declared people it takes on as they are.
 * `check` asks it when a group comes under management (against a live read), `diff` and `update` ask it
 * about what state knows, `delete` asks `planDestroy`, and `kantata-access review` asks the same
 * functions about the same states in `pulumi preview --json`: what is reported is what is done.
 * Pure: no I/O, no clock, so its rules are property-tested on their own.
 */

export const MODES = ["additive", "authoritative"] as const;
export type MembershipMode = (typeof MODES)[number];

/** People by how they are named: the normalised email, or a user id as a decimal string → user id. */
export type MemberMap = Record<string, number>;

/** What one step does to one group's memberships. */
export interface MembershipPlan {
  /** People added: a membership is created for each. */
  gains: MemberMap;
  /** People removed: their membership is deleted. */
  losses: MemberMap;
  /** Declared people who are members already and were not managed by this resource: taken on as they are, no write. */
  unchanged: MemberMap;
  /** Keys of `unchanged` whom someone else made members (kept on destroy unless asked); the rest this token created in an interrupted run. */
  adopted: string[];
}

export const EMPTY_PLAN: MembershipPlan = Object.freeze({ gains: {}, losses: {}, unchanged: {}, adopted: [] });

export interface GroupPlanRequest {
  mode: MembershipMode;
  /** The declared people. */
  declared: MemberMap;
  /** The group's members: as just read, or as state last knew them. Keys name people who are not declared. */
  live: MemberMap;
  /** Users this resource managed until now; additive mode only ever removes these. */
  managed: Iterable<number>;
  /** Members whose membership this token created (an interrupted run): taken on as managed, not adopted. */
  createdByToken?: ReadonlySet<number>;
  /**
   * People the declaration names whose Kantata OX login is disabled (they left). Never added, even if
   * declared; in authoritative mode their memberships are removed like any undeclared member's, in
   * additive mode left as they are: offboarding is the HR system's job, and the file still names them.
   */
  inactive?: Iterable<number>;
}

const ids = (members: MemberMap): Set<number> => new Set(Object.values(members));

/** Entries of `members` whose user id passes `keep`, keys sorted so plans compare and print the same everywhere. */
function select(members: MemberMap, keep: (userId: number) => boolean): MemberMap {
  const selected: MemberMap = {};
  for (const key of Object.keys(members).sort()) if (keep(members[key])) selected[key] = members[key];
  return selected;
}

/**
 * Declared people who are not members gain access; declared members this resource did not manage yet
 * are taken on as they are; members who are not declared lose access — every one in authoritative
 * mode, only those this resource managed in additive mode. Inactive people count as not declared, and
 * additive mode never removes them.
 */
export function planGroupMembers(request: GroupPlanRequest): MembershipPlan {
  const live = ids(request.live);
  const inactive = new Set(request.inactive);
  const active = (userId: number) => !inactive.has(userId);
  const declared = new Set([...ids(request.declared)].filter(active));
  const managed = new Set(request.managed);
  const unchanged = select(request.declared, (userId) => declared.has(userId) && live.has(userId) && !managed.has(userId));
  const removable = request.mode === "authoritative" ? live : new Set([...managed].filter(active));
  return {
    gains: select(request.declared, (userId) => declared.has(userId) && !live.has(userId)),
    losses: select(request.live, (userId) => removable.has(userId) && !declared.has(userId)),
    unchanged,
    adopted: Object.keys(unchanged).filter((key) => !request.createdByToken?.has(unchanged[key])),
  };
}

export interface DestroyRequest {
  /** The managed members, as state last saw them present. */
  managed: MemberMap;
  /** Keys of managed members who were members before this resource took them on. */
  preexisting: readonly string[];
  removePreexisting: boolean;
  /** Users another resource of the same deployment declares in this group: handed over, never removed. */
  claimedElsewhere?: ReadonlySet<number>;
}

/** Destroying a resource removes the members it added — and pre-existing ones only when told to — except people another resource now declares. */
export function planDestroy(request: DestroyRequest): MembershipPlan {
  const kept = new Set(request.removePreexisting ? [] : request.preexisting);
  const losses: MemberMap = {};
  for (const key of Object.keys(request.managed).sort()) {
    const userId = request.managed[key];
    if (!kept.has(key) && !request.claimedElsewhere?.has(userId)) losses[key] = userId;
  }
  return { ...EMPTY_PLAN, losses };
}

export const isEmptyPlan = (plan: MembershipPlan): boolean =>
  Object.keys(plan.gains).length + Object.keys(plan.losses).length + Object.keys(plan.unchanged).length === 0;

const FIRST_NAMED = 5;

/** "a, b, c, d, e and 12 more": people in a bounded message. */
export function namePeople(keys: readonly string[], first = FIRST_NAMED): string {
  const named = keys.slice(0, first).join(", ");
  return keys.length > first ? `${named} and ${keys.length - first} more` : named;
}

/** More people than a line holds: `everyone` names them one per line. */
export const onePerLine = (keys: readonly string[]): boolean => keys.length > FIRST_NAMED;

/**
 * Every person, for messages that must not leave anyone out (who loses access): "a, b, c" up to five,
 * past five one per line ("\n  - a\n  - b…"), so a preview posted to a pull request names them all.
 */
export const everyone = (keys: readonly string[]): string => (onePerLine(keys) ? keys.map((key) => `\n  - ${key}`).join("") : keys.join(", "));

/**
 * Refuses a plan that removes more than `maxRemovals` members: a guard against a bad merge emptying a
 * group. The same words whether it fails the preview or the update.
 */
export function removalGuardError(groupName: string, plan: MembershipPlan, maxRemovals: number): string | undefined {
  const losses = Object.keys(plan.losses);
  if (losses.length <= maxRemovals) return undefined;
  const fix =
    `more than maxRemovals (${maxRemovals}). If that is intended, raise maxRemovals on the resource to at least ${losses.length} ` +
    `for this change; otherwise check the declared members (and the mode) for a mistake.`;
  const group = `workspace group "${groupName}"`;
  return onePerLine(losses)
    ? `This change would remove ${losses.length} members from ${group}, ${fix} It would remove:${everyone(losses)}`
    : `This change would remove ${losses.length} members from ${group} (${everyone(losses)}), ${fix}`;
}
