import { isAbsolute } from "node:path";

/**
 * A unified diff (`diff -u`, as `git apply` and `patch` read it) of two versions of a text. It is one
 * hunk: the lines between what both versions start with and what both end with, plus `context` lines of
 * each. For one contiguous change — what `kantata-access grant` and `revoke` make — that is the minimal
 * diff; for scattered changes it is correct but not minimal (everything between the first and last
 * change shows as removed and added). Empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, fileName: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const start = Math.max(0, head - context);
  const endA = Math.min(a.length, a.length - tail + context);
  const endB = Math.min(b.length, b.length - tail + context);
  const lines = [
    ...a.slice(start, head).map((line) => ` ${line}`),
    ...a.slice(head, a.length - tail).map((line) => `-${line}`),
    ...b.slice(head, b.length - tail).map((line) => `+${line}`),
    ...a.slice(a.length - tail, endA).map((line) => ` ${line}`),
  ];
  const range = (from: number, count: number) => `${count === 0 ? from : from + 1}${count === 1 ? "" : `,${count}`}`;
  // git's a/ and b/ prefixes (`git apply` reads them) on a relative path; an absolute one as it is.
  const [from, to] = isAbsolute(fileName) ? [fileName, fileName] : [`a/${fileName}`, `b/${fileName}`];
  return [`--- ${from}`, `+++ ${to}`, `@@ -${range(start, endA - start)} +${range(start, endB - start)} @@`, ...lines, ""].join("\n");
}

/** Lines without their breaks; a last line without one is marked as `diff` marks it. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  else lines.push(`${lines.pop()}\n\\ No newline at end of file`);
  return lines.map((line) => line.replace(/\r$/, ""));
}
