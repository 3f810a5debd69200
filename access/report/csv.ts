import type { GroupReport, MemberRow, ReportModel } from "./model";

/**
 * The report as CSV for the auditor's own tools: a header row, then one row per membership in the
 * report's order (groups by name, members by email). RFC 4180: comma-separated, CRLF line ends,
 * a field in double quotes when it holds a comma, quote, CR or LF (quotes doubled). UTF-8, no BOM.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some treat a
 * leading tab or carriage return the same way), so such a cell from the account — a group or person
 * named "=HYPERLINK(…)" — gets a leading `'` and is shown as the text it is. Group notes and expiry
 * reasons are such cells too. The columns added after the first release (expiring, expiry_reason,
 * group_notes) come last, so a tool that reads columns by position keeps working.
 */

export const CSV_COLUMNS = [
  "group",
  "group_id",
  "email",
  "name",
  "user_id",
  "user_status",
  "since",
  "added_by_email",
  "added_by_name",
  "added_by_id",
  "management",
  "resource",
  "declared",
  "expires",
  "expired",
  "membership_id",
  "expiring",
  "expiry_reason",
  "group_notes",
] as const;

type Cell = string | number | boolean | null;

const row = (group: GroupReport, m: MemberRow): Record<(typeof CSV_COLUMNS)[number], Cell> => ({
  group: group.name,
  group_id: group.id,
  email: m.email,
  name: m.name,
  user_id: m.userId,
  user_status: m.status,
  since: m.since,
  added_by_email: m.addedBy.email,
  added_by_name: m.addedBy.name,
  added_by_id: m.addedBy.userId,
  management: m.management,
  resource: m.resource,
  declared: m.declared,
  expires: m.expires,
  expired: m.expired,
  membership_id: m.membershipId,
  expiring: m.expiring,
  expiry_reason: m.expiryReason,
  group_notes: group.notes ?? null,
});

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: neutralised against formulas, then quoted where RFC 4180 requires it. Numbers and booleans are ours, never neutralised. */
export function csvField(value: Cell): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(model: ReportModel): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const group of model.groups)
    for (const member of group.members) {
      const cells = row(group, member);
      lines.push(CSV_COLUMNS.map((column) => csvField(cells[column])).join(","));
    }
  return `${lines.join("\r\n")}\r\n`;
}
