import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors";
import { unifiedDiff } from "../lib/diff";
import { writeFileAtomically } from "../lib/files";
import { codeownersLines, withSection } from "../access/codeowners";
import { readAccess } from "../access/load";
import { defaultAccessPath } from "./editCommands";

export const DEFAULT_CODEOWNERS = ".github/CODEOWNERS";

/** GitHub reads CODEOWNERS from .github/, docs/ or the root: the repository root is the folder around those. */
const repositoryRoot = (codeowners: string) => {
  const folder = dirname(codeowners);
  return [".github", "docs"].includes(basename(folder)) ? dirname(folder) : folder;
};

/**
 * `codeowners [--access PATH] [--out PATH] [--check]`: writes (or, --check, compares) the CODEOWNERS
 * section of access/codeowners.ts. --access defaults as grant's --file does (access.yaml, else access/); --out to .github/CODEOWNERS. --check prints what would change as a diff and exits 1, for CI.
 */
export function codeownersCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    options: { access: { type: "string" }, out: { type: "string" }, check: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`codeowners takes no positional arguments; got "${positionals[0]}".`);
  for (const option of ["access", "out"] as const)
    if (values[option] !== undefined && values[option].trim() === "") throw new UsageError(`--${option} needs a path.`);
  const access = values.access ?? defaultAccessPath();
  const out = values.out ?? DEFAULT_CODEOWNERS;
  const lines = codeownersLines(readAccess(access).parts, repositoryRoot(out));
  const before = existsSync(out) ? readFileSync(out, "utf8") : undefined;
  const after = withSection(before, lines);
  if (values.check) {
    if (before === after) {
      process.stderr.write(`kantata-access: ${out} asks the owners of ${access} (${lines.length} ${lines.length === 1 ? "line" : "lines"})\n`);
      return 0;
    }
    process.stdout.write(unifiedDiff(before ?? "", after, out));
    process.stderr.write(`kantata-access: ${out} is not what the owners in ${access} say; run kantata-access codeowners and commit it.\n`);
    return 1;
  }
  if (before !== after) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileAtomically(out, after);
  }
  process.stderr.write(
    `kantata-access: ${before === after ? "unchanged" : "wrote"} ${out}: ${lines.length} ${lines.length === 1 ? "file" : "files"} with owners\n`,
  );
  return 0;
}
