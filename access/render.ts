import { type AccessReview, type GroupChanges, totals } from "./review";

export type ReviewFormat = "markdown" | "text";

export const NO_CHANGES = "No Kantata OX access changes.";

/** Lists longer than this fold into a <details> block in Markdown, so a big onboarding stays readable. */
const FOLD_AFTER = 25;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function headline(review: AccessReview): string {
  const t = totals(review);
  const parts = [`${plural(t.gains, "person gains", "people gain")} access`, `${plural(t.losses, "person loses", "people lose")} access`];
  if (t.adoptions > 0) parts.push(`${plural(t.adoptions, "existing membership is", "existing memberships are")} adopted`);
  if (t.takenOn > 0) parts.push(`${plural(t.takenOn, "person is", "people are")} declared in newly managed groups`);
  return `${parts.join(", ")}, in ${plural(t.groups, "group", "groups")}.`;
}

const SECTIONS: Array<{ pick: (g: GroupChanges) => string[]; title: string; sign: string }> = [
  { pick: (g) => g.gains, title: "Gains access", sign: "+" },
  { pick: (g) => g.losses, title: "Loses access", sign: "-" },
  { pick: (g) => g.adoptions, title: "Adopted as they are (already members: no change; otherwise added)", sign: "=" },
  { pick: (g) => g.takenOn, title: "Now managed in code (existing members are adopted, the others gain access)", sign: "+" },
];

function markdownList(people: string[]): string[] {
  const bullets = people.map((person) => `- ${person}`);
  if (people.length <= FOLD_AFTER) return bullets;
  return [`<details><summary>${people.length} people</summary>`, "", ...bullets, "", "</details>"];
}

function renderMarkdown(review: AccessReview): string {
  const lines = ["## Kantata OX access changes", "", `**${headline(review)}**`];
  for (const group of review.groups) {
    lines.push("", `### ${group.group}`);
    for (const warning of group.warnings) lines.push("", `> ⚠️ ${warning}`);
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
    lines.push("", group.group);
    for (const warning of group.warnings) lines.push(`  ! ${warning}`);
    for (const { pick, sign } of SECTIONS) for (const person of pick(group)) lines.push(`  ${sign} ${person}`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderReview(review: AccessReview, format: ReviewFormat): string {
  if (review.groups.length === 0) return `${NO_CHANGES}\n`;
  return format === "markdown" ? renderMarkdown(review) : renderText(review);
}
