import { readFileSync } from "node:fs";
import path from "node:path";
import { parsePreviewJson } from "../../access/previewJson";
import { renderReview } from "../../access/render";
import { reviewPreview } from "../../access/review";

/**
 * Every program and file the README shows is one that a test suite runs: each ```ts block must appear
 * verbatim in a program the compat or examples suites execute, each ```yaml block in the example's file
 * or its CI workflow, and the ```markdown review is what the review prints for the real engine's preview it names.
 * Likewise docs/yaml.md's ```yaml blocks are excerpts of the YAML program test/languages runs.
 */
const ROOT = path.join(__dirname, "..", "..");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const blocks = (language: string, text = readme): string[] =>
  [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((match) => match[1].trim());
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
/** `block`'s lines, consecutive in `source`, all indented alike: an excerpt from inside a file reads as top-level YAML in the README. */
const containsIndented = (source: string, block: string): boolean =>
  Array.from({ length: 13 }, (_, n) => " ".repeat(n)).some((pad) =>
    source.includes(
      block
        .split("\n")
        .map((line) => (line === "" ? "" : pad + line))
        .join("\n"),
    ),
  );

describe("the README's examples", () => {
  it.each(blocks("ts"))("the TypeScript example is the program test/compat runs:\n%s", (block) => {
    expect(read("test/compat/program/index.ts")).toContain(block);
  });

  it.each(blocks("yaml"))(
    "the YAML example is from examples/access-as-code: access.yaml (which the examples suite applies) or ci/:\n%s",
    (block) => {
      const sources = [read("examples/access-as-code/access.yaml"), read("examples/access-as-code/ci/kantata-access.yml")];
      expect(sources.filter((source) => containsIndented(source, block))).toHaveLength(1);
    },
  );

  it("the Markdown review is kantata-access review's output for test/access/fixtures/preview-takeover-update-replace.json", () => {
    const fixture = read("test/access/fixtures/preview-takeover-update-replace.json");
    expect(blocks("markdown")).toEqual([renderReview(reviewPreview(parsePreviewJson(fixture, "fixture")), "markdown").trim()]);
  });

  it("the preview's takeover warning quoted is the one the golden test recorded", () => {
    const quoted = [...readme.matchAll(/^ *(warning: workspace group .*)$/gm)].map((match) => match[1]);
    expect(quoted).toHaveLength(1);
    expect(read("test/golden/expected/takeover.txt")).toContain(quoted[0]);
  });

  it("the rename preview quoted is an excerpt of the one the golden test recorded", () => {
    // Fenced blocks in order, each with its language ("" for a plain block): fences open and close in turn.
    const fenced = readme.split(/^ *```/m).filter((_, i) => i % 2 === 1);
    const excerpts = fenced.filter((block) => block.startsWith("\n") && block.includes("kantata:WorkspaceGroup: (update)"));
    expect(excerpts).toHaveLength(1);
    const golden = read("test/golden/expected/rename.txt")
      .split("\n")
      .map((line) => line.trim());
    const lines = excerpts[0]
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    expect(lines).toContain('~ name             : "Finance" => "Finance & Ops"');
    expect(lines.filter((line) => !golden.includes(line))).toEqual([]);
  });

  it("has at least one example of each kind", () => {
    expect(blocks("ts").length).toBeGreaterThan(0);
    expect(blocks("yaml").length).toBeGreaterThan(0);
  });
});

describe("docs/yaml.md's examples", () => {
  const guide = read("docs/yaml.md");
  it.each(blocks("yaml", guide))("the YAML example is an excerpt of examples/yaml/Pulumi.yaml, which test/languages runs:\n%s", (block) => {
    expect(containsIndented(read("examples/yaml/Pulumi.yaml"), block)).toBe(true);
  });

  it("has at least one", () => expect(blocks("yaml", guide).length).toBeGreaterThan(0));
});
