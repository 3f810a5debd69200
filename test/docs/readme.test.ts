import { execFileSync } from "node:child_process";
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
/** `body` without the indentation all its lines share (a block inside a list item is indented with it). */
const dedent = (body: string): string => {
  const lines = body.split("\n");
  const indent = Math.min(...lines.filter((line) => line.trim() !== "").map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent)).join("\n");
};
const blocks = (file: string, language: string): string[] =>
  fenced(file)
    .filter((block) => block.language === language)
    .map((block) => dedent(block.body).trim());
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

/** Guides whose ```yaml blocks illustrate a shape no example has (docs/access-commands.md: an access folder's files, whose behaviour test/access tests). */
const ILLUSTRATIVE_YAML = ["docs/access-commands.md"];
const TS_SOURCES = ["test/compat/program/index.ts", "examples/access-as-code/index.ts"];
const YAML_SOURCES = [
  "examples/access-as-code/access.yaml",
  "examples/access-as-code/ci/kantata-access.yml",
  ...existing("examples/yaml/Pulumi.yaml", "examples/yaml/access.yaml"),
];
/** ```text blocks that show `kantata-access review --format text`. */
const textReviews = () => everyBlock("text").filter(([, block]) => block.startsWith("Kantata OX access changes"));
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

  it.each(everyBlock("yaml").filter(([file]) => !ILLUSTRATIVE_YAML.includes(file)))(
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

  it.each(textReviews())("%s: the text review quoted is what test/examples asserts, line by line:\n%s", (_, block) => {
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
    for (const language of ["ts", "yaml"]) expect(everyBlock(language).length).toBeGreaterThan(0);
    expect(textReviews().length).toBeGreaterThan(0);
    expect(diffExcerpts().length).toBeGreaterThan(1);
    expect(blocks("README.md", "markdown")).toHaveLength(1);
  });
});

/** Each file of `folder` (recursively) whose name ends in `ext`, as text. */
const sources = (folder: string, ext: string): string[] =>
  readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(ext))
    .map((file) => read(path.join(folder, file)));

describe("the plugin's examples in other languages, against the generated SDKs (sdk/)", () => {
  it.each(everyBlock("go"))("%s: the Go example is an excerpt of examples/go/program.go, which test/languages runs:\n%s", (_, block) => {
    expect(trimmedLines(read("examples/go/program.go")).join("\n")).toContain(trimmedLines(block).join("\n"));
  });

  it.each(everyBlock("python"))("%s: the Python example parses, and names only what sdk/python/pulumi_kantata defines:\n%s", (_, block) => {
    execFileSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: block });
    expect(block).toContain("import pulumi_kantata as kantata");
    const defined = sources("sdk/python/pulumi_kantata", ".py").join("\n");
    const used = [...new Set([...block.matchAll(/\bkantata\.(\w+)/g)].map((match) => match[1]))];
    expect(used.filter((name) => !new RegExp(`^(class|def) ${name}\\b`, "m").test(defined))).toEqual([]);
  });

  it.each(everyBlock("csharp"))("%s: the C# example names only what sdk/dotnet (namespace Pulumi.Kantata) defines:\n%s", (_, block) => {
    const defined = sources("sdk/dotnet", ".cs").join("\n");
    expect(defined).toContain("namespace Pulumi.Kantata");
    expect(block).toContain("using Kantata = Pulumi.Kantata;");
    const used = [...new Set([...block.matchAll(/\bKantata\.(\w+)/g)].map((match) => match[1]))];
    expect(used.filter((name) => !new RegExp(`\\b(class|enum|struct) ${name}\\b`).test(defined))).toEqual([]);
  });

  it("the Registry's page has an example in TypeScript, Python, Go, C# and YAML", () => {
    for (const language of ["ts", "python", "go", "csharp", "yaml"]) expect(blocks("docs/_index.md", language).length).toBeGreaterThan(0);
  });
});

describe("the configuration tables", () => {
  const config = read("provider/kantata/config.ts");
  const settings = [...new Set([...config.matchAll(/"((kantata:|KANTATA_)\w+)"/g)].map((match) => match[1]))];
  it.each(["docs/configuration.md", "docs/installation-configuration.md"])(
    "%s names every key and variable provider/kantata/config.ts reads",
    (file) => {
      expect(settings.length).toBeGreaterThan(10);
      expect(settings.filter((setting) => !text.get(file)!.includes(`\`${setting}\``))).toEqual([]);
    },
  );

  it("docs/installation-configuration.md gives each key of the schema its type, and marks the secret one", () => {
    const schema = JSON.parse(read("provider/plugin/schema.json")) as {
      config: { variables: Record<string, { type: string; secret?: boolean }> };
    };
    const rows = text.get("docs/installation-configuration.md")!.split("\n");
    const row = (key: string) => rows.find((line) => line.startsWith(`| \`kantata:${key}\``)) ?? "";
    for (const [key, { type, secret }] of Object.entries(schema.config.variables)) {
      expect(row(key)).toContain(`| ${type} `);
      expect(row(key).includes("(secret)")).toBe(secret === true);
    }
  });
});
