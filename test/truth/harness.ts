/**
 * The difference suite: proof that the review tells the truth. Each scenario brings a stack to a
 * starting point through the real CLI on a directory project (the `npm pack` tarball installed), makes
 * one change, and then, as a pull request and its merge would:
 *   pulumi preview --json  →  kantata-access review --format json (the installed command)  →  pulumi up
 * The people the review names as gaining and losing access must be exactly the difference between the
 * sandbox's memberships after `up` and before it — nobody more, nobody less — and the groups it names
 * as created, renamed and deleted exactly the groups that appear, change name and disappear. A change
 * the preview refuses must be refused by `up` too, with nothing written.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { type AccountName, type Sandbox, startSandbox } from "../../sandbox";
import {
  type CliResult,
  type Program,
  type Project,
  assertNoChanges,
  createProgram,
  describeFailure,
  openProject,
} from "../../scripts/lib/pulumi";

const TOKEN = "truth-token-4d8c";
const run = promisify(execFile);

export interface MembersDeclaration {
  name: string;
  group: string | number;
  members: Array<string | number>;
  mode?: "additive" | "authoritative";
  maxRemovals?: number;
  removePreexistingOnDestroy?: boolean;
}

export interface MembershipDeclaration {
  name: string;
  user: string | number;
  group: string | number;
  adoptExisting?: boolean;
}

/** A WorkspaceGroup of the program, with the members' resource that takes it as its group when `members` is given. */
export interface WorkspaceGroupDeclaration {
  name: string;
  group: string;
  notes?: string;
  deleteWithMembers?: boolean;
  members?: Array<string | number>;
}

export interface Declaration {
  groups?: MembersDeclaration[];
  memberships?: MembershipDeclaration[];
  workspaceGroups?: WorkspaceGroupDeclaration[];
  /** An access.yaml's text, declared with declareAccess. */
  access?: string;
  /** Access rules (as a program passes them to AccessRules), depending on every resource above. */
  rules?: unknown[];
}

/** The review's JSON, as far as this suite reads it. */
export interface ReviewJson {
  schemaVersion: number;
  summary: { gains: number; losses: number; unchanged: number; groups: number; groupChanges: Record<string, number> };
  groups: Array<{
    group: string;
    gains: string[];
    losses: string[];
    unchanged: string[];
    warnings: string[];
    groupChange?: { event: string; renamedFrom?: string; fields: string[] };
  }>;
  rules: Array<{ status: string; description?: string; groups?: string[]; people?: number }>;
  expiring: Array<{ group: string; person: string; until: string }>;
  expired: Array<{ group: string; person: string; until: string }>;
  inactive: Array<{ group: string; person: string }>;
}

let program: Promise<Program> | undefined;

/** One installed program for the whole file: each scenario has its own stack and sandbox. */
export function truthProgram(): Promise<Program> {
  program ??= createProgram({ templateDir: path.join(__dirname, "program"), sdkVersion: "3.248.0", install: "shared" });
  return program;
}

export class Stage {
  private constructor(
    readonly sandbox: Sandbox,
    readonly project: Project,
    private readonly dir: string,
  ) {}

  static async open(program: Program, stackName: string, account: AccountName = "demo"): Promise<Stage> {
    const sandbox = await startSandbox({ token: TOKEN, account });
    const project = await openProject({ program, stackName, env: { KANTATA_BASE_URL: sandbox.url, KANTATA_API_TOKEN: TOKEN } });
    return new Stage(sandbox, project, program.dir);
  }

  declare(declaration: Declaration): void {
    const { access, ...rest } = declaration;
    if (access !== undefined) writeFileSync(path.join(this.dir, "access.yaml"), access);
    writeFileSync(
      path.join(this.dir, "declaration.json"),
      JSON.stringify({ ...rest, ...(access !== undefined && { accessFile: "access.yaml" }) }),
    );
  }

  /** The day the program (declareAccess) takes as today in every later CLI run: never the machine's clock. */
  today(day: string): void {
    this.project.env.KANTATA_ACCESS_TODAY = day;
  }

  /**
   * Applies a declaration: the scenario's starting point. That it converged is not previewed here: the
   * scenario's own preview would name any change it left, and reviewThenApply ends every scenario with
   * a preview that must plan nothing (a run of the CLI saved per scenario).
   */
  async apply(declaration: Declaration, flags: string[] = []): Promise<void> {
    this.declare(declaration);
    await this.project.pulumi(["up", "--yes", "--skip-preview", ...flags]);
  }

  /** Every membership as "Group: email": the sandbox's own contents, as evidence. */
  memberships(): Set<string> {
    const { store } = this.sandbox;
    return new Set(
      store
        .listMemberships()
        .map((m) => `${store.getWorkspaceGroup(m.workspaceGroupId)!.name}: ${store.getUser(m.userId)!.emailAddress.toLowerCase()}`),
    );
  }

  /** The account as evidence by group id, so a renamed group's members are the same people: its groups' names, and who is in each. */
  snapshot(): Snapshot {
    const { store } = this.sandbox;
    return {
      names: new Map(store.listWorkspaceGroups().map((g) => [g.id, g.name])),
      memberships: new Set(store.listMemberships().map((m) => `${m.workspaceGroupId}:${store.getUser(m.userId)!.emailAddress.toLowerCase()}`)),
    };
  }

  /** The installed `kantata-access review` on a preview's JSON. */
  async review(preview: CliResult, format = "json"): Promise<string> {
    const file = path.join(this.dir, `preview-${this.project.stackName}.json`);
    writeFileSync(file, preview.stdout);
    const { stdout } = await run(path.join(this.dir, "node_modules", ".bin", "kantata-access"), ["review", "--format", format, file]);
    return stdout;
  }

  /** Ends the stage; fails if a process of the project outlived its run (Project.dispose() checks). */
  async stop(): Promise<void> {
    try {
      await this.project.dispose();
    } finally {
      await this.sandbox.stop();
    }
  }
}

/**
 * A stage per test: `open(stack)` starts the test's own sandbox and stack on the suite's program, and
 * each is stopped after its test (failing it if a process of the project outlived its run).
 */
export function stagePerTest(): (stackName: string, account?: AccountName) => Promise<Stage> {
  let stage: Stage | undefined;
  afterEach(async () => {
    const ending = stage;
    stage = undefined;
    await ending?.stop();
  });
  return async (stackName, account) => (stage = await Stage.open(await truthProgram(), stackName, account));
}

export interface Snapshot {
  /** Group id → name. */
  names: Map<number, string>;
  /** "groupId:email" for every membership. */
  memberships: Set<string>;
}

/** What happened to groups themselves: names created and deleted, and renames as "Old → New". */
export interface GroupEvents {
  created: string[];
  deleted: string[];
  renamed: string[];
}

export interface Outcome {
  review: ReviewJson;
  /** "Group: person" pairs the review names. */
  named: { gains: string[]; losses: string[]; unchanged: string[] };
  /** "Group: email" pairs `up` added and removed, by the sandbox's contents (a group by its name after `up`, or before, if it was deleted). */
  actual: { gains: string[]; losses: string[] };
  /** The groups the review names as created, deleted and renamed. */
  namedGroups: GroupEvents;
  /** The groups that appeared, disappeared and changed name in the sandbox. */
  actualGroups: GroupEvents;
  preview: CliResult;
  up: CliResult;
  /** The account before and after `up`, as evidence. */
  before: Snapshot;
  after: Snapshot;
}

const pairs = (review: ReviewJson, pick: "gains" | "losses" | "unchanged") =>
  review.groups.flatMap((g) => g[pick].map((p) => `${g.group}: ${p}`)).sort();

function namedGroups(review: ReviewJson): GroupEvents {
  const withEvent = (event: string) => review.groups.filter((g) => g.groupChange?.event === event);
  return {
    created: withEvent("created")
      .map((g) => g.group)
      .sort(),
    deleted: withEvent("deleted")
      .map((g) => g.group)
      .sort(),
    renamed: withEvent("renamed")
      .map((g) => `${g.groupChange!.renamedFrom} → ${g.group}`)
      .sort(),
  };
}

/** The difference `up` made, people by group id and named by the group's name (after `up`, or before it for a deleted group). */
function difference(before: Snapshot, after: Snapshot): { actual: Outcome["actual"]; actualGroups: GroupEvents } {
  const name = (key: string) => {
    const [id, email] = [Number(key.slice(0, key.indexOf(":"))), key.slice(key.indexOf(":") + 1)];
    return `${after.names.get(id) ?? before.names.get(id)}: ${email}`;
  };
  const ids = [...new Set([...before.names.keys(), ...after.names.keys()])];
  return {
    actual: {
      gains: [...after.memberships]
        .filter((m) => !before.memberships.has(m))
        .map(name)
        .sort(),
      losses: [...before.memberships]
        .filter((m) => !after.memberships.has(m))
        .map(name)
        .sort(),
    },
    actualGroups: {
      created: ids
        .filter((id) => !before.names.has(id))
        .map((id) => after.names.get(id)!)
        .sort(),
      deleted: ids
        .filter((id) => !after.names.has(id))
        .map((id) => before.names.get(id)!)
        .sort(),
      renamed: ids
        .filter((id) => before.names.has(id) && after.names.has(id) && before.names.get(id) !== after.names.get(id))
        .map((id) => `${before.names.get(id)} → ${after.names.get(id)}`)
        .sort(),
    },
  };
}

/**
 * The change as a pull request and its merge make it: preview (JSON) → review → up, with the sandbox's
 * memberships read before and after. `flags` go to both preview and up (e.g. `--refresh`).
 */
export async function reviewThenApply(stage: Stage, change: Declaration, flags: string[] = []): Promise<Outcome> {
  stage.declare(change);
  const preview = await stage.project.pulumi(["preview", "--json", ...flags]);
  const review = JSON.parse(await stage.review(preview)) as ReviewJson;
  const before = stage.snapshot();
  const up = await stage.project.pulumi(["up", "--yes", "--skip-preview", ...flags]);
  const after = stage.snapshot();
  assertNoChanges(await stage.project.pulumi(["preview", "--json"]));
  return outcomeOf(review, preview, up, before, after);
}

export function outcomeOf(review: ReviewJson, preview: CliResult, up: CliResult, before: Snapshot, after: Snapshot): Outcome {
  return {
    review,
    preview,
    up,
    before,
    after,
    named: { gains: pairs(review, "gains"), losses: pairs(review, "losses"), unchanged: pairs(review, "unchanged") },
    namedGroups: namedGroups(review),
    ...difference(before, after),
  };
}

/** The review names exactly who gains and who loses access, and which groups appear, change name or go: the difference `up` made. */
export function expectTruth(outcome: Outcome): void {
  expect(outcome.namedGroups).toEqual(outcome.actualGroups);
  expect(outcome.named.gains).toEqual(outcome.actual.gains);
  expect(outcome.named.losses).toEqual(outcome.actual.losses);
}

/** The Finance group's members' resource, as most scenarios declare it. */
export const financeGroup = (members: string[], extra: Partial<MembersDeclaration> = {}): Declaration => ({
  groups: [{ name: "finance", group: "Finance", members, ...extra }],
});

/**
 * A change the preview must refuse; `pulumi up` (which previews first, as the example workflow runs it)
 * must refuse it too and write nothing. Returns the preview's output.
 */
export async function refused(stage: Stage, change: Declaration): Promise<string> {
  stage.declare(change);
  const preview = await stage.project.pulumi(["preview", "--diff"], { check: false });
  if (preview.code === 0) throw new Error(`the preview passed:\n${describeFailure(preview)}`);
  const before = stage.memberships();
  const groups = [...stage.snapshot().names.values()].sort();
  stage.sandbox.counters.reset();
  const up = await stage.project.pulumi(["up", "--yes"], { check: false });
  if (up.code === 0) throw new Error(`up passed:\n${describeFailure(up)}`);
  const { byMethod } = stage.sandbox.counters.snapshot();
  expect({
    writes: (byMethod.POST ?? 0) + (byMethod.PUT ?? 0) + (byMethod.DELETE ?? 0),
    unchanged: [...stage.memberships()].sort(),
    groups: [...stage.snapshot().names.values()].sort(),
  }).toEqual({ writes: 0, unchanged: [...before].sort(), groups });
  return `${preview.stdout}${preview.stderr}`;
}

/** Members of a seeded group, by email, sorted. */
export function membersOf(sandbox: Sandbox, groupName: string): string[] {
  const group = sandbox.store.findWorkspaceGroupByName(groupName)!;
  return sandbox.store
    .listMemberships()
    .filter((m) => m.workspaceGroupId === group.id)
    .map((m) => sandbox.store.getUser(m.userId)!.emailAddress.toLowerCase())
    .sort();
}

/** Makes these people members "by hand in the Kantata UI" (not through the API). */
export function addByHand(sandbox: Sandbox, groupName: string, emails: readonly string[]): void {
  const group = sandbox.store.findWorkspaceGroupByName(groupName)!;
  for (const email of emails) sandbox.store.addMembership({ userId: sandbox.store.findUserByEmail(email)!.id, workspaceGroupId: group.id });
}

/** Removes these people "by hand". */
export function removeByHand(sandbox: Sandbox, groupName: string, emails: readonly string[]): void {
  const group = sandbox.store.findWorkspaceGroupByName(groupName)!;
  for (const email of emails)
    sandbox.store.removeMembership(sandbox.store.findMembership(sandbox.store.findUserByEmail(email)!.id, group.id)!.id);
}

/** The demo account's people by first name. */
export const P = {
  ada: "ada.lovelace@example.com",
  alan: "alan.turing@example.com",
  grace: "grace.hopper@example.com",
  edsger: "edsger.dijkstra@example.com",
  barbara: "barbara.liskov@example.com",
  donald: "donald.knuth@example.com",
  margaret: "margaret.hamilton@example.com",
  ken: "ken.thompson@example.com",
  tony: "tony.hoare@example.com",
  leslie: "leslie.lamport@example.com",
} as const;
