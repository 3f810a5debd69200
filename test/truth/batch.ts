/**
 * Scenarios of the difference suite run as a batch: several independent changes made by one pull request and
 * its merge on one stack, so that they share its CLI runs (each run of the CLI costs seconds of CPU loading
 * the Pulumi SDK, and the suite is CPU-bound). Each scenario works on groups of its own: every group name it
 * uses gets its scenario's suffix ("Finance" → "Finance (s2)"), a copy of the account's group of that name
 * if there is one. Each scenario is then held to the truth on its own slice — the review's entries for its
 * groups equal the difference `up` made to them — and the batch as a whole to the truth on everything.
 */
import { parse, stringify } from "yaml";
import type { AccountName, Sandbox } from "../../sandbox";
import {
  type Declaration,
  type Outcome,
  type ReviewJson,
  type Snapshot,
  Stage,
  addByHand,
  expectTruth,
  outcomeOf,
  removeByHand,
  reviewThenApply,
  truthProgram,
} from "./harness";

/** One scenario: a starting point, changes by hand, the change under review, and what its slice must say. */
export interface Scenario {
  /** Made by hand before the starting point is applied. */
  first?: (groups: ScenarioGroups) => void;
  /** The starting point, applied together with the other scenarios' by one `up`. */
  start?: Declaration;
  /** Made by hand between the starting point and the change. */
  then?: (groups: ScenarioGroups) => void;
  /** The change: the scenario's whole declaration after it. */
  change: Declaration;
  /** What the scenario's slice of the outcome must show, beyond the truth every scenario is held to. */
  expect: (outcome: Outcome) => void;
}

/** A scenario's view of the account: groups by the names the scenario uses. */
export class ScenarioGroups {
  constructor(
    private readonly sandbox: Sandbox,
    readonly suffix: string,
  ) {}

  /** The scenario's own name for a group; an account group of that name is copied, with its members, on first use. */
  local(name: string): string {
    const local = `${name}${this.suffix}`;
    const { store } = this.sandbox;
    const original = store.findWorkspaceGroupByName(name);
    if (original && !store.findWorkspaceGroupByName(local)) {
      const copy = store.addWorkspaceGroup({ name: local });
      for (const m of store.listMemberships().filter((m) => m.workspaceGroupId === original.id))
        store.addMembership({ userId: m.userId, workspaceGroupId: copy.id });
    }
    return local;
  }

  /** Makes these people members of the scenario's group "by hand in the Kantata UI". */
  addByHand(name: string, emails: readonly string[]): void {
    addByHand(this.sandbox, this.local(name), emails);
  }

  /** Removes these people from the scenario's group "by hand". */
  removeByHand(name: string, emails: readonly string[]): void {
    removeByHand(this.sandbox, this.local(name), emails);
  }

  /** The declaration with its resources and groups made the scenario's own. */
  declaration(declaration: Declaration, key: string): Declaration {
    const { rules, ...rest } = declaration;
    if (rules !== undefined) throw new Error("a batched scenario cannot declare rules: they apply to the whole stack");
    const resource = (name: string) => `${key}-${name}`;
    const group = (name: string | number) => {
      if (typeof name !== "string") throw new Error(`a batched scenario names groups, not ids (${name})`);
      return this.local(name);
    };
    const programGroups = new Set((rest.workspaceGroups ?? []).map((w) => w.name));
    return {
      groups: rest.groups?.map((g) => ({ ...g, name: resource(g.name), group: group(g.group) })),
      memberships: rest.memberships?.map((m) => ({
        ...m,
        name: resource(m.name),
        group: typeof m.group === "string" && programGroups.has(m.group) ? resource(m.group) : group(m.group),
      })),
      workspaceGroups: rest.workspaceGroups?.map((w) => ({ ...w, name: resource(w.name), group: this.local(w.group) })),
      access: rest.access,
    };
  }

  /** The scenario's groups of an access file, under their own names (only `groups:` can be batched). */
  accessGroups(text: string): Record<string, Record<string, unknown>> {
    const { groups = {}, ...others } = (parse(text) ?? {}) as { groups?: Record<string, Record<string, unknown> | null> };
    if (Object.keys(others).length > 0) throw new Error(`a batched access file declares groups only, not ${Object.keys(others).join(", ")}`);
    return Object.fromEntries(
      Object.entries(groups).map(([name, entry]) => {
        const own = { ...entry };
        if (typeof own.renamedFrom === "string") own.renamedFrom = this.local(own.renamedFrom);
        return [this.local(name), own];
      }),
    );
  }

  /** The outcome as this scenario sees it: its groups only, under the names it uses. */
  slice(whole: Outcome): Outcome {
    const own = (name: string) => name.endsWith(this.suffix);
    const base = (name: string) => name.slice(0, -this.suffix.length);
    const review: ReviewJson = {
      ...whole.review,
      groups: whole.review.groups
        .filter((g) => own(g.group))
        .map((g) => ({
          ...g,
          group: base(g.group),
          ...(g.groupChange && {
            groupChange: { ...g.groupChange, ...(g.groupChange.renamedFrom && { renamedFrom: base(g.groupChange.renamedFrom) }) },
          }),
        })),
    };
    const restrict = (snapshot: Snapshot): Snapshot => {
      const names = new Map([...snapshot.names].filter(([, name]) => own(name)).map(([id, name]) => [id, base(name)]));
      const memberships = new Set([...snapshot.memberships].filter((m) => names.has(Number(m.slice(0, m.indexOf(":"))))));
      return { names, memberships };
    };
    return outcomeOf(review, whole.preview, whole.up, restrict(whole.before), restrict(whole.after));
  }
}

/** Merges the scenarios' declarations into the stack's one declaration. */
function merge(parts: Declaration[]): Declaration {
  const all = <T>(pick: (d: Declaration) => T[] | undefined) => parts.flatMap((d) => pick(d) ?? []);
  return { groups: all((d) => d.groups), memberships: all((d) => d.memberships), workspaceGroups: all((d) => d.workspaceGroups) };
}

/**
 * Declares the scenarios as one batch: a `describe` whose beforeAll runs them together on one stack (`flags`
 * go to the change's preview and up), with one test per scenario for its slice and one for the whole.
 */
export function describeBatch(
  title: string,
  scenarios: Record<string, Scenario>,
  options: { account?: AccountName; flags?: string[] } = {},
): void {
  describe(title, () => {
    let stage: Stage | undefined;
    let whole: Outcome;
    const views = new Map<string, ScenarioGroups>();

    beforeAll(async () => {
      const opened = await Stage.open(await truthProgram(), `batch-${title.replace(/\W+/g, "-").toLowerCase()}`, options.account);
      stage = opened;
      const entries = Object.entries(scenarios).map(([name, scenario], i) => {
        const key = `s${i + 1}`;
        const groups = new ScenarioGroups(opened.sandbox, ` (${key})`);
        views.set(name, groups);
        return { key, scenario, groups };
      });
      const declarationAt = (pick: (s: Scenario) => Declaration | undefined): Declaration => {
        const own = entries.map(({ key, scenario, groups }) => ({ groups, declaration: groups.declaration(pick(scenario) ?? {}, key) }));
        const files = own.filter(({ declaration }) => declaration.access !== undefined);
        const access = Object.fromEntries(files.flatMap(({ groups, declaration }) => Object.entries(groups.accessGroups(declaration.access!))));
        return { ...merge(own.map((o) => o.declaration)), ...(files.length > 0 && { access: stringify({ groups: access }) }) };
      };
      for (const { scenario, groups } of entries) scenario.first?.(groups);
      if (entries.some(({ scenario }) => scenario.start)) await opened.apply(declarationAt((s) => s.start));
      for (const { scenario, groups } of entries) scenario.then?.(groups);
      whole = await reviewThenApply(
        opened,
        declarationAt((s) => s.change),
        options.flags,
      );
    });

    afterAll(async () => {
      await stage?.stop();
    });

    it("the review names exactly the difference up made, across every scenario of the batch", () => {
      expectTruth(whole);
    });

    for (const [name, scenario] of Object.entries(scenarios))
      it(name, () => {
        const outcome = views.get(name)!.slice(whole);
        expectTruth(outcome);
        scenario.expect(outcome);
      });
  });
}
