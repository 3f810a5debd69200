import type { KantataClient } from "../kantata/client";
import { Coalescer } from "../kantata/coalescer";
import { MAX_FILTER_VALUES } from "../kantata/client";
import type { User, WorkspaceGroup } from "../kantata/types";
import { type GroupRef, foldName, normalizeEmail } from "./references";
import { closestMatch } from "./suggest";

export interface DirectoryOptions {
  /** How long an email look-up waits for others to share its request (see Coalescer). */
  idleMs?: number;
  maxWaitMs?: number;
  /**
   * After this many look-ups of a single address in one process, read every user of the account once
   * and answer from that. The engine calls `check` one resource at a time, so the look-ups of many
   * single-person resources never arrive together; past a few, one read of the account is cheaper. A
   * resource with many new people looks them up 200 at a time and never triggers this.
   */
  singleLookupsBeforeDirectoryRead?: number;
}

/**
 * Turns the names people use (email addresses, group names) into Kantata ids, for every resource of
 * the provider process. Email look-ups from all resources are coalesced into requests of up to 200
 * addresses; group look-ups are cached per group. Callers only ask for what their state does not
 * already know, so a no-op preview asks nothing.
 */
export class Directory {
  private readonly emails: Coalescer<string, User | undefined>;
  private readonly groups = new Map<string, Promise<WorkspaceGroup | undefined>>();
  private everyone: Promise<User[]> | undefined;
  /** Every user by normalised email, once the whole account has been read. */
  private byEmail: Promise<Map<string, User>> | undefined;
  private singleLookups = 0;
  private readonly singleLookupsBeforeDirectoryRead: number;
  private everyGroup: Promise<WorkspaceGroup[]> | undefined;
  private me: Promise<number> | undefined;

  constructor(
    private readonly client: KantataClient,
    options: DirectoryOptions = {},
  ) {
    this.singleLookupsBeforeDirectoryRead = options.singleLookupsBeforeDirectoryRead ?? 3;
    this.emails = new Coalescer(
      async (batch) => {
        if (batch.length === 1) this.singleLookups++;
        const found = new Map((await client.findUsersByEmail(batch)).map((user) => [normalizeEmail(user.email), user]));
        return batch.map((email) => ({ value: found.get(email) }));
      },
      // One check submits all its addresses in the same tick, so a few ms gather them; a longer wait
      // would only delay the engine, which calls check for one resource at a time.
      { idleMs: options.idleMs ?? 5, maxWaitMs: options.maxWaitMs ?? 100, maxBatch: MAX_FILTER_VALUES },
    );
  }

  /** The user with this address (case-insensitive), or undefined if the account has none. */
  async findUserByEmail(email: string): Promise<User | undefined> {
    const wanted = normalizeEmail(email);
    if (this.byEmail === undefined && this.singleLookups >= this.singleLookupsBeforeDirectoryRead) {
      this.everyone ??= this.client.listAllUsers();
      this.byEmail = this.everyone.then((users) => new Map(users.map((user) => [normalizeEmail(user.email), user])));
      this.byEmail.catch(() => (this.byEmail = undefined)); // fall back to look-ups if the read fails
    }
    const known = this.byEmail && (await this.byEmail.catch(() => undefined))?.get(wanted);
    // Not in the account as read: ask directly, in case the user was added since.
    return known ?? this.emails.submit(wanted);
  }

  /** The group with this name (exact, case-insensitive) or id, or undefined if the account has none. */
  findGroup(ref: GroupRef): Promise<WorkspaceGroup | undefined> {
    const cacheKey = ref.kind === "id" ? `#${ref.id}` : foldName(ref.name);
    let found = this.groups.get(cacheKey);
    if (found === undefined) {
      found = this.lookUpGroup(ref);
      this.groups.set(cacheKey, found);
      found.catch(() => this.groups.delete(cacheKey)); // a failed look-up is asked again next time
    }
    return found;
  }

  /** The account's address closest to a mistyped one, if one is close. Reads every user once per process. */
  async suggestEmail(email: string): Promise<string | undefined> {
    this.everyone ??= this.client.listAllUsers();
    return closestMatch(email, (await this.everyone).map((user) => normalizeEmail(user.email)));
  }

  /** The account's group name closest to a mistyped one, if one is close. */
  async suggestGroupName(name: string): Promise<string | undefined> {
    this.everyGroup ??= this.client.listWorkspaceGroups();
    return closestMatch(name, (await this.everyGroup).map((group) => group.name));
  }

  /** The token's own user id. Memberships carrying it as `creator_id` were created through this token. */
  currentUserId(): Promise<number> {
    if (this.me === undefined) {
      const asked = this.client.currentUser().then((user) => user.id);
      asked.catch(() => (this.me = undefined)); // asked again next time
      this.me = asked;
    }
    return this.me;
  }

  private async lookUpGroup(ref: GroupRef): Promise<WorkspaceGroup | undefined> {
    if (ref.kind === "id") return (await this.client.listWorkspaceGroups({ only: [ref.id] }))[0];
    const wanted = foldName(ref.name);
    // `matching` is "similar to": compare exactly, ignoring case, as Kantata does for uniqueness.
    return (await this.client.listWorkspaceGroups({ matching: ref.name })).find((group) => foldName(group.name) === wanted);
  }
}
