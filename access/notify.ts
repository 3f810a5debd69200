import type { reviewJson } from "./render";

/**
 * The review of a preview (render.ts's reviewJson) as a chat message for an incoming webhook: who gains
 * and who loses access in which groups, what happens to groups, the rules checked, access ending soon.
 * Names come from the account and the file, so they are shown as text only: Slack's control characters
 * (&, <, >) are escaped, so no link or `<!channel>`/`<@U…>` mention can be formed, and a zero-width space
 * after the @ of @channel, @here and @everyone keeps them from notifying anyone (the same for Teams, whose
 * mentions need `<at>`, escaped alike). Lists are capped, so a large change stays one readable message.
 */
export type ReviewJson = ReturnType<typeof reviewJson>;
export const NOTIFY_FORMATS = ["slack", "teams"] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

/** People named per list before "and N more". */
const NAMES_SHOWN = 20;

/** Text from the account or the file, safe to show: no markup, no mention. */
export function chatText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(?=(channel|here|everyone)\b)/gi, "@\u200b");
}

const names = (people: readonly string[]): string => {
  const shown = people.slice(0, NAMES_SHOWN).map(chatText).join(", ");
  return people.length > NAMES_SHOWN ? `${shown} and ${people.length - NAMES_SHOWN} more` : shown;
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The message's lines, with `bold` as the chat's markup for emphasis (Slack `*x*`, Teams `**x**`). */
export function reviewLines(review: ReviewJson, title: string, bold: (text: string) => string): string[] {
  const s = review.summary;
  const lines = [
    bold(chatText(title)),
    s.groups === 0 && review.rules.length === 0 && review.expiring.length === 0
      ? "No change to anyone's access."
      : `${plural(s.gains, "person gains", "people gain")} and ${plural(s.losses, "person loses", "people lose")} access, in ${plural(s.groups, "group")}.`,
  ];
  for (const group of review.groups) {
    const change = group.groupChange
      ? ` (${group.groupChange.event}${group.groupChange.renamedFrom ? ` from ${chatText(group.groupChange.renamedFrom)}` : ""})`
      : "";
    lines.push(`${bold(chatText(group.group))}${change}`);
    if (group.gains.length > 0) lines.push(`  + gain: ${names(group.gains)}`);
    if (group.losses.length > 0) lines.push(`  − lose: ${names(group.losses)}`);
    for (const warning of group.warnings) lines.push(`  ⚠ ${chatText(warning)}`);
  }
  const broken = review.rules.filter((rule) => rule.status !== "holds");
  if (review.rules.length > 0)
    lines.push(
      `Rules: ${plural(review.rules.length - broken.length, "holds", "hold")}${broken.map((r) => `; ${r.status}: ${chatText(r.description ?? "a rule")}`).join("")}`,
    );
  if (review.expiring.length > 0)
    lines.push(
      `Access ending soon: ${review.expiring
        .slice(0, NAMES_SHOWN)
        .map((e) => `${chatText(e.person)} in ${chatText(e.group)} (last day ${e.until})`)
        .join(", ")}${review.expiring.length > NAMES_SHOWN ? ` and ${review.expiring.length - NAMES_SHOWN} more` : ""}`,
    );
  return lines;
}

/** The webhook's JSON body: Slack's `{ text }`; for Teams, an Adaptive Card (what Teams' workflow webhooks take). */
export function webhookBody(review: ReviewJson, format: NotifyFormat, title: string): unknown {
  if (format === "slack") return { text: reviewLines(review, title, (t) => `*${t}*`).join("\n") };
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: reviewLines(review, title, (t) => `**${t}**`).map((text) => ({ type: "TextBlock", text, wrap: true })),
        },
      },
    ],
  };
}
