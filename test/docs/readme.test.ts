import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every program and file the README shows is one that a test suite runs: each ```ts block must appear
 * verbatim in a program the compat or examples suites execute, each ```yaml block in the example's file.
 */
const ROOT = path.join(__dirname, "..", "..");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const blocks = (language: string): string[] =>
  [...readme.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((match) => match[1].trim());
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

describe("the README's examples", () => {
  it.each(blocks("ts"))("the TypeScript example is the program test/compat runs:\n%s", (block) => {
    expect(read("test/compat/program/index.ts")).toContain(block);
  });

  it.each(blocks("yaml"))("the access.yaml example is examples/access-as-code/access.yaml, which the examples suite applies:\n%s", (block) => {
    expect(read("examples/access-as-code/access.yaml")).toContain(block);
  });

  it("has at least one example of each kind", () => {
    expect(blocks("ts").length).toBeGreaterThan(0);
    expect(blocks("yaml").length).toBeGreaterThan(0);
  });
});
