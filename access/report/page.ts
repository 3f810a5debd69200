/**
 * The report page's own CSS and JavaScript: constants, never built from data, so the Content-Security-
 * Policy can name them by hash and the page needs no 'unsafe-inline'. The script only enhances a page
 * that is complete without it: sort buttons in table headers (keyboard: Tab, Enter or Space; the
 * column's `aria-sort` says the order), one filter box over every table, expand/collapse of the group
 * sections, and opening every section for printing.
 */

export const STYLE = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --head: #f0f2f5; --focus: #1a56db; --link: #0645ad; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: #fff; }
header, main, .toolbar { padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 0.6rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.4rem; border-bottom: 2px solid var(--fg); padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p.proves { margin: 0.2rem 0 0.8rem; color: var(--muted); max-width: 60rem; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0 0 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.toolbar { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; min-height: 3rem; padding-top: 0.4rem; padding-bottom: 0.4rem; }
.toolbar label { font-weight: 600; }
.toolbar input { font: inherit; padding: 0.3rem 0.5rem; width: 22rem; max-width: 60vw; border: 1px solid #767676; border-radius: 4px; }
.toolbar button, th button { font: inherit; cursor: pointer; }
.toolbar button { padding: 0.25rem 0.6rem; border: 1px solid #767676; border-radius: 4px; background: #fff; color: var(--fg); }
#filter-status { color: var(--muted); }
table { border-collapse: collapse; margin: 0.4rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
th, td { border: 1px solid var(--line); padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); white-space: nowrap; }
table.members td.t-code, table.members td.t-adopted, table.members td.t-outside, table.members td.t-unknown { font-weight: 600; font-size: 0.9em; }
table.summary { max-width: 72rem; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
table.summary td.n { font-size: 1.1rem; font-weight: 600; min-width: 5rem; }
.note { color: var(--muted); }
.not-checked { color: #6b3b00; }
.tag { display: inline-block; padding: 0 0.35rem; border-radius: 3px; font-size: 0.85em; font-weight: 600; white-space: nowrap; }
.t-code { background: #dcf2e2; color: #0b4d1a; }
.t-adopted { background: #fbeccb; color: #5a3a00; }
.t-outside { background: #fbe3e3; color: #8b1a1a; }
.t-unknown { background: #ececec; color: #333; }
.t-bad { background: #fbe3e3; color: #8b1a1a; }
.who { color: var(--muted); font-size: 0.9em; }
details.section { border: 1px solid var(--line); border-radius: 4px; margin: 0.4rem 0; padding: 0 0.6rem; }
details.section > summary { cursor: pointer; padding: 0.35rem 0; }
details.section > summary h3 { display: inline; font-size: 1rem; margin: 0; }
details.section > summary .counts { color: var(--muted); margin-left: 0.5rem; }
table.matrix th.g { vertical-align: bottom; font-weight: 600; padding: 0.3rem 0.2rem; }
table.matrix th.g span { writing-mode: vertical-rl; transform: rotate(180deg); max-height: 14rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: inline-block; }
table.matrix td { text-align: center; padding: 0.1rem 0.2rem; font-size: 0.8em; }
table.matrix th[scope="row"] { font-weight: normal; white-space: nowrap; }
.legend { margin: 0.2rem 0 0.6rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body { font-size: 9pt; }
  .toolbar, .skip { display: none !important; }
  header, main { padding: 0; }
  h2 { break-after: avoid; }
  details.section { border: 0; padding: 0; break-inside: auto; }
  details.section > summary { list-style: none; font-weight: 600; }
  details.section > summary::-webkit-details-marker { display: none; }
  details.section::details-content { content-visibility: visible; display: block; }
  table { width: 100%; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th button::after { content: none !important; }
  a { color: inherit; text-decoration: none; }
}
`;

export const SCRIPT = `
"use strict";
(function () {
  var doc = document;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var status = doc.getElementById("filter-status");
  var input = doc.getElementById("filter");
  var toolbar = doc.getElementById("toolbar");
  /** At most this many matching rows are opened for the reader at once; more stay in closed sections, counted. */
  var AUTO_OPEN_ROWS = 2000;

  function announce(text) { if (status) status.textContent = text; }

  // Sorting: a button in each sortable header; aria-sort on the sorted column.
  function keyOf(row, index, numeric) {
    var cell = row.cells[index];
    var text = cell ? (cell.getAttribute("data-v") || cell.textContent || "").trim() : "";
    if (numeric) { var n = parseFloat(text.replace(/,/g, "")); return isNaN(n) ? -Infinity : n; }
    return text.toLowerCase();
  }
  function sortTable(table, th, index) {
    var numeric = th.getAttribute("data-sort") === "number";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    each(table.querySelectorAll("thead th[aria-sort]"), function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var sign = dir === "ascending" ? 1 : -1;
    var keyed = Array.prototype.map.call(body.rows, function (row, i) { return { row: row, key: keyOf(row, index, numeric), i: i }; });
    keyed.sort(function (a, b) { return a.key < b.key ? -sign : a.key > b.key ? sign : a.i - b.i; });
    var fragment = doc.createDocumentFragment();
    keyed.forEach(function (e) { fragment.appendChild(e.row); });
    body.appendChild(fragment);
    announce("Sorted by " + th.textContent.trim() + ", " + dir + ".");
  }
  each(doc.querySelectorAll("table.sortable"), function (table) {
    each(table.tHead ? table.tHead.rows[0].cells : [], function (th, index) {
      if (!th.hasAttribute("data-sort")) return;
      var button = doc.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, th, index); });
    });
  });

  // Filtering. Sections (details.section) are filtered lazily: their rows are counted at once, but only
  // written to when the section is open, or when it is opened, so a query over 50,000 memberships in
  // closed sections costs a string search, not 50,000 DOM writes. A query matching at most
  // AUTO_OPEN_ROWS rows opens the sections that hold them.
  var sections = Array.prototype.map.call(doc.querySelectorAll("details.section"), function (el) {
    var name = el.querySelector("summary .name");
    return { el: el, name: name ? name.textContent.toLowerCase() : "", open: el.open, group: el.classList.contains("group"), rows: null, applied: "", hits: 0, named: false };
  });
  var loose = null;
  var needle = "";
  var memberTotal = 0;
  function rowsOf(root, outsideSections) {
    var out = [];
    each(root.querySelectorAll("table.filterable"), function (table) {
      if (outsideSections && table.closest("details.section")) return;
      var names = table.classList.contains("matrix") ? Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent; }) : null;
      each(table.tBodies[0].rows, function (row) {
        var text = row.textContent;
        if (names) for (var c = 1; c < row.cells.length; c++) if (row.cells[c].textContent.trim() !== "") text += " " + names[c];
        out.push({ row: row, text: text.toLowerCase() });
      });
    });
    return out;
  }
  function buildIndex() {
    sections.forEach(function (s) { s.rows = rowsOf(s.el, false); if (s.group) memberTotal += s.rows.length; });
    loose = rowsOf(doc.querySelector("main"), true);
  }
  function matches(s, r) { return needle === "" || s.named || r.text.indexOf(needle) !== -1; }
  function applyRows(s) {
    if (s.applied === needle) return;
    for (var i = 0; i < s.rows.length; i++) { var r = s.rows[i]; var ok = matches(s, r); if (r.row.hidden === ok) r.row.hidden = !ok; }
    s.applied = needle;
  }
  function applyFilter(query) {
    var started = performance.now();
    if (loose === null) buildIndex();
    needle = query.trim().toLowerCase();
    var shown = 0, groups = 0, rows = 0;
    sections.forEach(function (s) {
      s.named = needle !== "" && s.name !== "" && s.name.indexOf(needle) !== -1;
      var hits = 0;
      for (var i = 0; i < s.rows.length; i++) if (matches(s, s.rows[i])) hits++;
      s.hits = hits;
      rows += hits;
      if (s.group) { shown += hits; if (hits > 0 || s.named) groups++; }
    });
    var open = needle !== "" && rows <= AUTO_OPEN_ROWS;
    sections.forEach(function (s) {
      if (needle === "") { s.el.hidden = false; s.el.open = s.open; applyRows(s); return; }
      s.el.hidden = s.hits === 0 && !s.named;
      // Few matches: open the sections that hold them. Many: sections go back to how the page opened.
      s.el.open = open ? s.hits > 0 : s.open;
      if (s.el.open) applyRows(s);
    });
    loose.forEach(function (r) { var ok = needle === "" || r.text.indexOf(needle) !== -1; if (r.row.hidden === ok) r.row.hidden = !ok; });
    void doc.body.offsetHeight;
    var ms = performance.now() - started;
    announce(needle === "" ? "" : shown.toLocaleString("en-US") + " of " + memberTotal.toLocaleString("en-US") + " memberships match, in " + groups.toLocaleString("en-US") + (groups === 1 ? " group" : " groups") + (open || shown === 0 ? "." : "; open a group to see its matching members."));
    doc.dispatchEvent(new CustomEvent("report:filtered", { detail: { query: query, shown: shown, total: memberTotal, groups: groups, opened: open, ms: ms } }));
  }
  // Index the rows when the browser is idle after opening, so the first keystroke only searches.
  var idle = window.requestIdleCallback ? window.requestIdleCallback.bind(window) : function (fn) { return setTimeout(fn, 200); };
  idle(function () { if (loose === null) buildIndex(); });
  sections.forEach(function (s) {
    s.el.addEventListener("toggle", function () { if (s.el.open && s.rows !== null) applyRows(s); });
  });

  if (input && toolbar) {
    toolbar.hidden = false;
    var timer = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { applyFilter(input.value); }, 60);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; applyFilter(""); }
    });
  }
  function setAll(open) { sections.forEach(function (s) { if (!s.el.hidden) s.el.open = open; }); }
  var expand = doc.getElementById("expand-all");
  var collapse = doc.getElementById("collapse-all");
  if (expand) expand.addEventListener("click", function () { setAll(true); });
  if (collapse) collapse.addEventListener("click", function () { setAll(false); });

  // Printing opens every section (CSS does the same where ::details-content is supported).
  var openBeforePrint = null;
  window.addEventListener("beforeprint", function () {
    openBeforePrint = sections.map(function (s) { return s.el.open; });
    sections.forEach(function (s) { s.el.open = true; if (s.rows !== null) applyRows(s); });
  });
  window.addEventListener("afterprint", function () {
    if (openBeforePrint) sections.forEach(function (s, i) { s.el.open = openBeforePrint[i]; });
    openBeforePrint = null;
  });
})();
`;
