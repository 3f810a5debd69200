import { AccessEditError, grantAccess, revokeAccess } from "../../access/edit";
import { AccessFileError } from "../../access/accessFile";
import { unifiedDiff } from "../../lib/diff";

/** grant and revoke on the text: exactly the person's line (or entry) changes, every other byte stays. */
const TODAY = { KANTATA_ACCESS_TODAY: "2026-06-15" };

const FILE = `# who has access
rules: # every change must keep these
  - separate: [Finance, Delivery] # nobody in both
groups:
  Delivery:
    mode: authoritative # exactly these people
    members:
      - ada@example.com # lead

      - email: alan@example.com
        until: 2026-12-31 # last day
        reason: migration
  Finance:
    members: ['grace@example.com', 'edsger@example.com']
  Empty:
    members: []
  Bare:
    notes: nobody yet
  Gone:
    delete: true
`;

const grant = (text: string, email: string, group: string, more: { until?: string; reason?: string } = {}, env = TODAY) =>
  grantAccess(text, "access.yaml", { email, group, ...more }, env).text;
const revoke = (text: string, email: string, group: string) => revokeAccess(text, "access.yaml", { email, group }).text;
const diffOf = (before: string, after: string) => unifiedDiff(before, after, "access.yaml").split("\n").slice(3).join("\n");

describe("grant", () => {
  it("adds the address at the end of a block list, at the list's indentation, and nothing else changes", () => {
    expect(diffOf(FILE, grant(FILE, "Barbara@Example.com", "delivery"))).toBe(
      `       - email: alan@example.com
         until: 2026-12-31 # last day
         reason: migration
+      - barbara@example.com
   Finance:
     members: ['grace@example.com', 'edsger@example.com']
   Empty:
`,
    );
  });

  it("writes until and reason as an entry, quoting the reason where YAML needs it", () => {
    const after = grant(FILE, "barbara@example.com", "Delivery", { until: "2026-07-01", reason: "audit: Q3" });
    expect(after).toContain(`        reason: migration
      - email: barbara@example.com
        until: 2026-07-01
        reason: "audit: Q3"
  Finance:`);
  });

  it("adds to a flow list in its quoting style, and fills an empty one", () => {
    expect(grant(FILE, "barbara@example.com", "Finance")).toContain(
      "members: ['grace@example.com', 'edsger@example.com', 'barbara@example.com']\n",
    );
    expect(grant(FILE, "barbara@example.com", "Finance", { until: "2026-06-15" })).toContain(
      "'edsger@example.com', { email: 'barbara@example.com', until: 2026-06-15 }]",
    );
    expect(grant(FILE, "barbara@example.com", "Empty")).toContain("    members: [barbara@example.com]\n");
  });

  it("adds members: to a group without it", () => {
    expect(grant(FILE, "barbara@example.com", "Bare")).toContain(
      "  Bare:\n    notes: nobody yet\n    members:\n      - barbara@example.com\n  Gone:",
    );
    expect(grant("groups:\n  A:\n    members:\n", "b@example.com", "A")).toBe("groups:\n  A:\n    members:\n      - b@example.com\n");
    expect(grant("groups:\n  A: { mode: additive }\n", "b@example.com", "A")).toBe(
      "groups:\n  A: { mode: additive, members: [b@example.com] }\n",
    );
    expect(grant("groups:\n  A: {}\n", "b@example.com", "A")).toBe("groups:\n  A: {members: [b@example.com]}\n");
  });

  it("keeps CRLF line breaks and a last line without one", () => {
    const crlf = "groups:\r\n  A:\r\n    members:\r\n      - a@example.com\r\n";
    expect(grant(crlf, "b@example.com", "A")).toBe(`${crlf}      - b@example.com\r\n`);
    expect(grant("groups:\n  A:\n    members:\n      - a@example.com", "b@example.com", "A")).toBe(
      "groups:\n  A:\n    members:\n      - a@example.com\n      - b@example.com\n",
    );
  });

  it("accepts today as the last day, judged in the file's time zone", () => {
    expect(grant(FILE, "b@example.com", "Delivery", { until: "2026-06-15" })).toContain("until: 2026-06-15");
    // 23:30 UTC on 14 June is already 15 June in Tokyo: 14 June has passed there.
    const tokyo = `timeZone: Asia/Tokyo\n${FILE}`;
    const late = new Date("2026-06-14T23:30:00Z");
    jest.useFakeTimers({ now: late });
    try {
      expect(() => grant(tokyo, "b@example.com", "Delivery", { until: "2026-06-14" }, {} as typeof TODAY)).toThrow(
        "--until 2026-06-14 is in the past (today is 2026-06-15 in Asia/Tokyo)",
      );
      expect(grant(FILE, "b@example.com", "Delivery", { until: "2026-06-14" }, {} as typeof TODAY)).toContain("until: 2026-06-14");
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ["an unknown group, naming the closest", "b@example.com", "Delivry", {}, 'no group "Delivry" in access.yaml; did you mean "Delivery"?'],
    ["a malformed address", "ada.example.com", "Delivery", {}, '"ada.example.com" is not an email address'],
    ["a person already in (ignoring case)", "ADA@example.com", "Delivery", {}, 'ada@example.com is already in group "Delivery"'],
    [
      "an until in the past",
      "b@example.com",
      "Delivery",
      { until: "2026-06-14" },
      "--until 2026-06-14 is in the past (today is 2026-06-15 in UTC)",
    ],
    ["a malformed until", "b@example.com", "Delivery", { until: "2026-6-30" }, "--until must be the last day with access as YYYY-MM-DD"],
    ["a group to be deleted", "b@example.com", "Gone", {}, 'group "Gone" is to be deleted'],
  ])("refuses %s", (_what, email, group, more, message) => {
    expect(() => grant(FILE, email, group, more)).toThrow(AccessEditError);
    expect(() => grant(FILE, email, group, more)).toThrow(message);
  });

  it("refuses a file that does not parse, with its FILE:LINE:COLUMN", () => {
    expect(() => grant("groups:\n  A:\n    memebrs: []\n", "b@example.com", "A")).toThrow(AccessFileError);
    expect(() => grant("groups:\n  A:\n    memebrs: []\n", "b@example.com", "A")).toThrow('access.yaml:3:5: group "A": unknown key "memebrs"');
  });
});

describe("revoke", () => {
  it("removes a plain member's line with its comment, and nothing else", () => {
    expect(diffOf(FILE, revoke(FILE, "ADA@example.com", "Delivery"))).toBe(
      `   Delivery:
     mode: authoritative # exactly these people
     members:
-      - ada@example.com # lead
 
       - email: alan@example.com
         until: 2026-12-31 # last day
`,
    );
  });

  it("removes an entry with its until and reason", () => {
    expect(revoke(FILE, "alan@example.com", "Delivery")).toContain("      - ada@example.com # lead\n\n  Finance:");
  });

  it("removes from a flow list with its comma, first, last or only", () => {
    expect(revoke(FILE, "grace@example.com", "Finance")).toContain("members: ['edsger@example.com']\n");
    expect(revoke(FILE, "edsger@example.com", "Finance")).toContain("members: ['grace@example.com']\n");
    expect(revoke(revoke(FILE, "edsger@example.com", "Finance"), "grace@example.com", "Finance")).toContain("  Finance:\n    members: []\n");
  });

  it("leaves members: [] when the last one goes", () => {
    expect(revoke("groups:\n  A:\n    members: # people\n      - a@example.com\n", "a@example.com", "A")).toBe(
      "groups:\n  A:\n    members: [] # people\n",
    );
  });

  it.each([
    ["a person not in the group", "barbara@example.com", "Delivery", 'barbara@example.com is not in group "Delivery"'],
    ["a group with no members", "barbara@example.com", "Bare", 'barbara@example.com is not in group "Bare"'],
    ["an unknown group, naming the closest", "ada@example.com", "finanse", 'no group "finanse" in access.yaml; did you mean "Finance"?'],
    ["a malformed address", "ada@", "Delivery", '"ada@" is not an email address'],
  ])("refuses %s", (_what, email, group, message) => {
    expect(() => revoke(FILE, email, group)).toThrow(AccessEditError);
    expect(() => revoke(FILE, email, group)).toThrow(message);
  });
});

describe("unifiedDiff", () => {
  it("is one hunk with three lines of context, numbered as diff -u numbers it", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n";
    expect(unifiedDiff(before, "1\n2\n3\n4\nfive\n6\n7\n8\n", "f")).toBe(
      "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
    );
    expect(unifiedDiff(before, "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -6,3 +6,4 @@\n 6\n 7\n 8\n+9\n");
    expect(unifiedDiff("a\nb\n", "b\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n-a\n b\n");
    expect(unifiedDiff("a\n", "a\n", "f")).toBe("");
  });

  it("marks a last line without a line break", () => {
    expect(unifiedDiff("a", "a\nb\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n");
  });
});
