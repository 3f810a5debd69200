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

/** The version of `--format json`'s schema (see README, "The review as JSON"); raised on any incompatible change. */
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
  return `${lines.join("\n")}\n`;
}

function renderText(review: AccessReview): string {
  const lines = [`Kantata OX access changes: ${headline(review)}`];
  for (const group of review.groups) {
    lines.push("", visible(group.group));
    if (group.change) lines.push(`  * ${renderMessage(describeGroupChange(group.change), (name) => `"${visible(name)}"`)}`);
    for (const warning of group.warnings) lines.push(`  ! ${renderMessage(warning, (name) => `"${visible(name)}"`)}`);
    for (const { pick, sign } of SECTIONS) for (const person of pick(group)) lines.push(`  ${sign} ${visible(person)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `--format json`: the same facts for other tools (a chat message, a policy check). Schema: README, "The review as JSON". */
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
  };
}

export function renderReview(review: AccessReview, format: ReviewFormat): string {
  if (format === "json") return `${JSON.stringify(reviewJson(review), null, 2)}\n`;
  if (review.groups.length === 0) return `${NO_CHANGES}\n`;
  return format === "markdown" ? renderMarkdown(review) : renderText(review);
}
