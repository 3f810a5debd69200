import { createHash } from "node:crypto";
import { EXPIRY_WARNING_DAYS } from "../../lib/calendar";
import { visible } from "../render";
import type { Check, GroupReport, Management, MemberRow, PersonReport, ReportModel, UserStatus } from "./model";
import { SCRIPT, STYLE } from "./page";
import { count, plural } from "./text";

/**
 * The report as one self-contained HTML page: no request when opened (no CDN, no font, no image), inline
 * CSS and JS named by hash in a Content-Security-Policy that forbids everything else — remote loads,
 * inline event handlers, `javascript:` URLs, plugins, forms — so even a value that escaped escaping
 * could not run. Every value from the account or the files passes through {@link text}: control and
 * direction characters spelled out, then HTML-escaped. Data never goes into the script, a URL or a
 * style; the only attributes built from it are numeric ids.
 *
 * Readable without the script, printed (every group section opens, no toolbar, header rows repeat on
 * each page), and with a screen reader: captions, `<th scope>`, a labelled filter, a status line.
 */

/** Above either bound, "who has access to what" lists each person's groups instead of a people × groups grid. */
export const MATRIX_MAX_GROUPS = 30;
export const MATRIX_MAX_CELLS = 15_000;
/** Group sections start open when the whole report has at most this many memberships; larger reports start collapsed. */
export const OPEN_GROUPS_UP_TO = 1_000;

const sha256 = (source: string): string => `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;

/** The page's policy: its own style and script by hash, nothing else from anywhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A value as text: controls and direction marks spelled out (`\u202e`), then HTML-escaped (safe in text and in quoted attributes). */
export const text = (value: string): string => visible(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const LABELS: Record<Management, string> = { code: "code", adopted: "adopted", outside: "outside code", unknown: "unknown" };
const tag = (m: Management): string => `<span class="tag t-${m}">${LABELS[m]}</span>`;

/** "2025-01-14 17:12": the UTC minute, sortable as text; the exact value is in the CSV and JSON. */
function minute(iso: string | null): string {
  if (iso === null) return "";
  const time = Date.parse(iso);
  return Number.isNaN(time) ? text(iso) : new Date(time).toISOString().slice(0, 16).replace("T", " ");
}

/** A person by email; one whose user can't be read by id, and a disabled one marked so. */
function person(email: string | null, userId: number, status: UserStatus = "readable"): string {
  const who = email === null ? `user ${userId}` : text(email);
  if (status === "disabled") return `${who} <span class="tag t-bad">disabled</span>`;
  return status === "unreadable" ? `${who} <span class="tag t-bad">can’t be read</span>` : who;
}

function addedBy(m: MemberRow): string {
  const { userId, email, name } = m.addedBy;
  if (userId === null) return `<span class="note">not recorded</span>`;
  if (email !== null) return text(email);
  if (name !== null) return text(name);
  return `user ${userId} (can’t be read)`;
}

const checkNote = (check: Check): string => `<span class="${check.checked ? "note" : "not-checked"}">${text(check.note)}</span>`;

function summaryRow(label: string, key: string, value: number, note = ""): string {
  return `<tr><th scope="row">${label}</th><td class="n" data-count="${key}">${count(value)}</td><td>${note}</td></tr>`;
}

function header(model: ReportModel): string {
  const h = model.header;
  const file = h.accessFile
    ? `${text(h.accessFile.path)}${h.accessFile.commit ? ` at commit <code>${text(h.accessFile.commit)}</code>` : " (not in a git work tree: no commit)"}${h.accessFile.modified ? " <strong>with uncommitted changes</strong>" : ""}`
    : `<span class="note">not given (--access FILE)</span>`;
  const basis =
    h.managementBasis === "stack"
      ? "the stack’s state: what was applied, and which members were adopted"
      : h.managementBasis === "access-file"
        ? "the access file: declared or not (adoption is known only from the stack’s state)"
        : `<span class="not-checked">not known: give --stack NAME or --access FILE</span>`;
  const requests = h.requests
    ? `${count(h.requests.made)} GETs; bound ${count(h.requests.bound)}: ${text(h.requests.detail)}`
    : `<span class="note">not counted</span>`;
  const rows: Array<[string, string]> = [
    ["Account", text(h.account)],
    ["Snapshot taken", `<time datetime="${text(h.generatedAt)}">${text(h.generatedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"))}</time>`],
    ["Tool", `${text(h.tool.name)} ${text(h.tool.version)} (kantata-access report)`],
    ["Access file", file],
    ["Stack", h.stack === null ? `<span class="note">not given (--stack NAME)</span>` : text(h.stack)],
    ["“Managed by code” from", basis],
    ["Requests", requests],
  ];
  return `<header>
<h1>Kantata OX access report</h1>
<dl class="meta">
${rows.map(([dt, dd]) => `<dt>${dt}</dt><dd>${dd}</dd>`).join("\n")}
</dl>
</header>`;
}

function summary(model: ReportModel): string {
  const s = model.summary;
  const c = model.checks;
  const basisNote = model.header.managementBasis === "none" ? `<span class="not-checked">not known: no stack or access file given</span>` : "";
  return `<section aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<p class="proves">The whole account at the time of the snapshot: every workspace group, managed by code or not, and every membership in it.</p>
<table class="summary">
<caption class="sr">Summary counts</caption>
<tbody>
${summaryRow("Groups", "groups", s.groups, `${count(s.groupsManaged)} managed by code, ${count(s.groupsNotManaged)} not`)}
${summaryRow("People with access", "people", s.people)}
${summaryRow("Memberships", "memberships", s.memberships)}
${summaryRow(`${tag("code")} Managed by code`, "code", s.management.code, basisNote)}
${summaryRow(`${tag("adopted")} Adopted by code`, "adopted", s.management.adopted, "made by hand, then taken under management")}
${summaryRow(`${tag("outside")} Outside code`, "outside", s.management.outside, "added by hand; no resource manages them")}
${s.management.unknown > 0 ? summaryRow(`${tag("unknown")} Unknown`, "unknown", s.management.unknown, basisNote) : ""}
${summaryRow("Drift", "drift", s.drift, checkNote(c.drift))}
${summaryRow("Rule violations", "rule-violations", s.ruleViolations, checkNote(c.rules))}
${summaryRow("Access expiring", "expiring", s.expiring, checkNote(c.expiry))}
${summaryRow("Access expired", "expired", s.expired, checkNote(c.expiry))}
${summaryRow("People whose user can’t be read or is disabled", "disabled-users", s.disabledUsers, checkNote(c.disabledUsers))}
</tbody>
</table>
</section>`;
}

function table(caption: string, heads: Array<[string, "text" | "number" | null]>, rows: string[], classes = "data sortable filterable"): string {
  const th = heads
    .map(
      ([label, sort], i) =>
        `<th scope="col"${sort ? ` data-sort="${sort}"` : ""}${sort === "number" ? ' class="n"' : ""}${i === 0 && sort ? ' aria-sort="ascending"' : ""}>${label}</th>`,
    )
    .join("");
  return `<table class="${classes}">
<caption>${caption}</caption>
<thead><tr>${th}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`;
}

const none = (what: string): string => `<p class="note">${what}</p>`;

function findings(model: ReportModel): string {
  const c = model.checks;
  const drift = !c.drift.checked
    ? none(checkNote(c.drift))
    : model.drift.length === 0
      ? none(`None: the account matches (${text(c.drift.note)}).`)
      : table(
          `Drift: ${plural(model.drift.length, "difference")} ${text(c.drift.note)}`,
          [
            ["Group", "text"],
            ["Person", "text"],
            ["What differs", "text"],
          ],
          model.drift.map(
            (d) => `<tr><td>${text(d.group)}</td><td>${d.person === null ? "" : text(d.person)}</td><td>${text(d.detail)}</td></tr>`,
          ),
        );
  const rules = !c.rules.checked
    ? none(checkNote(c.rules))
    : model.ruleViolations.length === 0
      ? none(`None (${text(c.rules.note)}).`)
      : table(
          `Rule violations (${text(c.rules.note)})`,
          [
            ["Rule", "text"],
            ["Reason", "text"],
            ["Groups", "text"],
            ["People", "text"],
            ["What is wrong", "text"],
          ],
          model.ruleViolations.map(
            (v) =>
              `<tr><td>${text(v.rule)}</td><td>${text(v.reason ?? "")}</td><td>${(v.groups ?? (v.group === undefined ? [] : [v.group])).map(text).join(", ")}</td><td>${v.people.map(text).join(", ")}</td><td>${text(v.message)}</td></tr>`,
          ),
        );
  const expiring = model.groups.flatMap((g) => g.members.filter((m) => m.expires !== null).map((m) => ({ g, m })));
  const expiry = !c.expiry.checked
    ? none(checkNote(c.expiry))
    : expiring.length === 0
      ? none("No member of the account has an expiry declared.")
      : table(
          "Access with an expiry",
          [
            ["Group", "text"],
            ["Person", "text"],
            ["Last day", "text"],
            ["State", "text"],
            ["Reason", "text"],
          ],
          expiring.map(
            ({ g, m }) =>
              `<tr><td>${text(g.name)}</td><td>${person(m.email, m.userId)}</td><td>${text(m.expires ?? "")}</td><td>${m.expired ? '<span class="tag t-bad">expired</span>' : m.expiring ? `ends within ${EXPIRY_WARNING_DAYS} days` : "active"}</td><td>${text(m.expiryReason ?? "")}</td></tr>`,
          ),
        );
  const disabled =
    model.disabledUsers.length === 0
      ? none(`None (${checkNote(c.disabledUsers)}).`)
      : table(
          "People whose user can’t be read or is disabled, with the groups they are still in",
          [
            ["Person", "text"],
            ["Why", "text"],
            ["Still in", "text"],
          ],
          model.disabledUsers.map(
            (u) =>
              `<tr><td>${u.email === null ? `user ${u.userId}` : text(u.email)}</td><td>${u.reason === "disabled" ? "disabled" : "user record can’t be read (deleted?)"}</td><td>${u.groups.map(text).join(", ")}</td></tr>`,
          ),
        );
  return `<section aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
<p class="proves">What an access review asks about: access that differs from the reviewed file, broken rules, access past its end date, and access held by people whose account is gone or disabled.</p>
<h3>Drift</h3>
${drift}
<h3>Rule violations</h3>
${rules}
<h3>Expiring and expired access</h3>
${expiry}
<h3>People whose user can’t be read or is disabled</h3>
${disabled}
</section>`;
}

function groupOverview(model: ReportModel): string {
  const rows = model.groups.map((g) => {
    const how = g.managed
      ? `${g.mode ? text(g.mode) : "managed"}${g.resources.length > 0 ? ` <span class="who">${g.resources.map((r) => text(r.name)).join(", ")}</span>` : ""}`
      : `<span class="note">not managed</span>`;
    return `<tr><td><a href="#group-${g.id}">${text(g.name)}</a></td><td class="n">${g.id}</td><td>${how}</td><td class="n">${count(g.counts.members)}</td><td class="n">${count(g.counts.code)}</td><td class="n">${count(g.counts.adopted)}</td><td class="n">${count(g.counts.outside)}</td><td class="n">${count(g.counts.drift)}</td></tr>`;
  });
  return `<section aria-labelledby="groups-h">
<h2 id="groups-h">Groups</h2>
<p class="proves">Every workspace group of the account, whether code manages it (and how: additive keeps people added by hand, authoritative removes them), and how its members stand.</p>
${table(
  `${plural(model.groups.length, "workspace group")}`,
  [
    ["Group", "text"],
    ["Id", "number"],
    ["Managed by code", "text"],
    ["Members", "number"],
    ["By code", "number"],
    ["Adopted", "number"],
    ["Outside code", "number"],
    ["Drift", "number"],
  ],
  rows,
)}
</section>`;
}

function whoHasAccess(model: ReportModel): string {
  const { groups, people } = model;
  const useMatrix = groups.length > 0 && groups.length <= MATRIX_MAX_GROUPS && groups.length * people.length <= MATRIX_MAX_CELLS;
  const intro = `<p class="proves">Who has access to what, person by person: the view to scan for someone who should not be there.</p>`;
  if (useMatrix) {
    const management = new Map<string, Management>();
    for (const g of groups) for (const m of g.members) management.set(`${g.id}:${m.userId}`, m.management);
    const head = `<th scope="col">Person</th>${groups.map((g) => `<th scope="col" class="g"><span>${text(g.name)}</span></th>`).join("")}`;
    const rows = people.map((p) => {
      const cells = groups
        .map((g) => {
          const m = management.get(`${g.id}:${p.userId}`);
          return m === undefined ? "<td></td>" : `<td class="t-${m}">${LABELS[m]}</td>`;
        })
        .join("");
      return `<tr><th scope="row">${person(p.email, p.userId, p.status)}${p.name ? ` <span class="who">${text(p.name)}</span>` : ""}</th>${cells}</tr>`;
    });
    return `<section aria-labelledby="access-h">
<h2 id="access-h">Who has access to what</h2>
${intro}
<p class="legend">Each cell says how the membership stands: ${tag("code")} managed by code, ${tag("adopted")} adopted by code, ${tag("outside")} outside code${model.summary.management.unknown > 0 ? `, ${tag("unknown")} unknown` : ""}; empty: no access.</p>
<table class="matrix filterable">
<caption>${plural(people.length, "person", "people")} × ${plural(groups.length, "group")}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</section>`;
  }
  const names = new Map(groups.map((g) => [g.id, g.name]));
  const rows = people.map(
    (p: PersonReport) =>
      `<tr><td>${person(p.email, p.userId, p.status)}</td><td>${p.name ? text(p.name) : ""}</td><td class="n">${p.groups.length}</td><td>${p.groups.map((id) => text(names.get(id) ?? String(id))).join("; ")}</td></tr>`,
  );
  return `<section aria-labelledby="access-h">
<h2 id="access-h">Who has access to what</h2>
${intro}
<p class="note">${plural(people.length, "person", "people")} × ${plural(groups.length, "group")} is too large for a grid, so each person’s groups are listed; how each membership stands is in the group sections below and in the CSV.</p>
<details class="section people"${model.summary.memberships <= OPEN_GROUPS_UP_TO ? " open" : ""}>
<summary><h3>${plural(people.length, "person", "people")} and their groups</h3></summary>
${table(
  `${plural(people.length, "person", "people")} and their groups`,
  [
    ["Person", "text"],
    ["Name", "text"],
    ["Groups", "number"],
    ["Member of", null],
  ],
  rows,
)}
</details>
</section>`;
}

function memberRow(m: MemberRow): string {
  const how = `<td class="t-${m.management}">${LABELS[m.management]}${m.resource !== null ? ` <span class="who">${text(m.resource)}</span>` : ""}</td>`;
  const expires = m.expires === null ? "" : `${text(m.expires)}${m.expired ? ' <span class="tag t-bad">expired</span>' : ""}`;
  return `<tr><td>${person(m.email, m.userId, m.status)}</td><td>${m.name === null ? "" : text(m.name)}</td><td>${minute(m.since)}</td><td>${addedBy(m)}</td>${how}<td>${expires}</td></tr>`;
}

function groupSection(g: GroupReport, open: boolean): string {
  const parts = [plural(g.counts.members, "member")];
  if (g.managed) parts.push(`${g.mode ?? "managed"}`);
  else parts.push("not managed");
  if (g.counts.drift > 0) parts.push(plural(g.counts.drift, "drift item"));
  const body =
    g.members.length === 0
      ? none("No members.")
      : table(
          `Members of ${text(g.name)}`,
          [
            ["Email", "text"],
            ["Name", "text"],
            ["Since (UTC)", "text"],
            ["Added by", "text"],
            ["Managed by code", "text"],
            ["Expires", "text"],
          ],
          g.members.map(memberRow),
          "data sortable filterable members",
        );
  const notes = g.notes === undefined ? "" : `<p class="proves">Notes: ${text(g.notes)}</p>\n`;
  return `<details class="section group" id="group-${g.id}"${open ? " open" : ""}>
<summary><h3 class="name">${text(g.name)}</h3><span class="counts">${text(parts.join(" · "))}</span></summary>
${notes}${body}
</details>`;
}

function members(model: ReportModel): string {
  const open = model.summary.memberships <= OPEN_GROUPS_UP_TO;
  return `<section id="members" aria-labelledby="members-h">
<h2 id="members-h">Members of each group</h2>
<p class="proves">Per group, every member: since when (the membership’s <code>created_at</code>), added by whom (its <code>creator_id</code>), and whether code manages the membership. Printing opens every group.</p>
${model.groups.map((g) => groupSection(g, open)).join("\n")}
</section>`;
}

export function renderHtml(model: ReportModel): string {
  const title = `Kantata OX access report: ${text(model.header.account)}, ${text(model.header.generatedAt)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#members">Skip to the members of each group</a>
${header(model)}
<div class="toolbar" id="toolbar" hidden>
<label for="filter">Filter people and groups</label>
<input id="filter" type="search" autocomplete="off" spellcheck="false" aria-describedby="filter-status">
<button type="button" id="expand-all">Expand all groups</button>
<button type="button" id="collapse-all">Collapse all groups</button>
<span id="filter-status" role="status" aria-live="polite"></span>
</div>
<main>
${summary(model)}
${findings(model)}
${groupOverview(model)}
${whoHasAccess(model)}
${members(model)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
