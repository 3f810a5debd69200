import { createHash } from "node:crypto";
import { type SnapshotUser, buildReport } from "../../access/report/model";
import { CSV_COLUMNS, csvField, renderCsv } from "../../access/report/csv";
import { CONTENT_SECURITY_POLICY, MATRIX_MAX_CELLS, renderHtml } from "../../access/report/html";
import { renderJson } from "../../access/report/json";
import { SCRIPT, STYLE } from "../../access/report/page";
import { ADA, ALAN, EMEA, FINANCE, GRACE, inputs, membership, snapshot } from "./fixtures";

const HOSTILE_GROUP = "<img src=x onerror=alert(1)>";
const HOSTILE_NAME = '</td><script>alert("name")</script>';
const HOSTILE_EMAIL = "x\"'><svg/onload=alert(2)>@example.com";

/** An account whose every name is an attack on the page or the spreadsheet. */
function hostileModel() {
  const users = new Map<number, SnapshotUser>([
    [ADA, { id: ADA, email: HOSTILE_EMAIL, fullName: HOSTILE_NAME }],
    [ALAN, { id: ALAN, email: "alan.turing@example.com", fullName: '=HYPERLINK("http://evil.example","click")' }],
    [GRACE, { id: GRACE, email: "grace.hopper@example.com", fullName: 'Hopper, Grace "Amazing"\nRear Admiral' }],
  ]);
  const account = snapshot([membership(ADA, 7000), membership(ALAN, 7000), membership(GRACE, EMEA), membership(ALAN, 7001)], {
    groups: [
      { id: EMEA, name: "Delivery-EMEA" },
      { id: 7000, name: HOSTILE_GROUP },
      { id: 7001, name: "evil\u202Egnp.exe" },
    ],
    users,
  });
  return buildReport(inputs({ snapshot: account }));
}

describe("the HTML page is safe to open", () => {
  const html = renderHtml(hostileModel());

  test("a group named <img src=x onerror=alert(1)> shows as that text, escaped, and no value from the account becomes markup", () => {
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<svg");
    expect(html).toContain("&lt;/td&gt;&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");
    expect(html.match(/<script[\s>]/g)).toHaveLength(1);
    expect(html.match(/<style[\s>]/g)).toHaveLength(1);
  });

  test("no inline event handler, URL or remote load exists anywhere in the page", () => {
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /\s(src|srcset|action|formaction|poster|background)\s*=/i.test(t))).toEqual([]);
    const hrefs = tags.flatMap((t) => [...t.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]));
    expect(hrefs.every((h) => /^#[a-z0-9-]+$/.test(h))).toBe(true);
    expect(tags.filter((t) => /https?:|\/\//.test(t))).toEqual([]); // URLs from the account are text, never in a tag
  });

  test("a Content-Security-Policy allows only the page's own style and script, by hash, and nothing inline or remote", () => {
    const hash = (source: string) => `'sha256-${createHash("sha256").update(source).digest("base64")}'`;
    expect(CONTENT_SECURITY_POLICY).toBe(
      `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`,
    );
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    expect(html).toContain(`<style>${STYLE}</style>`);
    expect(html).toContain(`<script>${SCRIPT}</script>`);
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
  });

  test("control and text-direction characters in names are spelled out, so a name can't read backwards", () => {
    expect(html).toContain("evil\\u202egnp.exe");
    expect(html).not.toContain("\u202E");
  });
});

describe("the HTML page is readable by keyboard, screen reader and on paper", () => {
  const model = buildReport(inputs({ snapshot: snapshot([membership(ADA, EMEA), membership(ALAN, EMEA), membership(GRACE, FINANCE)]) }));
  const html = renderHtml(model);

  test("every table has a caption and column headers with scope; the filter has a label and a status line", () => {
    const tables = html.split("<table").length - 1;
    expect(tables).toBeGreaterThan(3);
    expect(html.split("<caption").length - 1).toBe(tables);
    expect(html).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)/);
    expect(html).toContain('<label for="filter">Filter people and groups</label>');
    expect(html).toContain('<span id="filter-status" role="status" aria-live="polite"></span>');
    expect(html).toContain('<html lang="en">');
  });

  test("sortable columns say how they are sorted; the page starts sorted by the first column", () => {
    expect(html).toMatch(/<th scope="col" data-sort="text" aria-sort="ascending">Email<\/th>/);
  });

  test("a small account gets a people × groups grid with groups open; print CSS opens every section and hides the toolbar", () => {
    expect(html).toContain('<table class="matrix filterable">');
    expect(html).toMatch(/<details class="section group" id="group-5521" open>/);
    expect(STYLE).toMatch(
      /@media print \{[^]*\.toolbar, \.skip \{ display: none !important; \}[^]*details\.section::details-content \{ content-visibility: visible; display: block; \}/,
    );
  });

  test("a large account lists each person's groups instead of the grid, and starts with its sections collapsed", () => {
    const people = Array.from({ length: MATRIX_MAX_CELLS / 3 + 1 }, (_, i) => 20000 + i);
    const users = new Map<number, SnapshotUser>(people.map((id) => [id, { id, email: `p${id}@example.com`, fullName: `P ${id}` }]));
    const big = buildReport(
      inputs({
        snapshot: snapshot(
          people.map((id) => membership(id, EMEA)),
          { users },
        ),
      }),
    );
    const page = renderHtml(big);
    expect(page).not.toContain('class="matrix');
    expect(page).toContain("is too large for a grid, so each person’s groups are listed");
    expect(page).not.toMatch(/<details[^>]* open>/);
  });
});

/** RFC 4180, enough to read our own output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe("the CSV is safe in a spreadsheet and readable by tools", () => {
  test("a header row, then one row per membership in the report's order, CRLF line ends", () => {
    const model = hostileModel();
    const csv = renderCsv(model);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + model.summary.memberships);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
      [HOSTILE_GROUP, "alan.turing@example.com"],
      [HOSTILE_GROUP, HOSTILE_EMAIL],
      ["Delivery-EMEA", "grace.hopper@example.com"],
      ["evil\u202Egnp.exe", "alan.turing@example.com"],
    ]);
  });

  test("quotes, commas and line breaks are quoted per RFC 4180 and read back exactly", () => {
    const rows = parseCsv(renderCsv(hostileModel()));
    expect(rows.find((r) => r[2] === "grace.hopper@example.com")![3]).toBe('Hopper, Grace "Amazing"\nRear Admiral');
  });

  test.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"])(
    "a cell starting %j gets a leading ' so a spreadsheet shows it as text",
    (value) => {
      expect(csvField(value)).toBe(/[\r]/.test(value) ? `"'${value}"` : `'${value}`);
    },
  );

  test("a person named =HYPERLINK(…) is written neutralised", () => {
    const rows = parseCsv(renderCsv(hostileModel()));
    expect(rows.filter((r) => r[3].includes("HYPERLINK")).map((r) => r[3])).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      `'=HYPERLINK("http://evil.example","click")`,
    ]);
  });

  test("our own numbers and booleans are written as they are", () => {
    expect([csvField(-1), csvField(false), csvField(null), csvField("plain")]).toEqual(["-1", "false", "", "plain"]);
  });
});

describe("the JSON", () => {
  test("is the model, schema version 1, and parses back to it", () => {
    const model = hostileModel();
    const json = renderJson(model);
    expect(json.endsWith("}\n")).toBe(true);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(model)));
    expect((JSON.parse(json) as { schemaVersion: number }).schemaVersion).toBe(1);
  });
});

test("the same account read in another order gives byte-identical HTML, CSV and JSON", () => {
  const list = [membership(ADA, EMEA), membership(ALAN, EMEA), membership(GRACE, FINANCE), membership(ADA, FINANCE)];
  const render = (model: ReturnType<typeof buildReport>) => [renderHtml(model), renderCsv(model), renderJson(model)];
  const forward = render(buildReport(inputs({ snapshot: snapshot(list) })));
  const base = snapshot([]);
  const backward = render(
    buildReport(
      inputs({ snapshot: snapshot([...list].reverse(), { groups: [...base.groups].reverse(), users: new Map([...base.users].reverse()) }) }),
    ),
  );
  expect(backward[0]).toBe(forward[0]);
  expect(backward[1]).toBe(forward[1]);
  expect(backward[2]).toBe(forward[2]);
});
