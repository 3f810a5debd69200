import { once } from "../../lib/async";
import type { KantataClient } from "../kantata/client";
import { MAX_FILTER_VALUES } from "../kantata/client";
import type { Membership, User, WorkspaceGroup } from "../kantata/types";
import { type GroupRef, foldName, normalizeEmail } from "./references";
import { LookAhead } from "./lookAhead";
import { closestMatch } from "./suggest";

const byAddress = (users: readonly User[]): Map<string, User> => new Map(users.map((user) => [normalizeEmail(user.email), user]));

export interface DirectoryOptions {
  /** How long an email look-up waits for others to share its request (see Coalescer). */
  idleMs?: number;
  maxWaitMs?: number;
  /** Single-address look-ups before the directory asks how big the account is (see findUserByEmail). */
  singleLookupsBeforeSizing?: number;
}

/**
 * Turns the names people use (email addresses, group names) into Kantata ids, for every resource of
 * the provider process. Email look-ups from all resources (and the addresses expected next) are
 * coalesced into requests of up to 200 addresses, each answered once per process; group look-ups are
 * cached per group. Callers only ask for what their state does not already know, so a no-op preview
 * asks nothing.
 */
export class Directory {
  private readonly emails: LookAhead<User>;
  /** Addresses not found among active users, asked again with disabled users shown. */
  private readonly disabledEmails: LookAhead<User>;
  private readonly groups = new Map<string, () => Promise<WorkspaceGroup | undefined>>();
  /** Every user by normalised email, from one read of the whole account. */
  private readonly byEmail = once(async () => byAddress(await this.client.listAllUsers()));
  /** Whether look-ups are answered from `byEmail` (see findUserByEmail). */
  private answerFromAccount = false;
  private singleLookups = 0;
  private readonly accountPages = once(async () => Math.ceil((await this.client.countUsers()) / MAX_FILTER_VALUES));
  private readonly singleLookupsBeforeSizing: number;
  private readonly everyGroup = once(() => this.client.listWorkspaceGroups());
  private readonly me = once(async () => (await this.client.currentUser()).id);

  constructor(
    private readonly client: KantataClient,
    options: DirectoryOptions = {},
  ) {
    this.singleLookupsBeforeSizing = options.singleLookupsBeforeSizing ?? 3;
    // One check submits all its addresses in the same tick, so a few ms gather them; a longer wait
    // would only delay the engine, which calls check for one resource at a time.
    const timing = { idleMs: options.idleMs ?? 5, maxWaitMs: options.maxWaitMs ?? 100, maxBatch: MAX_FILTER_VALUES };
    this.emails = new LookAhead(async (emails) => {
      if (emails.length === 1) this.singleLookups++;
      const found = byAddress(await client.findUsersByEmail(emails));
      // Who is not active may have left: the look-up of disabled users carries them all at once.
      this.disabledEmails.expect(emails.filter((email) => !found.has(email)));
      return found;
    }, timing);
    this.disabledEmails = new LookAhead(async (emails) => byAddress(await client.findUsersByEmail(emails, { includeDisabled: true })), timing);
  }

  /**
   * The user with this address (case-insensitive), or undefined if the account has none.
   *
   * The engine calls `check` one resource at a time, so the look-ups of many single-person resources
   * never arrive together. A TypeScript program's single memberships tell the directory what is coming
   * (`expectEmails`), so one GET answers up to 200 of them. Without that (a program in another language
   * declaring singles one by one) each costs a GET; reading the whole account costs ⌈users/200⌉ GETs
   * once. Not knowing how many more will come, the directory buys that read only when one-address
   * look-ups have cost as much as it would (the break-even rule), so it never spends more than about
   * twice the cheaper choice: ten new people in a 10,000-user account cost ten GETs, a thousand 51 + 1 + 51.
   */
  async findUserByEmail(email: string): Promise<User | undefined> {
    const wanted = normalizeEmail(email);
    if (!this.answerFromAccount && this.singleLookups >= this.singleLookupsBeforeSizing) {
      this.answerFromAccount = this.singleLookups >= (await this.accountPages());
    }
    // If reading the account fails, fall back to a look-up (the read is tried again next time).
    const known = this.answerFromAccount ? (await this.byEmail().catch(() => undefined))?.get(wanted) : undefined;
    // Not in the account as read: ask directly, in case the user was added since.
    return known ?? this.emails.find(wanted);
  }

  /**
   * The user with this address among the account's disabled users (people who left: Kantata hides
   * them unless asked with `show_disabled=true`), or undefined. Asked only about addresses
   * `findUserByEmail` did not find, 200 per GET, so a disabled person costs one request shared with
   * every other address of the same check that is not active, and a typo costs it before it fails.
   */
  findDisabledUserByEmail(email: string): Promise<User | undefined> {
    return this.disabledEmails.find(normalizeEmail(email));
  }

  /**
   * Addresses the program declares beside the one being checked (a single membership's look-ahead):
   * the next look-up that must make a request carries those not yet answered, up to 200 a GET. Expecting
   * makes no request itself, so a no-op preview still makes none.
   */
  expectEmails(emails: Iterable<string>): void {
    this.emails.expect([...emails].map(normalizeEmail));
  }

  /** An address state resolved already: no look-up needs to carry it. */
  knownEmail(email: string): void {
    this.emails.known(normalizeEmail(email));
  }

  /** The group with this name (exact, case-insensitive) or id, or undefined if the account has none. */
  findGroup(ref: GroupRef): Promise<WorkspaceGroup | undefined> {
    const cacheKey = ref.kind === "id" ? `#${ref.id}` : foldName(ref.name);
    let lookUp = this.groups.get(cacheKey);
    if (lookUp === undefined) this.groups.set(cacheKey, (lookUp = once(() => this.lookUpGroup(ref))));
    return lookUp();
  }

  /**
   * A group this process created, renamed or read otherwise: later look-ups by its id or its name are
   * answered from here, without a request. A former name then names no group.
   */
  remember(group: WorkspaceGroup, formerName?: string): void {
    const answer = async () => group;
    this.groups.set(`#${group.id}`, answer);
    if (formerName !== undefined) this.groups.set(foldName(formerName), async () => undefined);
    this.groups.set(foldName(group.name), answer);
  }

  /** A group this process deleted: look-ups by its id or name find nothing. */
  forget(group: Pick<WorkspaceGroup, "id" | "name">): void {
    const none = async () => undefined;
    this.groups.set(`#${group.id}`, none);
    this.groups.set(foldName(group.name), none);
  }

  /** The account's address closest to a mistyped one, if one is close. Reads every user once per process. */
  async suggestEmail(email: string): Promise<string | undefined> {
    return closestMatch(email, [...(await this.byEmail()).keys()]);
  }

  /** The account's group name closest to a mistyped one, if one is close. */
  async suggestGroupName(name: string): Promise<string | undefined> {
    return closestMatch(
      name,
      (await this.everyGroup()).map((group) => group.name),
    );
  }

  /**
   * The users of these memberships whom this token made members: their `creator_id` is the token's own
   * user (`GET /users/me`, asked once per process, and only when some membership names a creator). The
   * one take-over rule: such a membership for a declared pair that no other resource declares is an
   * interrupted run's create, so it is this stack's own — not adopted, and removed on destroy.
   */
  async createdByToken(memberships: readonly Membership[]): Promise<Set<number>> {
    if (!memberships.some((m) => m.creatorId !== undefined)) return new Set();
    const own = await this.me();
    return new Set(memberships.filter((m) => m.creatorId === own).map((m) => m.userId));
  }

  private lookUpGroup(ref: GroupRef): Promise<WorkspaceGroup | undefined> {
    return ref.kind === "id" ? this.client.findWorkspaceGroup(ref.id) : this.client.findWorkspaceGroupByName(ref.name);
  }
}
