import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { type PreviewJson, type PreviewStep, parsePreviewJson } from "../../access/previewJson";
import { type ReviewFormat, renderReview, visible } from "../../access/render";
import { reviewPreview } from "../../access/review";
import { main } from "../../cli/kantataAccess";
import { isKantataError } from "../../lib/errors";
import { UNKNOWN } from "../../provider/runtime/inputs";

/**
 * The review under generated previews: steps of every kind and op with names that look like markup,
 * the real engine's preview with parts changed or removed, and text that is not a preview at all.
 * It never crashes (input it cannot read is one clear error of the package, never a TypeError), and
 * no name reaches a reader as live markup: in Markdown every name sits inside a code span, and no
 * format lets a control or direction character through.
 */

/** In every generated name, so that a name showing outside a code span is found. */
const MARK = "¤";

/** Pieces that mean something to Markdown, HTML, chat tools or terminals. */
const MARKUP = [
  "<img src=x onerror=alert(1)>",
  "<script>",
  "</details>",
  "<!--",
  "@channel",
  "@here",
  "<!here>",
  "[link](https://evil.example)",
  "![x](https://evil.example/x.png)",
  "**bold**",
  "_em_",
  "~~s~~",
  "`",
  "``",
  "```",
  "\\",
  "# ",
  "> ",
  "- ",
  "1. ",
  "|",
  "---",
  "&amp;",
  "&#60;",
  "\n",
  "\r\n",
  "\t",
  "\u0000",
  "\u001b[31m",
  "\u0085",
  "\u200e",
  "\u202e",
  "\u2066",
  "\u2028",
  "\ufeff",
  "😀",
  "漢",
];
const nameChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(..."abcxyzABC019 .-_@+:/") },
  { weight: 2, arbitrary: fc.constantFrom(...MARKUP) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 2 }) },
);
const name = fc.string({ unit: nameChar, maxLength: 5 }).map((inside) => `${MARK}${inside}${MARK}`);
/** A person as state keys them: an address (any text here) or a user id. */
const person = fc.oneof({ weight: 3, arbitrary: name }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 9999 }).map(String) });
const userId = fc.integer({ min: 1, max: 50 });
const groupId = fc.integer({ min: 1, max: 6 });
const day = fc.constantFrom("2026-01-01", "2026-12-31", "2027-02-28", "2030-06-30");
const people = fc.dictionary(person, userId, { maxKeys: 4 });
const maybeUnknown = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: fc.constant(UNKNOWN) });

const membersPlan = fc.record({ gains: people, losses: people, unchanged: people, adopted: fc.array(person, { maxLength: 2 }) });
const groupMembersInputs = fc.record(
  {
    __kind: fc.constant("WorkspaceGroupMembers"),
    group: maybeUnknown(name),
    groupId: maybeUnknown(groupId),
    members: maybeUnknown(people),
    mode: maybeUnknown(fc.constantFrom("additive", "authoritative")),
    maxRemovals: fc.nat(12),
    removePreexistingOnDestroy: fc.boolean(),
    __plan: membersPlan,
    expires: fc.dictionary(person, day, { maxKeys: 2 }),
    expired: fc.dictionary(person, day, { maxKeys: 2 }),
    inactive: people,
    __today: day,
  },
  { requiredKeys: ["__kind", "group", "groupId", "members", "mode"] },
);
const groupMembersOutputs = groupMembersInputs.chain((inputs) =>
  fc.record({ preexisting: fc.array(person, { maxLength: 2 }), undeclared: people }).map((extra) => ({ ...inputs, ...extra })),
);
const workspaceGroup = fc.record({ id: groupId, name, company: fc.boolean(), notes: name });
const groupInputs = fc.record(
  {
    __kind: fc.constant("WorkspaceGroup"),
    name: maybeUnknown(name),
    notes: name,
    adoptExisting: fc.boolean(),
    deleteWithMembers: fc.boolean(),
    deleted: fc.boolean(),
    __plan: fc.oneof(
      fc.record({ action: fc.constantFrom("create", "none") }),
      fc.record({ action: fc.constant("adopt"), group: workspaceGroup }),
      fc.record({ action: fc.constant("delete"), groupId, losses: people }),
    ),
  },
  { requiredKeys: ["__kind", "name"] },
);
const groupOutputs = groupInputs.chain((inputs) => fc.record({ groupId, adopted: fc.boolean() }).map((extra) => ({ ...inputs, ...extra })));
const membershipInputs = fc.record(
  {
    __kind: fc.constant("UserGroupMembership"),
    user: maybeUnknown(person),
    userId: maybeUnknown(userId),
    group: maybeUnknown(name),
    groupId: maybeUnknown(groupId),
    adoptExisting: fc.boolean(),
    __plan: membersPlan,
  },
  { requiredKeys: ["__kind", "user", "userId", "group", "groupId"] },
);
const membershipOutputs = membershipInputs.chain((inputs) => fc.record({ membershipId: fc.nat(999) }).map((extra) => ({ ...inputs, ...extra })));
const rule = fc.oneof(
  fc.record({ separate: fc.uniqueArray(name, { minLength: 2, maxLength: 3 }), reason: name }, { requiredKeys: ["separate"] }),
  fc.record(
    { allowedDomains: fc.constant(["example.com"]), groups: fc.array(name, { minLength: 1, maxLength: 2 }) },
    { requiredKeys: ["allowedDomains"] },
  ),
  fc.record({ maxMembers: fc.record({ group: name, max: fc.nat(20) }), reason: name }, { requiredKeys: ["maxMembers"] }),
);
const outcome = fc.record({ groups: fc.array(name, { maxLength: 2 }), people: fc.nat(30) });
const rulesInputs = fc.record(
  {
    __kind: fc.constant("AccessRules"),
    rules: maybeUnknown(fc.array(rule, { maxLength: 3 })),
    __evaluation: fc.array(outcome, { maxLength: 3 }),
  },
  { requiredKeys: ["__kind", "rules"] },
);
const rulesOutputs = fc.record({
  __kind: fc.constant("AccessRules"),
  rules: fc.array(rule, { maxLength: 3 }),
  evaluation: fc.array(outcome, { maxLength: 3 }),
});

const KINDS = {
  WorkspaceGroupMembers: [groupMembersInputs, groupMembersOutputs],
  WorkspaceGroup: [groupInputs, groupOutputs],
  UserGroupMembership: [membershipInputs, membershipOutputs],
  AccessRules: [rulesInputs, rulesOutputs],
} as const;
const OPS = ["create", "update", "delete", "replace", "same", "create-replacement", "delete-replaced", "read", "refresh", "import", "discard"];

const step: fc.Arbitrary<PreviewStep> = fc
  .record({ kind: fc.constantFrom(...(Object.keys(KINDS) as Array<keyof typeof KINDS>)), resource: name, op: fc.constantFrom(...OPS) })
  .chain(({ kind, resource, op }) =>
    fc
      .record(
        {
          oldState: fc.record(
            { id: fc.nat(999).map(String), outputs: KINDS[kind][1], inputs: KINDS[kind][0], retainOnDelete: fc.boolean() },
            { requiredKeys: ["outputs"] },
          ),
          newState: fc.record({ inputs: KINDS[kind][0] }),
        },
        { requiredKeys: [] },
      )
      .map((states): PreviewStep => ({ op, urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:${kind}::${resource}`, ...states })),
  );

// --- Damage: parts of a preview changed or removed ---------------------------------------------------------

const wrong = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom("", "abc", -1, 0, 1.5, true, [], {}, [1], { a: 1 }, UNKNOWN, "2026-13-45", "<b>x</b>") },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
/**
 * Where to damage: a walk down from the top, one child per level picked by a fraction (spread evenly:
 * fast-check's doubles crowd 0 and 1), as deep as the walk is long. Short walks are as likely as long
 * ones, so a whole step is damaged as often as a field deep inside one.
 */
const walk = fc.array(
  fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((n) => n / 10_000),
  { minLength: 1, maxLength: 7 },
);
const damage = fc.record({ walk, to: fc.option(wrong, { nil: undefined }) });

const isNode = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** A copy of the value with the place the walk ends at replaced by `to`, or removed. */
function damaged(value: unknown, { walk: steps, to }: { walk: number[]; to: unknown }): unknown {
  const copy: unknown = structuredClone(value);
  if (!isNode(copy)) return to;
  let parent = copy;
  for (const [depth, at] of steps.entries()) {
    const keys = Object.keys(parent);
    if (keys.length === 0) return copy;
    const key = keys[Math.floor(at * keys.length)];
    const child = parent[key];
    if (depth < steps.length - 1 && isNode(child) && Object.keys(child).length > 0) {
      parent = child;
      continue;
    }
    if (to !== undefined) parent[key] = to;
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return copy;
  }
  return copy;
}

/** The parts of a step the review reads, each as a path inside the step. */
const STEP_PARTS = [["op"], ["urn"], ["oldState"], ["newState"], ["oldState", "outputs"], ["oldState", "inputs"], ["newState", "inputs"]];
const partDamage = fc.record({ step: walk.map(([at]) => at), part: fc.constantFrom(...STEP_PARTS), to: fc.option(wrong, { nil: undefined }) });

/** A copy of the steps with one part of one step replaced by `to`, or removed. */
function damagedPart(steps: PreviewStep[], { step, part, to }: { step: number; part: string[]; to: unknown }): PreviewStep[] {
  const copy = structuredClone(steps);
  let parent: unknown = copy[Math.floor(step * copy.length)];
  for (const key of part.slice(0, -1)) parent = isNode(parent) ? parent[key] : undefined;
  if (!isNode(parent)) return copy;
  const last = part[part.length - 1];
  if (to === undefined) delete parent[last];
  else parent[last] = to;
  return copy;
}

const FIXTURE: unknown = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "preview-takeover-update-replace.json"), "utf8"));

/** Previews: generated steps (some damaged anywhere, some in the parts the review reads), the real engine's preview damaged, and JSON of any shape. */
const previewText = fc.oneof(
  { weight: 4, arbitrary: fc.array(step, { maxLength: 6 }).map((steps) => JSON.stringify({ steps })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.array(step, { minLength: 1, maxLength: 4 }), fc.array(damage, { minLength: 1, maxLength: 3 }))
      .map(([steps, changes]) => JSON.stringify(changes.reduce(damaged, { steps }))),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(step, { minLength: 1, maxLength: 4 }), fc.array(partDamage, { minLength: 1, maxLength: 2 }))
      .map(([steps, changes]) => JSON.stringify({ steps: changes.reduce(damagedPart, steps) })),
  },
  { weight: 2, arbitrary: fc.array(damage, { minLength: 1, maxLength: 4 }).map((changes) => JSON.stringify(changes.reduce(damaged, FIXTURE))) },
  { weight: 1, arbitrary: fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 40 })) },
);

// --- What a reader may see ------------------------------------------------------------------------------

/** Markdown with every inline code span (CommonMark: a backtick run up to the next run of the same length, on one line) taken out. */
function outsideCodeSpans(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) => {
      let rest = "";
      let i = 0;
      while (i < line.length) {
        const open = /`+/.exec(line.slice(i));
        if (open === null) return rest + line.slice(i);
        const start = i + open.index;
        const fence = open[0];
        rest += line.slice(i, start);
        const close = new RegExp(`(?<!\`)${fence}(?!\`)`).exec(line.slice(start + fence.length));
        if (close === null) {
          rest += fence; // no closing run: the backticks are literal text
          i = start + fence.length;
        } else {
          i = start + fence.length + close.index + fence.length;
        }
      }
      return rest;
    })
    .join("\n");
}

/** C0/C1 controls but the line break, and the bidirectional marks: what `visible` spells out, as code points found in a text. */
const invisibleIn = (text: string): string[] =>
  [...text]
    .map((char) => char.codePointAt(0) ?? 0)
    .filter(
      (code) =>
        (code <= 0x1f && code !== 0x0a) ||
        (code >= 0x7f && code <= 0x9f) ||
        code === 0x200e ||
        code === 0x200f ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069),
    )
    .map((code) => `U+${code.toString(16).padStart(4, "0")}`);
/** The review's own tags: its long lists fold into <details>. */
const OWN_TAGS = /<\/?details>|<\/?summary>/g;

function expectNoLiveMarkup(markdown: string): void {
  const outside = outsideCodeSpans(markdown);
  expect(outside).not.toContain(MARK);
  expect(outside.replace(OWN_TAGS, "")).not.toMatch(/[<@]/);
  expect(invisibleIn(markdown)).toEqual([]);
}

/** Reviews a preview's text as `kantata-access review` does, in every format; an error must be the package's own. */
function reviewAll(text: string, source = "preview.json"): { rendered: Record<ReviewFormat, string> } | { error: Error } {
  try {
    const review = reviewPreview(parsePreviewJson(text, source));
    return { rendered: { markdown: renderReview(review, "markdown"), text: renderReview(review, "text"), json: renderReview(review, "json") } };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // parsePreviewJson's own words for text that is not a preview, or an error of the package's hierarchy.
    const clear = isKantataError(error) || [" is not JSON", " does not look like"].some((words) => error.message.startsWith(source + words));
    if (!clear) throw error;
    return { error };
  }
}

describe("random preview JSON into the review", () => {
  it("never crashes, and no name is live markup in Markdown or reaches a terminal as a control character", () => {
    let reviewed = 0;
    fc.assert(
      fc.property(previewText, (text) => {
        const result = reviewAll(text);
        if ("error" in result) {
          expect(result.error.message).not.toMatch(/\n\s+at /);
          return;
        }
        reviewed++;
        const { markdown, text: plain, json } = result.rendered;
        expectNoLiveMarkup(markdown);
        expect(invisibleIn(plain)).toEqual([]);
        expect(JSON.parse(json)).toMatchObject({ schemaVersion: 1 });
      }),
      { seed: 24_20, numRuns: 200 },
    );
    expect(reviewed).toBeGreaterThan(50);
  });

  it("names are code spans in Markdown whatever they hold, and read back as themselves", () => {
    fc.assert(
      fc.property(fc.string({ unit: nameChar, maxLength: 12 }), (group) => {
        const preview: PreviewJson = {
          steps: [
            {
              op: "create",
              urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/kantata:WorkspaceGroupMembers::g",
              newState: {
                inputs: {
                  __kind: "WorkspaceGroupMembers",
                  group: `${MARK}${group}`,
                  groupId: 1,
                  members: {},
                  mode: "additive",
                  __plan: { gains: { [`${MARK}${group}`]: 7 }, losses: {}, unchanged: {}, adopted: [] },
                },
              },
            },
          ],
        };
        const markdown = renderReview(reviewPreview(preview), "markdown");
        expectNoLiveMarkup(markdown);
        // The group's heading is one code span whose content (CommonMark: one padding space each side stripped) is the name, made visible.
        const heading = markdown
          .split("\n")
          .find((line) => line.startsWith("### "))!
          .slice(4);
        const [fence] = /^`+/.exec(heading)!;
        expect(heading.endsWith(fence)).toBe(true);
        const content = heading.slice(fence.length, heading.length - fence.length);
        const padded = content.length > 1 && content.startsWith(" ") && content.endsWith(" ") && content.trim() !== "";
        expect(padded ? content.slice(1, -1) : content).toBe(visible(`${MARK}${group}`));
      }),
      { seed: 24_21, numRuns: 400 },
    );
  });
});

describe("kantata-access review on generated previews", () => {
  let dir: string;
  const written = { stdout: "", stderr: "" };
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "kantata-review-"));
    jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((written.stdout += String(chunk)), true));
    jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((written.stderr += String(chunk)), true));
  });
  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the review, or one line saying what is wrong with the input, exit code 1", async () => {
    const file = path.join(dir, "preview.json");
    await fc.assert(
      fc.asyncProperty(previewText, fc.constantFrom("markdown" as const, "text" as const, "json" as const), async (text, format) => {
        writeFileSync(file, text);
        written.stdout = written.stderr = "";
        const code = await main(["review", file, "--format", format]);
        const result = reviewAll(text, file);
        if ("error" in result) {
          expect({ code, stdout: written.stdout }).toEqual({ code: 1, stdout: "" });
          expect(written.stderr).toBe(`kantata-access: ${result.error.message}\n`);
          expect(written.stderr).not.toMatch(/TypeError|\n\s+at /);
        } else {
          expect({ code, stderr: written.stderr }).toEqual({ code: 0, stderr: "" });
          expect(written.stdout).toBe(result.rendered[format]);
        }
      }),
      { seed: 24_22, numRuns: 40 },
    );
  });
});
