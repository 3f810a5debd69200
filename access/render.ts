import { EXPIRY_WARNING_DAYS } from "../lib/calendar";
import { describeRule } from "../provider/plan/rules";
import type { EndDateNote, RuleReview } from "./guardrails";
import {
  type AccessReview,
  GROUP_EVENTS,
  type GroupChanges,
  type GroupEvent,
  type Message,
  describeGroupChange,
  groupChangeTotals,
  totals,
} from "./review";

export const REVIEW_FORMATS = ["markdown", "text", "json"] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export const NO_CHANGES = "No Kantata OX access changes.";

/** The version of `--format json`'s schema (see docs/review.md, "The review as JSON"); raised on any incompatible change. */
export const REVIEW_SCHEMA_VERSION = 1;

/** Lists longer than this fold into a <details> block in Markdown, so a big onboarding stays readable. */
const FOLD_AFTER = 25;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const EVENT_WORDS: Record<GroupEvent, string> = {
  created: "created",
  adopted: "taken under management",
  renamed: "renamed",
  updated: "updated",
  deleted: "deleted",
  released: "released from code",
};

/** "1 group is created, 2 groups are renamed. ", or nothing when no group itself changes. */
function groupsHeadline(review: AccessReview): string {
  const events = groupChangeTotals(review);
  const parts = GROUP_EVENTS.filter((event) => events[event] > 0).map(
    (event) => `${plural(events[event], "group is", "groups are")} ${EVENT_WORDS[event]}`,
  );
  return parts.length > 0 ? `${parts.join(", ")}. ` : "";
}

function headline(review: AccessReview): string {
  if (review.groups.length === 0) return "No one gains or loses access.";
  const t = totals(review);
  const parts = [`${plural(t.gains, "person gains", "people gain")} access`, `${plural(t.losses, "person loses", "people lose")} access`];
  if (t.unchanged > 0) parts.push(`${plural(t.unchanged, "member is", "members are")} taken under management as they are`);
  return `${groupsHeadline(review)}${parts.join(", ")}, in ${plural(t.groups, "group", "groups")}.`;
}

const SECTIONS: Array<{ pick: (g: GroupChanges) => string[]; title: string; sign: string }> = [
  { pick: (g) => g.gains, title: "Gains access", sign: "+" },
  { pick: (g) => g.losses, title: "Loses access", sign: "-" },
  { pick: (g) => g.unchanged, title: "Already members: taken under management, access unchanged", sign: "=" },
];

/**
 * Characters that must not reach a terminal or a rendered page as themselves: C0/C1 controls (line
 * breaks, escape sequences) and the bidirectional marks and overrides that make text read differently than it is.
 */
const invisible = (code: number): boolean =>
  code <= 0x1f ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x200e ||
  code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

/** A name with every control or direction character spelled out as `\uXXXX`. */
export const visible = (name: string): string =>
  [...name].map((char) => (invisible(char.charCodeAt(0)) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}` : char)).join("");

/**
 * A name as an inline code span: GitHub renders its content as text — no link, no HTML, no mention, no
 * emphasis — whatever it holds. The fence is one backtick longer than any run inside it.
 */
export function codeSpan(name: string): string {
  const text = visible(name);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

const renderMessage = (parts: Message, name: (value: string) => string): string =>
  parts.map((part) => ("name" in part ? name(part.name) : part.text)).join("");

function markdownList(people: string[]): string[] {
  const bullets = people.map((person) => `- ${codeSpan(person)}`);
  if (people.length <= FOLD_AFTER) return bullets;
  return [`<details><summary>${people.length} people</summary>`, "", ...bullets, "", "</details>"];
}

// --- Rules, end dates and people who left ----------------------------------------------------------

/** "`A`, `B` and `C`": names joined, each kept apart as a name. */
const names = (values: readonly string[], last = " and "): Message =>
  values.flatMap((value, i) => [...(i === 0 ? [] : [{ text: i === values.length - 1 ? last : ", " }]), { name: value }]);

/** A rule as a reviewer reads it; names (groups, domains, the reason) stay names. */
function ruleMessage({ rule, outcome }: RuleReview): Message {
  if (rule === undefined) return [{ text: "rules naming a group not known until `pulumi up`, judged then" }];
  const parts: Message =
    "separate" in rule
      ? rule.separate.length === 2
        ? [{ text: "nobody is in both " }, ...names(rule.separate)]
        : [{ text: "nobody is in more than one of " }, ...names(rule.separate)]
      : "allowedDomains" in rule
        ? [
            { text: "members' addresses are at " },
            ...names(rule.allowedDomains, " or "),
            ...(rule.groups ? [{ text: " in " }, ...names(rule.groups)] : [{ text: " in every managed group" }]),
          ]
        : [
            { name: rule.maxMembers.group },
            { text: ` has at most ${plural(rule.maxMembers.max, "member", "members")}` },
            ...(outcome ? [{ text: ` (${outcome.people} after this change)` }] : []),
          ];
  return rule.reason ? [...parts, { text: " — " }, { name: rule.reason }] : parts;
}

const endDateMessage = (note: EndDateNote, expired: boolean): Message => [
  { name: note.person },
  { text: " in " },
  { name: note.group },
  { text: expired ? `: access expired on ${note.until}` : `: last day ${note.until}` },
];

const personIn = (note: { person: string; group: string }): Message => [{ name: note.person }, { text: " in " }, { name: note.group }];

interface Section {
  title: string;
  /** Lines of the section: a warning heads a list, or plain items. */
  blocks: Array<{ warning?: string; intro?: string; items: Message[] }>;
}

/** The rules, end-date and people-who-left sections, in reading order; empty ones left out. */
function guardrailSections(review: AccessReview): Section[] {
  const sections: Section[] = [];
  const rules = review.rules ?? [];
  if (rules.length > 0) {
    const holding = rules.filter((r) => r.status === "holds");
    const pending = rules.filter((r) => r.status === "unknown");
    const removed = rules.filter((r) => r.status === "removed");
    const intro =
      holding.length > 0
        ? `${holding.length === 1 ? "The one rule holds" : `All ${holding.length} rules hold`} after this change:`
        : "No rule is checked after this change.";
    sections.push({
      title: "Rules",
      blocks: [
        { intro, items: [...holding, ...pending].map(ruleMessage) },
        ...(removed.length > 0
          ? [{ warning: `No longer checked after this change (${removed.length}):`, items: removed.map(ruleMessage) }]
          : []),
      ],
    });
  }
  const expiring = review.expiring ?? [];
  const expired = review.expired ?? [];
  if (expiring.length + expired.length > 0) {
    sections.push({
      title: "Expiring",
      blocks: [
        ...(expiring.length > 0
          ? [
              {
                warning: `Access ends within ${EXPIRY_WARNING_DAYS} days for ${plural(expiring.length, "person", "people")}:`,
                items: expiring.map((note) => endDateMessage(note, false)),
              },
            ]
          : []),
        ...(expired.length > 0
          ? [
              {
                intro: `Access that has ended (out of the group; remove from access.yaml) (${expired.length}):`,
                items: expired.map((note) => endDateMessage(note, true)),
              },
            ]
          : []),
      ],
    });
  }
  const inactive = review.inactive ?? [];
  if (inactive.length > 0) {
    sections.push({
      title: "No longer active — remove from access.yaml",
      blocks: [{ intro: `Their Kantata OX login is disabled; nothing is added for them (${inactive.length}):`, items: inactive.map(personIn) }],
    });
  }
  return sections;
}

const hasGuardrails = (review: AccessReview): boolean => guardrailSections(review).length > 0;

function renderMarkdown(review: AccessReview): string {
  const lines = ["## Kantata OX access changes", "", `**${headline(review)}**`];
  for (const group of review.groups) {
    lines.push("", `### ${codeSpan(group.group)}`);
    if (group.change) lines.push("", `**${renderMessage(describeGroupChange(group.change), codeSpan)}**`);
    for (const warning of group.warnings) lines.push("", `> ⚠️ ${renderMessage(warning, codeSpan)}`);
    for (const { pick, title } of SECTIONS) {
      const people = pick(group);
      if (people.length > 0) lines.push("", `**${title} (${people.length}):**`, "", ...markdownList(people));
    }
  }
  for (const section of guardrailSections(review)) {
    lines.push("", `### ${section.title}`);
    for (const block of section.blocks) {
      lines.push("", block.warning !== undefined ? `> ⚠️ ${block.warning}` : (block.intro ?? ""));
      if (block.items.length > 0) lines.push("", ...block.items.map((item) => `- ${renderMessage(item, codeSpan)}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

function renderText(review: AccessReview): string {
  const quoted = (name: string) => `"${visible(name)}"`;
  const lines = [`Kantata OX access changes: ${headline(review)}`];
  for (const group of review.groups) {
    lines.push("", visible(group.group));
    if (group.change) lines.push(`  * ${renderMessage(describeGroupChange(group.change), quoted)}`);
    for (const warning of group.warnings) lines.push(`  ! ${renderMessage(warning, quoted)}`);
    for (const { pick, sign } of SECTIONS) for (const person of pick(group)) lines.push(`  ${sign} ${visible(person)}`);
  }
  for (const section of guardrailSections(review)) {
    lines.push("", `${section.title}:`);
    for (const block of section.blocks) {
      lines.push(block.warning !== undefined ? `  ! ${block.warning}` : `  ${block.intro ?? ""}`);
      lines.push(...block.items.map((item) => `    ${renderMessage(item, quoted)}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `--format json`: the same facts for other tools (a chat message, a policy check). Schema: docs/review.md, "The review as JSON". */
export function reviewJson(review: AccessReview) {
  const t = totals(review);
  return {
    schemaVersion: REVIEW_SCHEMA_VERSION,
    summary: { gains: t.gains, losses: t.losses, unchanged: t.unchanged, groups: t.groups, groupChanges: groupChangeTotals(review) },
    groups: review.groups.map((group) => ({
      group: group.group,
      ...(group.groupId !== undefined && { groupId: group.groupId }),
      ...(group.change && { groupChange: group.change }),
      counts: { gains: group.gains.length, losses: group.losses.length, unchanged: group.unchanged.length },
      gains: group.gains,
      losses: group.losses,
      unchanged: group.unchanged,
      warnings: group.warnings.map((warning) => renderMessage(warning, (name) => `"${name}"`)),
    })),
    rules: (review.rules ?? []).map((note) => ({
      status: note.status,
      ...(note.rule && { rule: note.rule, description: describeRule(note.rule) }),
      ...(note.outcome && { groups: note.outcome.groups, people: note.outcome.people }),
    })),
    expiring: review.expiring ?? [],
    expired: review.expired ?? [],
    inactive: review.inactive ?? [],
  };
}

export function renderReview(review: AccessReview, format: ReviewFormat): string {
  if (format === "json") return `${JSON.stringify(reviewJson(review), null, 2)}\n`;
  if (review.groups.length === 0 && !hasGuardrails(review)) return `${NO_CHANGES}\n`;
  return format === "markdown" ? renderMarkdown(review) : renderText(review);
}
