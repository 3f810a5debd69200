import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parsePreviewJson } from "../../access/previewJson";
import { renderReview } from "../../access/render";
import { reviewPreview } from "../../access/review";

/**
 * Every program and file the README and the guides in docs/ show is one that a test suite runs: each ```ts
 * block must appear verbatim in a program the compat or examples suites execute, each ```yaml block in an
 * example's file or its CI workflow, the ```markdown review is what the review prints for the real engine's
 * preview it names, and quoted previews and messages are what the golden and end-to-end tests recorded.
 * A snippet moved from the README into a guide stays checked.
 */
const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
/** The files that may show snippets: the README and every guide beside it. */
const DOCS = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => `docs/${entry.name}`)
    .sort(),
];
const text = new Map(DOCS.map((file) => [file, read(file)]));
/** Fenced blocks in order, each `{ language, body }` ("" for a plain block): fences open and close in turn. */
const fenced = (file: string) =>
  text
    .get(file)!
    .split(/^ *```/m)
    .filter((_, i) => i % 2 === 1)
    .map((block) => ({ language: block.slice(0, block.indexOf("\n")), body: block.slice(block.indexOf("\n") + 1) }));
const blocks = (file: string, language: string): string[] =>
  fenced(file)
    .filter((block) => block.language === language)
    .map((block) => block.body.trim());
/** [file, block] for every block of `language` in every doc, for it.each. */
const everyBlock = (language: string): Array<[string, string]> =>
  DOCS.flatMap((file) => blocks(file, language).map((block): [string, string] => [file, block]));
/** `block`'s lines, consecutive in `source`, all indented alike: an excerpt from inside a file reads as top-level YAML in a doc. */
const containsIndented = (source: string, block: string): boolean =>
  Array.from({ length: 13 }, (_, n) => " ".repeat(n)).some((pad) =>
    source.includes(
      block
        .split("\n")
        .map((line) => (line === "" ? "" : pad + line))
        .join("\n"),
    ),
  );
const trimmedLines = (source: string): string[] =>
  source
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && line !== "…");
const existing = (...files: string[]) => files.filter((file) => existsSync(path.join(ROOT, file)));

const TS_SOURCES = ["test/compat/program/index.ts", "examples/access-as-code/index.ts"];
const YAML_SOURCES = [
  "examples/access-as-code/access.yaml",
  "examples/access-as-code/ci/kantata-access.yml",
  ...existing("examples/yaml/Pulumi.yaml", "examples/yaml/access.yaml"),
];
const GOLDEN = "test/golden/expected";
const goldenFiles = readdirSync(path.join(ROOT, GOLDEN)).map((file) => read(`${GOLDEN}/${file}`));
/** Plain blocks that quote `pulumi preview --diff` of a kantata resource. */
const diffExcerpts = (): Array<[string, string]> =>
  DOCS.flatMap((file) =>
    fenced(file)
      .filter((block) => block.language === "" && /kantata:\w+: \(update\)/.test(block.body))
      .map((block): [string, string] => [file, block.body]),
  );

describe("the examples of the README and the guides", () => {
  it.each(everyBlock("ts"))("%s: the TypeScript example is a program a suite runs:\n%s", (_, block) => {
    expect(TS_SOURCES.filter((source) => read(source).includes(block))).not.toEqual([]);
  });

  it.each(everyBlock("yaml"))(
    "%s: the YAML example is from a file a suite applies (an example's access.yaml, its CI workflow):\n%s",
    (_, block) => {
      expect(YAML_SOURCES.filter((source) => containsIndented(read(source), block))).not.toEqual([]);
    },
  );

  it.each(everyBlock("markdown"))(
    "%s: the Markdown review is kantata-access review's output for test/access/fixtures/preview-takeover-update-replace.json",
    (_, block) => {
      const fixture = read("test/access/fixtures/preview-takeover-update-replace.json");
      expect(block).toEqual(renderReview(reviewPreview(parsePreviewJson(fixture, "fixture")), "markdown").trim());
    },
  );

  it.each(everyBlock("text"))("%s: the text review and messages quoted are what test/examples asserts, line by line:\n%s", (_, block) => {
    // The test writes them as string literals; an apostrophe in a single-quoted one is escaped.
    const source = read("test/examples/accessAsCode.e2e.test.ts").replace(/\\'/g, "'");
    expect(block.split("\n").filter((line) => line !== "" && !source.includes(line))).toEqual([]);
  });

  it("the preview's takeover warnings quoted are ones the golden test recorded", () => {
    const quoted = DOCS.flatMap((file) => [...text.get(file)!.matchAll(/^ *(warning: workspace group .*)$/gm)].map((match) => match[1]));
    expect(quoted.length).toBeGreaterThan(0);
    for (const warning of quoted) expect(read(`${GOLDEN}/takeover.txt`)).toContain(warning);
  });

  it.each(diffExcerpts())("%s: the preview --diff quoted is an excerpt of one the golden test recorded:\n%s", (_, excerpt) => {
    const lines = trimmedLines(excerpt);
    const from = goldenFiles.filter((golden) => lines.every((line) => trimmedLines(golden).includes(line)));
    expect(from).not.toEqual([]);
  });

  it("the rename is quoted as one `~ name` line", () => {
    const renames = diffExcerpts().filter(([, excerpt]) => excerpt.includes("kantata:WorkspaceGroup: (update)"));
    expect(renames).toHaveLength(1);
    expect(trimmedLines(renames[0][1])).toContain('~ name             : "Finance" => "Finance & Ops"');
  });

  it("has at least one example of each kind, and the README shows the review", () => {
    for (const language of ["ts", "yaml", "text"]) expect(everyBlock(language).length).toBeGreaterThan(0);
    expect(diffExcerpts().length).toBeGreaterThan(1);
    expect(blocks("README.md", "markdown")).toHaveLength(1);
  });
});
